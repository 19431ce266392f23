package compiler

// Bounds on what one check may expand, so that no source text can make the
// checker run for long or allocate much before it reports an error.
const (
	MaxFileSize  = 4 << 20 // bytes of one source file
	MaxCallDepth = 64      // nested definition calls
	MaxRepeat    = 100000  // the count of one repeat
	MaxLayers    = 100000  // layers in one expanded model
	MaxSteps     = 250000  // members visited and repeat copies made while expanding one model, empty ones included
	MaxTuple     = 1 << 16 // values in one tuple, those of nested tuples included
	MaxWork      = 1000000 // steps of one whole check, all its models together: members, repeat copies, evaluated expressions, tuple values (hint probes have a bound as large of their own)
)
