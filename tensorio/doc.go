// Package tensorio reads and writes the files cnnc exchanges with its users and
// with PyTorch: safetensors weights, NumPy .npy arrays, IDX datasets (MNIST,
// FashionMNIST) and PNG/JPEG/GIF/BMP images.
//
// It sits below the runtime and cmd/cnnc and imports nothing of the module
// but internal/hugepage (its large tensors ask for huge pages) and
// internal/fsutil (the readers that take a path open only regular files,
// so that a device or a named pipe is an error, not a read without end).
// Every reader treats its input as hostile: each field is validated before it
// is used, sizes are checked against the file and against a cap before
// anything is allocated, and every failure is an *Error that names the file,
// the field and what is wrong, wrapping one of ErrTruncated, ErrTooLarge,
// ErrUnsupported, ErrMalformed or ErrNotFound. No input makes a reader panic,
// loop forever, or allocate much more than the input holds (see Limits).
// Each format has a fuzz target (fuzz_test.go) seeded with the valid and
// hostile inputs of the table tests.
//
// # What is hand-written and why
//
// safetensors: no well-kept Go library parses the header with the checks
// the reference implementation makes (contiguous, fully indexed data buffer,
// dtype size × element count = byte span, 100 MB header cap) and converts
// float16 and bfloat16; the format is one JSON header and a byte buffer, so
// the reader here is a few hundred lines. Its rules follow
// huggingface/safetensors: the data buffer must be covered exactly, with
// neither holes nor overlaps nor trailing bytes, and duplicate names are
// rejected (the JSON is read token by token to see them).
//
// npy: github.com/sbinet/npyio exists, but its header parser slices the dict
// at the positions of fixed substrings (a reordered or hostile dict panics),
// and it allocates the element count the header declares, unchecked. cnnc
// wants float32 only, a clear error naming any other dtype and how to
// convert it, a cap on the element count and memory that grows only as data
// arrives; an .npy header is one line of Python literal, so the reader
// (npy_header.go parses the literal) is written here.
//
// IDX and images use compress/gzip, the standard image decoders and
// golang.org/x/image (BMP, and draw.BiLinear for resizing). One piece of
// JPEG decoding is redone (jpegcolor.go): Go's decoder replicates subsampled
// chroma where libjpeg, and so PIL and torchvision, interpolate it, which on
// a 4:2:0 photo moves pixels by up to 17/255; redoing it as libjpeg does
// leaves ±3/255 at worst on the test images (the IDCTs differ), ~0.05/255
// on average.
//
// # Conversions
//
// Values come back as float32. safetensors F16, BF16 and F64 tensors are
// converted exactly (F64 rounds to nearest; a finite F64 beyond float32's range
// is an error, not an infinity); integer, bool and 8-bit float tensors are
// listed but not converted. An .npy file must hold little-endian float32 in C
// order; anything else is rejected with the numpy expression that converts
// it. Images become C×H×W values in [0, 1], as torchvision's ToTensor gives
// them (see LoadImage).
//
// # Limits
//
// MaxSafetensorsHeader (100 MB, the reference implementation's),
// MaxSafetensorsTensors (100,000 tensors), MaxElements (npy values, IDX
// bytes), MaxRank (dimensions) and MaxImagePixels. The
// readers allocate in proportion to what the input holds (plus at most
// 1 MB), never to what a header merely declares; the exceptions are the image
// decoders, which allocate the declared size (at most MaxImagePixels) before
// reading pixels, and gzip, whose stream may expand to MaxElements bytes
// (a gzip bomb: ReadIDXImages reads it whole, an IDXReader a few items at
// a time).
// Resizing an image takes at most about its converted size again, or 64
// MiB, however long and thin it is (resize.go).
package tensorio
