// Package kernel holds the runtime's compute kernels: a worker pool, a packed
// SGEMM with fused epilogues, convolution (im2col-packed GEMM, 1x1 direct,
// grouped/depthwise, Winograd F(4x4,3x3)) and dense layers (a bandwidth-bound
// GEMV at batch 1).
//
// It sits below the runtime's graph executor and imports nothing of the
// module: tensors are raw float32 slices in NCHW order, every buffer,
// scratch included, is planned and owned by the caller, and Run methods do
// not allocate in steady state.
//
// The kernels are hand-written because no Go library does what inference on
// this CPU needs: gonum's sgemm is SSE without FMA (about 11-20 GFLOPS on two
// Zen 5 cores), while the AVX-512 micro-kernel here runs near the 64
// FLOP/cycle/core peak and fuses bias, residual add and ReLU into its stores,
// so no extra pass over memory follows a convolution.
//
// Micro-kernels are Go assembly (AVX-512F and AVX2+FMA), chosen at start-up
// with golang.org/x/sys/cpu; a pure-Go kernel is the fallback and the
// reference every assembly kernel is tested against (see SetISA). Each
// assembly call is bounded to one register tile over one K block, because Go
// assembly cannot be preempted asynchronously; the loops around it are Go.
package kernel
