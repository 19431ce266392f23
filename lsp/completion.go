package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// completion answers textDocument/completion from the text of the line
// before the cursor, which need not parse: where a member starts, the
// layers, the definitions in scope and the node keywords; after a layer,
// its attributes; in a call, the definition's parameters; in expressions,
// the parameters and constants in scope; at the start of a line, the
// declaration keywords. The client filters by what is typed.
func (s *Server) completion(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[textDocumentPositionParams](raw)
	if err != nil {
		return nil, err
	}
	items := []CompletionItem{}
	d := s.document(p.TextDocument.URI)
	if d == nil || p.Position.Line >= d.an.lines.lines() {
		return items, nil
	}
	a := d.an
	off := a.lines.offset(p.Position)
	start := a.lines.starts[p.Position.Line]
	if off-start > maxLinePrefix {
		return items, nil
	}
	c := completer{s: s, d: d, off: off}
	return c.complete(string(a.text[start:off]), items), nil
}

// maxLinePrefix bounds the text before the cursor that completion and
// signature help read: no line a person types is longer, and a machine's
// line of megabytes would cost a second to tokenize at every keystroke.
const maxLinePrefix = 64 << 10

type completer struct {
	s   *Server
	d   *document
	off int
}

func (c *completer) complete(prefix string, items []CompletionItem) []CompletionItem {
	toks := grammar.Tokens([]byte(prefix))
	if n := len(toks); n > 0 {
		last := toks[n-1]
		end := last.Offset + len(last.Text)
		switch {
		case last.Kind == grammar.TokenComment, last.Kind == grammar.TokenString && end == len(prefix), inString(prefix):
			return items // in a comment or a string
		case end == len(prefix) && last.Kind != grammar.TokenIdent && last.Kind != grammar.TokenKeyword && last.Kind != grammar.TokenPunct && last.Kind != grammar.TokenArrow:
			return items // in a number
		case end == len(prefix) && (last.Kind == grammar.TokenIdent || last.Kind == grammar.TokenKeyword):
			toks = toks[:n-1] // the word being typed
		}
	}
	if len(toks) == 0 {
		if prefix == strings.TrimLeft(prefix, " \t") {
			items = append(items, keywords(declKeywords)...)
		}
		return append(items, c.nodeItems()...)
	}
	// Inside parentheses: a call's or a layer's arguments, or model options.
	if open := unclosed(toks); open >= 0 {
		head := toks[:open]
		switch {
		case len(head) >= 2 && head[0].Text == "model":
			return append(items, c.optionItems()...)
		case len(head) >= 2 && head[0].Text == "def" && open == 2:
			return items // a definition's parameter names
		case len(head) >= 1 && head[len(head)-1].Kind == grammar.TokenIdent:
			return c.argItems(head[len(head)-1].Text, items)
		}
		return append(items, c.valueItems()...)
	}
	// The member being written: after the last separator, without its name
	// and the keywords that introduce a member.
	seg := toks
	for i, t := range toks {
		if t.Kind == grammar.TokenPunct && strings.Contains(";<|>", t.Text) || t.Kind == grammar.TokenKeyword && t.Text == "then" {
			seg = toks[i+1:]
		}
		if t.Kind == grammar.TokenKeyword && t.Text == "shortcut" {
			seg = toks[i+1:]
		}
		if t.Kind == grammar.TokenPunct && t.Text == "=" && len(toks) > 0 && toks[0].Text == "def" {
			seg = toks[i+1:]
		}
	}
	if len(seg) > 0 && seg[0].Text == "?" {
		seg = seg[1:]
	}
	if len(seg) >= 2 && seg[0].Kind == grammar.TokenIdent && seg[1].Text == ":" {
		seg = seg[2:]
	}
	switch {
	case len(seg) == 0:
		return append(items, c.nodeItems()...)
	case seg[0].Text == "def", seg[0].Text == "model", seg[0].Text == "import":
		return items
	case seg[0].Kind == grammar.TokenIdent:
		if last := seg[len(seg)-1]; last.Text == "=" || last.Text == "in" || last.Kind == grammar.TokenArrow {
			return append(items, c.valueItems()...)
		}
		return c.argItems(seg[0].Text, items)
	}
	return append(items, c.valueItems()...)
}

// inString reports whether a line's text ends inside a string literal.
func inString(prefix string) bool {
	in := false
	for i := 0; i < len(prefix); i++ {
		switch {
		case prefix[i] == '#' && !in:
			return false
		case prefix[i] == '\\' && in:
			i++
		case prefix[i] == '"':
			in = !in
		}
	}
	return in
}

