// Package tensorio reads and writes the files cnnc exchanges with its users and
// with PyTorch: safetensors weights, NumPy .npy arrays, IDX datasets (MNIST,
// FashionMNIST) and PNG/JPEG/GIF/BMP images.
//
// It sits below the runtime and cmd/cnnc and imports nothing of the module.
// Every reader treats its input as hostile: each field is validated before it
// is used, sizes are checked against the file and against a cap before
// anything is allocated, and every failure is an *Error that names the file,
// the field and what is wrong, wrapping one of ErrTruncated, ErrTooLarge,
// ErrUnsupported, ErrMalformed or ErrNotFound. No input makes a reader panic,
// loop forever, or allocate much more than the input holds (images excepted:
// a decoder may allocate up to MaxImagePixels pixels before it finds the data
// short).
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
// npy: github.com/sbinet/npyio exists, but it converts dtypes silently and
// allocates whatever the header declares; cnnc wants the opposite (float32
// only, a clear error naming any other dtype and how to convert it, a cap on
// the element count, memory growing only as data arrives), and a .npy header
// is one line of Python literal, so the reader is written here.
//
// IDX and images use compress/gzip, the standard image decoders and
// golang.org/x/image (BMP, and draw.BiLinear for resizing).
//
// # Conversions
//
// Values come back as float32. safetensors F16, BF16 and F64 tensors are
// converted exactly (F64 rounds to nearest; a finite F64 beyond float32's range
// is an error, not an infinity); integer and 8-bit float tensors are listed but
// not converted. An .npy file must hold little-endian float32 in C order;
// anything else is rejected with the numpy expression that converts it.
package tensorio
