package diag

// A Code names a kind of diagnostic. Codes are stable: tools and tests may
// match on them. Each is documented, with an example, in docs/diagnostics.md.
type Code string

// The codes, in the order of the pipeline stage that reports them.
const (
	SyntaxError         Code = "SyntaxError"         // the text does not parse
	LimitExceeded       Code = "LimitExceeded"       // a file, nesting, repeat or expansion bound is exceeded
	ImportError         Code = "ImportError"         // an import cannot be read, or imports form a cycle
	UndefinedName       Code = "UndefinedName"       // a name that no parameter, constant or definition declares
	UnknownLayer        Code = "UnknownLayer"        // a node names neither a layer nor a definition
	UnknownAttribute    Code = "UnknownAttribute"    // an attribute the layer or model does not have
	AmbiguousAttribute  Code = "AmbiguousAttribute"  // `k3` written where a parameter k3 is in scope
	DuplicateName       Code = "DuplicateName"       // two declarations or members with one name
	DuplicateParameter  Code = "DuplicateParameter"  // two layers whose parameters get the same key
	RecursiveDefinition Code = "RecursiveDefinition" // a definition that calls itself
	WrongArgumentCount  Code = "WrongArgumentCount"  // too many or too few arguments
	MissingAttribute    Code = "MissingAttribute"    // a required attribute, such as conv's kernel, is absent
	BadValue            Code = "BadValue"            // a value of the wrong kind: a tuple for an integer, a negative stride
	DivisionError       Code = "DivisionError"       // division by zero, or an inexact integer division
	Overflow            Code = "Overflow"            // a size beyond 64-bit integers
	NonPositiveSize     Code = "NonPositiveSize"     // a size that is zero or negative, written or computed
	GroupsMismatch      Code = "GroupsMismatch"      // channels not divisible by a convolution's groups
	WrongRank           Code = "WrongRank"           // a layer that needs [C,H,W] given [F], or the reverse
	NeedsFlatten        Code = "NeedsFlatten"        // a dense layer applied to a [C,H,W] map
	MismatchedShape     Code = "MismatchedShape"     // an assertion (dense `in`, `->`) that disagrees with the flow
	ConcatMismatch      Code = "ConcatMismatch"      // concat branches of different height or width
	ResidualMismatch    Code = "ResidualMismatch"    // a residual sum of different shapes
	MemoryLimit         Code = "MemoryLimit"         // a model that needs more memory than the budget
	UnknownModel        Code = "UnknownModel"        // no model of the requested name, or a file with none
)

// Codes lists every code, for documentation tests.
var Codes = []Code{
	SyntaxError, LimitExceeded, ImportError, UndefinedName, UnknownLayer, UnknownAttribute,
	AmbiguousAttribute, DuplicateName, DuplicateParameter, RecursiveDefinition,
	WrongArgumentCount, MissingAttribute, BadValue, DivisionError, Overflow, NonPositiveSize,
	GroupsMismatch, WrongRank, NeedsFlatten, MismatchedShape, ConcatMismatch,
	ResidualMismatch, MemoryLimit, UnknownModel,
}

// Severity returns the severity diagnostics of this code have.
func (c Code) Severity() Severity { return Error }
