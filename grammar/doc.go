// Package grammar turns .cnn source text into a syntax tree and back.
//
// It is the first stage of the pipeline, diag ← grammar ← compiler: it
// knows the syntax of the language (docs/language.md) and nothing of its
// meaning. The parser is participle's: the rules are the struct types of
// ast.go, EBNF returns them as a grammar, and a test keeps
// docs/language.md's grammar equal to it. For speed, tokens are found by a
// hand-written scanner (scan.go) and expressions parsed by hand (expr.go);
// tests check both against participle's lexer and parser of the same rules. Format (print.go) writes a tree
// back out in the one canonical layout that `cnnc fmt` uses.
package grammar
