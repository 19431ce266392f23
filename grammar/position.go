package grammar

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// BOM is the UTF-8 byte order mark. At the very start of a source it is
// skipped, as editors hide it; anywhere else it is an illegal character.
const BOM = "\uFEFF"

// A lineCounter gives offsets of one source their line and column, the
// language's way: a line ends at "\n", "\r\n" or a lone "\r" (old Mac
// files, which participle's lexer would count as one line), and a byte
// order mark at the start takes no column. Columns count runes from 1.
// Offsets must be asked in increasing order for it to stay linear.
type lineCounter struct {
	filename       string
	src            string
	off, line, col int
}

func newLineCounter(filename, src string) *lineCounter {
	return &lineCounter{filename: filename, src: src, line: 1, col: 1}
}

// at returns the position of byte offset off.
func (c *lineCounter) at(off int) lexer.Position {
	if off < c.off {
		c.off, c.line, c.col = 0, 1, 1
	}
	if c.off == 0 && strings.HasPrefix(c.src, BOM) && off >= len(BOM) {
		c.off = len(BOM)
	}
	for c.off < off && c.off < len(c.src) {
		switch b := c.src[c.off]; {
		case b == '\n' || b == '\r' && !strings.HasPrefix(c.src[c.off+1:], "\n"):
			c.line++
			c.col = 1
			c.off++
		case b == '\r': // of "\r\n": the '\n' ends the line
			c.off++
		case b < utf8.RuneSelf:
			c.col++
			c.off++
		default:
			_, size := utf8.DecodeRuneInString(c.src[c.off:])
			c.col++
			c.off += size
		}
	}
	return lexer.Position{Filename: c.filename, Offset: off, Line: c.line, Column: c.col}
}
