package grammar

import (
	"strconv"
	"strings"
)

// Format prints f in the canonical layout of `cnnc fmt`: two-space
// indentation, single spaces between arguments, no spaces around binary
// operators, ", " in lists. Like gofmt it keeps the author's line breaks
// between members (members that shared a line still do; a sequence written
// on one line stays on one line) and at most one blank line, and it keeps
// every comment.
func Format(f *File) []byte {
	p := &printer{comments: f.Comments}
	prevEnd := 0
	for i, d := range f.Decls {
		if i > 0 {
			p.nl()
		}
		p.gap(prevEnd, d.Pos.Offset, d.Pos.Line)
		p.decl(d)
		p.trailing(d.EndPos.Line)
		prevEnd = d.EndPos.Line
	}
	if len(p.comments) > 0 {
		if len(f.Decls) > 0 {
			p.nl()
		}
		p.gap(prevEnd, 1<<62, 1<<62)
	}
	if p.b.Len() > 0 && p.col > 0 {
		p.nl()
	}
	return []byte(p.b.String())
}

type printer struct {
	b        strings.Builder
	indent   int
	comments []*Comment // not yet printed, in source order
	col      int        // bytes on the current line
}

func (p *printer) w(s string) {
	if p.col == 0 && s != "" {
		p.b.WriteString(strings.Repeat("  ", p.indent))
		p.col = 2 * p.indent
	}
	p.b.WriteString(s)
	p.col += len(s)
}

func (p *printer) nl() {
	p.b.WriteByte('\n')
	p.col = 0
}

// gap prints what stands between the previous node, which ended on source
// line prevEnd (0 for none), and the next, which starts at offset on line:
// the comments in between, each on its own line, and at most one empty
// line wherever the source has one or more.
func (p *printer) gap(prevEnd, offset, line int) {
	next := func() int {
		if len(p.comments) > 0 && p.comments[0].Pos.Offset < offset {
			return p.comments[0].Pos.Line
		}
		return line
	}
	if prevEnd > 0 && next() > prevEnd+1 && next() != 1<<62 {
		p.nl()
	}
	for len(p.comments) > 0 && p.comments[0].Pos.Offset < offset {
		c := p.comments[0]
		p.comments = p.comments[1:]
		if p.col > 0 {
			p.nl()
		}
		p.w(strings.TrimRight(c.Text, " \t\r"))
		n := next()
		if n == 1<<62 {
			continue // the caller ends the line
		}
		p.nl()
		if n > c.Pos.Line+1 {
			p.nl()
		}
	}
}

// trailing prints the comment that ends source line line, if any.
func (p *printer) trailing(line int) {
	if len(p.comments) > 0 && p.comments[0].Pos.Line == line {
		p.w("  " + strings.TrimRight(p.comments[0].Text, " \t\r"))
		p.comments = p.comments[1:]
	}
}

func (p *printer) decl(d *Decl) {
	switch {
	case d.Import != nil:
		p.w("import " + strconv.Quote(d.Import.Path.Value))
	case d.Let != nil:
		p.w("let " + d.Let.Name.Name + " = " + FormatExpr(d.Let.Value))
	case d.Def != nil:
		var params []string
		for _, q := range d.Def.Params {
			s := q.Name.Name
			if q.Default != nil {
				s += "=" + FormatExpr(q.Default)
			}
			params = append(params, s)
		}
		p.w("def " + d.Def.Name.Name + "(" + strings.Join(params, ", ") + ") = ")
		p.node(d.Def.Body)
	case d.Model != nil:
		m := d.Model
		p.w("model " + m.Name.Name)
		if len(m.Options) > 0 {
			p.w(" (")
			align := p.col
			for i, o := range m.Options {
				if i > 0 {
					p.w(",")
					if o.Pos.Line > m.Options[i-1].EndPos.Line {
						p.nl()
						p.b.WriteString(strings.Repeat(" ", align))
						p.col = align
					} else {
						p.w(" ")
					}
				}
				p.w(o.Key.Name + " " + FormatExpr(o.Value))
			}
			p.w(")")
		}
		p.w(" ")
		p.seq(m.Body)
	}
}

