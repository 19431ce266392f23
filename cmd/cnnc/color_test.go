package main

import "testing"

func TestColorEnabled(t *testing.T) {
	for _, tc := range []struct {
		mode, noColor, term string
		tty, want           bool
	}{
		{"auto", "", "xterm-256color", true, true},
		{"auto", "", "xterm-256color", false, false}, // a pipe or a file
		{"auto", "1", "xterm-256color", true, false}, // NO_COLOR
		{"auto", "", "dumb", true, false},
		{"always", "1", "dumb", false, true}, // always wins over all
		{"never", "", "xterm", true, false},
	} {
		if got := colorEnabled(tc.mode, tc.noColor, tc.term, tc.tty); got != tc.want {
			t.Errorf("colorEnabled(%q, NO_COLOR=%q, TERM=%q, tty=%v) = %v, want %v", tc.mode, tc.noColor, tc.term, tc.tty, got, tc.want)
		}
	}
}
