// Package runtime executes checked models: a Graph of a small, closed set
// of ops over float32 NCHW tensors, compiled once (BatchNorm folded into
// the convolution before it, activations and residual sums fused into the
// convolution's store, sibling 1x1 convolutions merged into one GEMM,
// flatten and concatenation made zero-copy) and run with memory planned
// statically per batch size; small networks, and convolutional networks
// whose dense layers are light, split a batch among the workers instead of
// each op (split.go). Compile gives the memory of the tensors it has packed
// back as it goes, so a model is not held twice while it loads.
//
// It sits below the embedding API and beside the compiler, which lowers a
// checked model to a Graph (internal/lower). It knows no source text:
// each op carries the name and the position of its layer as opaque strings
// for profiles and errors. The arithmetic is in the kernel subpackage.
package runtime
