// Package stdlib is the standard library of .cnn definitions: the building
// blocks of the classic networks, written in the language itself and
// embedded in every cnnc binary. The compiler puts its definitions in scope
// in every file, below the file's own.
package stdlib

import "embed"

// FS holds the library's .cnn files.
//
//go:embed *.cnn
var FS embed.FS
