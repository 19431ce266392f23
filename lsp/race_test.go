//go:build race

package lsp

// raceEnabled slows what the tests time: the race detector makes JSON
// of megabytes several times slower to encode and decode.
const raceEnabled = true