func (p *printer) node(n *Node) {
	switch {
	case n.Seq != nil:
		p.seq(n.Seq)
	case n.Repeat != nil:
		p.w("repeat " + FormatExpr(n.Repeat.Count) + " ")
		p.seq(n.Repeat.Body)
	case n.Concat != nil:
		p.concat(n.Concat)
	case n.Residual != nil:
		r := n.Residual
		p.w("residual ")
		p.seq(r.Body)
		if r.Shortcut != nil {
			p.w(" shortcut")
			if r.Shortcut.Optional {
				p.w("?")
			}
			p.w(" ")
			p.member(r.Shortcut.Path)
		}
		if r.Then != nil {
			p.w(" then ")
			p.member(r.Then)
		}
	case n.Apply != nil:
		p.w(FormatApply(n.Apply))
	}
}

// inline reports whether a bracketed construct from start to end fits on
// one source line with no comment inside: it is then printed on one line.
func (p *printer) inline(startLine, endLine, endOffset int) bool {
	if startLine != endLine {
		return false
	}
	return len(p.comments) == 0 || p.comments[0].Pos.Offset > endOffset
}

func (p *printer) seq(s *Seq) {
	if s.Block {
		p.w("block ")
	}
	if p.inline(s.Pos.Line, s.EndPos.Line, s.EndPos.Offset) {
		p.w("<")
		if len(s.Members) > 0 {
			p.w(" ")
		}
		for i, m := range s.Members {
			if i > 0 {
				p.w("; ")
			}
			p.member(m)
		}
		if len(s.Members) > 0 {
			p.w(" ")
		}
		p.w(">")
		return
	}
	p.w("<")
	p.indent++
	p.lines(s.Members, s.EndPos.Offset)
	p.indent--
	p.nl()
	p.w(">")
}

// lines prints members one source line at a time: members that shared a
// line in the source share one here, joined by "; ".
func (p *printer) lines(ms []*Member, end int) {
	for i, m := range ms {
		if i == 0 || m.Pos.Line > ms[i-1].EndPos.Line {
			prev := 0
			if i > 0 {
				p.trailing(ms[i-1].EndPos.Line)
				prev = ms[i-1].EndPos.Line
			}
			p.nl()
			p.gap(prev, m.Pos.Offset, m.Pos.Line)
		} else {
			p.w("; ")
		}
		p.member(m)
	}
	prev := 0
	if len(ms) > 0 {
		p.trailing(ms[len(ms)-1].EndPos.Line)
		prev = ms[len(ms)-1].EndPos.Line
	}
	p.tail(prev, end)
}

// tail prints the comments left before a closing bracket at offset end.
func (p *printer) tail(prev, end int) {
	if len(p.comments) > 0 && p.comments[0].Pos.Offset < end {
		p.nl()
		p.gap(prev, end, 1<<62)
	}
}

func (p *printer) concat(c *Concat) {
	var end int
	if n := len(c.Branches); n > 0 {
		end = c.Branches[n-1].EndPos.Offset
	}
	if p.inline(c.Pos.Line, c.EndPos.Line, c.EndPos.Offset) {
		p.w("concat < ")
		for i, b := range c.Branches {
			if i > 0 {
				p.w(" | ")
			}
			for j, m := range b.Members {
				if j > 0 {
					p.w("; ")
				}
				p.member(m)
			}
		}
		p.w(" >")
		return
	}
	p.w("concat <")
	p.indent++
	for i, b := range c.Branches {
		bend := end
		if i+1 < len(c.Branches) {
			bend = c.Branches[i+1].Pos.Offset
		}
		p.branch(b, i == 0, bend)
	}
	p.indent--
	p.nl()
	p.w(">")
}

// branch prints one branch of a multi-line concat: "  " or "| " before its
// first line, members on their source lines, continuation lines indented
// under the first member.
func (p *printer) branch(b *Branch, first bool, end int) {
	for i, m := range b.Members {
		if i == 0 || m.Pos.Line > b.Members[i-1].EndPos.Line {
			if i > 0 {
				p.trailing(b.Members[i-1].EndPos.Line)
			}
			p.nl()
			prev := 0
			if i > 0 {
				prev = b.Members[i-1].EndPos.Line
			}
			p.gap(prev, m.Pos.Offset, m.Pos.Line)
			if i == 0 && !first {
				p.w("| ")
			} else {
				p.w("  ")
			}
		} else {
			p.w("; ")
		}
		p.member(m)
	}
	if len(b.Members) == 0 {
		p.nl()
		if !first {
			p.w("|")
		}
		return
	}
	last := b.Members[len(b.Members)-1].EndPos.Line
	p.trailing(last)
	p.tail(last, end)
}

func (p *printer) member(m *Member) {
	if m.Name != nil {
		p.w(m.Name.Name + ": ")
	}
	p.node(m.Node)
	if m.Expect != nil {
		p.w(" -> " + FormatExpr(m.Expect))
	}
}
