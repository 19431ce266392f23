// Package kernel holds the runtime's compute kernels: a worker pool, a packed
// SGEMM with fused epilogues, convolutions and dense layers.
//
// It sits below the runtime's graph executor and imports nothing of the
// module but internal/hugepage (packed weights live on huge pages, which
// makes loading a large model twice as fast and keeps forwards from
// slowing down every half second: hugepage.Keep): tensors are raw float32
// slices in NCHW order, every buffer, scratch included, is planned and
// owned by the caller (ScratchSize), and Run methods do not allocate in
// steady state.
//
// The kernels are hand-written because no Go library does what inference on
// this CPU needs: gonum's sgemm is SSE without FMA (about 11-20 GFLOPS on two
// Zen 5 cores), while the AVX-512 micro-kernel here runs near the 64
// FLOP/cycle/core peak and fuses bias, residual add and ReLU into its stores,
// so no extra pass over memory follows a convolution.
//
// NewConv picks the algorithm from the shape:
//
//   - 3x3, stride 1, dilation 1, ungrouped, >= 16 channels in and out:
//     Winograd F(4x4,3x3) (winograd.go), 4x fewer multiplies; on maps too
//     small for one image to fill a 32-wide tile (under 16 tiles, i.e. 7x7)
//     the batch decides per Run, falling back to the GEMM paths below.
//   - 1x1, stride 1, no padding: GEMM with the input itself as B.
//   - anything else: GEMM with the im2col matrix packed block by block
//     straight from the input, never materialised (im2col.go).
//   - deep (K >= 512) convolutions on small maps (<= 512 output pixels per
//     batch, where 32-wide tiles would waste a tenth): the transposed GEMM
//     of conv_smalln.go, pixels on the 7-row side of the register tile, so
//     7x7 and 14x14 maps waste no lanes. Its weights, streamed from memory
//     at batch 1, are prefetched a panel ahead, spread over the tiles.
//   - 1x1 with a stride, onto maps the 1x1 path reads in place, batches
//     over one: subsample, then the 1x1 path (conv_strided1x1.go).
//   - stems (up to 4 input channels) and layers of up to 48 output
//     channels whose output rows span 24 pixels or more: the direct
//     convolution of conv_direct.go, which reads a zero-padded copy of the
//     input split by column phase in place of im2col packing.
//   - one input channel per group (depthwise): direct loops.
//
// A Conv keeps its weights in the form its batch-1 path reads and builds
// the others (GEMM, transposed, Winograd) the first time a batch size needs
// them (forms.go), so a model is not held in memory three times over.
//
// Batches of maps under 32 pixels run as one GEMM over all images' pixels;
// larger maps run image by image, splitting pixels or output channels over
// the workers when there are fewer images than workers. The transposed
// GEMM splits by pixels where the packed matrix is the larger operand and
// by output channels where the weights are (twice the matrix or more). A
// GEMM's last column panel, when at most 16 of its 32 columns exist (14x14
// and 28x28 maps), runs through the 8x16 kernel at half the cost.
//
// The Pool gives each participant a contiguous range of a loop's indices
// first, the same one loop after loop (pool.go): on this project's
// machine a cache line written by one core costs the other about 250 ns,
// more than memory, so a layer's rows are best computed where the layer
// before wrote them. Masked loads and gathers that miss the cache are slow
// on Zen 5; the packing kernels prefetch their lines first (gen_pack.go).
//
// Micro-kernels are Go assembly (AVX-512F and AVX2+FMA), chosen at start-up
// with golang.org/x/sys/cpu; a pure-Go kernel is the fallback and the
// reference every assembly kernel is tested against (see SetISA). Each
// assembly call is bounded to one register tile over one K block, because Go
// assembly cannot be preempted asynchronously; the loops around it are Go.
// The assembly is generated: go run gen_asm.go (SGEMM), gen_wino.go
// (Winograd transforms), gen_pack.go (im2col packing), gen_gemv.go (GEMV).
package kernel
