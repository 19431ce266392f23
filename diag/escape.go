package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s with what a terminal would act on instead of show
// written visibly, the way Go writes it in a quoted string: control
// characters but the tab (ESC as \x1b, DEL as \x7f, C1 controls such as
// \u009b), the bidirectional overrides and isolates that reorder what
// follows (\u202e), and bytes that are not UTF-8 (\xff). Source lines,
// labels and file names pass through it before they are printed, so a
// comment holding an escape sequence cannot clear the screen or hide text.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escapeRune(s[i:i+size], r, size))
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if escapeRune(s[i:i+size], r, size) != s[i:i+size] {
			return true
		}
		i += size
	}
	return false
}

// escapeRune returns the printable form of the rune r, written as text.
func escapeRune(text string, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, text[0])
	case r == '\t':
		return text
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case r >= 0x80 && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff:
		return fmt.Sprintf(`\u%04x`, r)
	}
	return text
}

// printableSpan escapes line as Printable does and moves the byte offsets
// from and to with it, so that carets stay under the same characters.
func printableSpan(line string, from, to int) (string, int, int) {
	if !needsEscape(line) {
		return line, from, to
	}
	var b strings.Builder
	nf, nt := -1, -1
	for i := 0; i < len(line); {
		if i >= from && nf < 0 {
			nf = b.Len()
		}
		if i >= to && nt < 0 {
			nt = b.Len()
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		b.WriteString(escapeRune(line[i:i+size], r, size))
		i += size
	}
	if nf < 0 {
		nf = b.Len() + from - len(line)
	}
	if nt < 0 {
		nt = b.Len() + to - len(line)
	}
	return b.String(), nf, nt
}