// unclosed returns the index of the innermost '(' not closed, or -1.
func unclosed(toks []grammar.Token) int {
	var stack []int
	for i, t := range toks {
		if t.Kind != grammar.TokenPunct {
			continue
		}
		switch t.Text {
		case "(", "[":
			stack = append(stack, i)
		case ")", "]":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 || toks[stack[len(stack)-1]].Text != "(" {
		return -1
	}
	return stack[len(stack)-1]
}

var (
	declKeywords = []string{"def", "import", "let", "model"}
	nodeKeywords = []string{"block", "concat", "repeat", "residual"}
	modelOptions = []string{"input", "mean", "std", "labels", "weights"}
)

func keywords(words []string) []CompletionItem {
	var out []CompletionItem
	for _, w := range words {
		out = append(out, CompletionItem{Label: w, Kind: completionKeyword, SortText: "3" + w})
	}
	return out
}

// analysis returns the analysis to resolve names with: the current one,
// unless its check panicked.
func (c *completer) analysis() *analysis {
	if c.d.an.result == nil && c.d.good != nil {
		return c.d.good
	}
	return c.d.an
}

// nodeItems are what may start a member: layers, definitions, keywords.
func (c *completer) nodeItems() []CompletionItem {
	var out []CompletionItem
	for _, name := range compiler.LayerNames() {
		doc, _ := compiler.LayerDoc(name)
		out = append(out, CompletionItem{Label: name, Kind: completionFunction, Detail: "layer", SortText: "1" + name,
			Documentation: &MarkupContent{Kind: "markdown", Value: doc}})
	}
	a := c.analysis()
	if a.result != nil {
		for _, sym := range a.result.Symbols() {
			if sym.Def == nil {
				continue
			}
			rank := "2"
			if sym.File == c.d.name {
				rank = "0"
			}
			out = append(out, CompletionItem{Label: sym.Name, Kind: completionFunction, Detail: "def " + compiler.Signature(sym.Def),
				SortText: rank + sym.Name, Documentation: docOf(sym)})
		}
	}
	return append(out, keywords(nodeKeywords)...)
}

// argItems are what may follow a layer (its attributes) or stand in a
// call's arguments (the definition's parameters), and values.
func (c *completer) argItems(head string, items []CompletionItem) []CompletionItem {
	if attrs := compiler.LayerAttrs(head); attrs != nil || isLayer(head) {
		for _, at := range attrs {
			it := CompletionItem{Label: at.Name, Kind: completionProperty, SortText: "0" + at.Name}
			switch {
			case at.Flag:
				it.Detail = "flag of " + head
			case at.Name == "in":
				it.Label, it.Detail = "in", "expected input features"
			default:
				it.Label = at.Name + "="
				it.Detail = "attribute of " + head
				if at.Short != "" {
					it.Detail += ", short form " + at.Short + "3"
				}
			}
			items = append(items, it)
		}
	} else if a := c.analysis(); a.result != nil {
		if sym, ok := a.result.LookupDef(head); ok {
			for _, p := range sym.Def.Params {
				items = append(items, CompletionItem{Label: p.Name.Name + "=", Kind: completionProperty,
					Detail: "parameter of " + compiler.Signature(sym.Def), SortText: "0" + p.Name.Name})
			}
		}
	}
	return append(items, c.valueItems()...)
}

// valueItems are the parameters and constants in scope.
func (c *completer) valueItems() []CompletionItem {
	var out []CompletionItem
	if def := c.def(); def != nil {
		for _, p := range def.Params {
			out = append(out, CompletionItem{Label: p.Name.Name, Kind: completionVariable,
				Detail: "parameter of " + compiler.Signature(def), SortText: "1" + p.Name.Name})
		}
	} else {
		for _, p := range c.typedParams() {
			out = append(out, CompletionItem{Label: p, Kind: completionVariable, Detail: "parameter", SortText: "1" + p})
		}
	}
	if a := c.analysis(); a.result != nil {
		for _, sym := range a.result.Symbols() {
			if sym.Let != nil {
				out = append(out, CompletionItem{Label: sym.Name, Kind: completionConstant,
					Detail: "let " + sym.Name + " = " + grammar.FormatExpr(sym.Let.Value), SortText: "2" + sym.Name, Documentation: docOf(sym)})
			}
		}
	}
	return out
}

func (c *completer) optionItems() []CompletionItem {
	var out []CompletionItem
	for _, o := range modelOptions {
		out = append(out, CompletionItem{Label: o, Kind: completionProperty, Detail: "model option", SortText: "0" + o})
	}
	return append(out, c.valueItems()...)
}

// def returns the definition the cursor is in: from the current syntax
// tree or, when the definition does not parse now, the last that did.
func (c *completer) def() *grammar.Def {
	if def := c.d.an.names().defAt(c.off); def != nil {
		return def
	}
	if g := c.d.good; g != nil && g != c.d.an {
		// The line being typed is new; the nearest unchanged line above it
		// tells which definition it belongs to.
		m := diffLines(g.lines, c.d.an.lines)
		for l := c.d.an.lines.position(c.off).Line; l >= 0; l-- {
			if old, ok := m.toOld(l); ok {
				return g.names().defAt(g.lines.offset(Position{Line: old, Character: 1 << 30}))
			}
		}
	}
	return nil
}

// typedParams reads the parameters of a definition being typed, which
// has never parsed, from the text of its head.
func (c *completer) typedParams() []string {
	text := c.d.an.text[:c.off]
	start := declStart(text)
	if len(text)-start > maxLinePrefix {
		return nil
	}
	toks := grammar.Tokens(text[start:])
	if len(toks) < 3 || toks[0].Text != "def" || toks[2].Text != "(" {
		return nil
	}
	var out []string
	for i := 3; i < len(toks) && toks[i].Text != ")"; i++ {
		if toks[i].Kind == grammar.TokenIdent && (toks[i-1].Text == "(" || toks[i-1].Text == ",") {
			out = append(out, toks[i].Text)
		}
	}
	return out
}

// declStart returns where the last declaration of text starts: after the
// last line break followed by a declaration keyword, or 0.
func declStart(text []byte) int {
	start := 0
	for _, kw := range declKeywords {
		if i := bytes.LastIndex(text, []byte("\n"+kw+" ")); i+1 > start {
			start = i + 1
		}
	}
	return start
}

func docOf(sym compiler.Symbol) *MarkupContent {
	if sym.Doc == "" {
		return nil
	}
	return &MarkupContent{Kind: "markdown", Value: sym.Doc}
}
