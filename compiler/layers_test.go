package compiler_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/compiler"
)

// The layer-consistency tests: every layer the compiler registers has a
// doc and a PyTorch module, a row in docs/language.md's layer tables that
// documents its aliases, arguments and defaults, and a place in both
// editor grammars. Registering a layer without the rest fails here, naming
// what is missing. That every layer lowers and runs is tested where the
// runtime is linked; this package's tests stay free of it, so that they
// build while the runtime is being changed.

const (
	languageDoc = "../docs/language.md"
	tmGrammar   = "../editor/vscode/syntaxes/cnn.tmLanguage.json"
	vimSyntax   = "../editor/vim/syntax/cnn.vim"
)

func TestLayerInfo(t *testing.T) {
	for _, l := range compiler.Layers() {
		if l.Doc == "" {
			t.Errorf("layer %s has no doc", l.Name)
		}
		if l.Torch == "" {
			t.Errorf("layer %s names no PyTorch module", l.Name)
		}
		if l.Family == "" {
			t.Errorf("layer %s has no family", l.Name)
		}
	}
}

// A docRow is one row of a layer table: the family heading above it and
// its cells (layer, arguments, PyTorch, computes).
type docRow struct {
	family string
	cells  []string
	line   int
}

var codeSpan = regexp.MustCompile("`([^`]*)`")

// layerRows reads the layer tables of docs/language.md: the rows under the
// "#### Family" headings of its "### Layers" section, by every name in
// their first cell.
func layerRows(t *testing.T) map[string]*docRow {
	t.Helper()
	src, err := os.ReadFile(languageDoc)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]*docRow{}
	in, family := false, ""
	for i, line := range strings.Split(string(src), "\n") {
		switch {
		case strings.HasPrefix(line, "### "):
			in = line == "### Layers"
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "#### "):
			family = strings.TrimPrefix(line, "#### ")
			continue
		case !strings.HasPrefix(line, "| `"):
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if len(cells) != 4 {
			t.Errorf("%s:%d: a layer row has %d cells, want 4 (layer, arguments, PyTorch, computes)", languageDoc, i+1, len(cells))
			continue
		}
		r := &docRow{family: family, cells: cells, line: i + 1}
		for _, m := range codeSpan.FindAllStringSubmatch(cells[0], -1) {
			name := strings.Fields(m[1])[0]
			if rows[name] != nil {
				t.Errorf("%s:%d: layer %s has a row already, on line %d", languageDoc, i+1, name, rows[name].line)
			}
			rows[name] = r
		}
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no layer tables under ### Layers", languageDoc)
	}
	return rows
}

// inCode reports whether word appears as a whole word inside a code span
// of text.
func inCode(text, word string) bool {
	w := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(word) + `($|[^A-Za-z0-9_])`)
	for _, m := range codeSpan.FindAllStringSubmatch(text, -1) {
		if w.MatchString(m[1]) {
			return true
		}
	}
	return false
}

func TestLayerDocs(t *testing.T) {
	rows := layerRows(t)
	for _, l := range compiler.Layers() {
		r := rows[l.Name]
		if r == nil {
			t.Errorf("%s: layer %s has no row in the layer tables under ### Layers", languageDoc, l.Name)
			continue
		}
		where := languageDoc + ":" + strconv.Itoa(r.line) + ": " + l.Name
		for _, a := range l.Aliases {
			if rows[a] != r {
				t.Errorf("%s: the row does not list the alias %s in its first cell", where, a)
			}
		}
		if !strings.EqualFold(r.family, string(l.Family)) {
			t.Errorf("%s: under #### %s, but the layer is of the family %s", where, r.family, l.Family)
		}
		args, torch, computes := r.cells[1], r.cells[2], r.cells[3]
		if !strings.Contains(torch, "`"+l.Torch+"`") {
			t.Errorf("%s: the PyTorch cell %q does not name `%s`", where, torch, l.Torch)
		}
		if computes == "" {
			t.Errorf("%s: the row does not say what it computes", where)
		}
		for _, a := range l.Attributes {
			if !inCode(args, a) {
				t.Errorf("%s: the arguments cell does not document the attribute `%s`", where, a)
			}
		}
		for _, f := range l.Flags {
			if !inCode(args, f) {
				t.Errorf("%s: the arguments cell does not document the flag `%s`", where, f)
			}
		}
		for _, a := range compiler.LayerAttrs(l.Name) {
			if a.Short != "" && !strings.Contains(args, "`"+a.Short+"N`") {
				t.Errorf("%s: the arguments cell does not give the short form `%sN` of %s", where, a.Short, a.Name)
			}
		}
		// The activations' defaults are data (act.Table): the row must give
		// each as `name=default`.
		if k, ok := act.Lookup(l.Name); ok {
			info := act.Table[k]
			for _, p := range info.Params {
				if p.Name == info.Flag {
					continue
				}
				want := "`" + p.Name + "=" + strconv.FormatFloat(p.Default, 'g', -1, 64) + "`"
				if !strings.Contains(args, want) {
					t.Errorf("%s: the arguments cell does not give the default %s", where, want)
				}
			}
		}
	}
	known := map[string]bool{}
	for _, n := range compiler.LayerNames() {
		known[n] = true
	}
	for name, r := range rows {
		if !known[name] {
			t.Errorf("%s:%d: a row for %s, which is not a layer", languageDoc, r.line, name)
		}
	}
}

// grammarWords returns the layer names and the words of the flag patterns
// of both editor grammars.
func grammarWords(t *testing.T) map[string][2][]string {
	t.Helper()
	out := map[string][2][]string{}
	word := regexp.MustCompile(`[a-z][a-z0-9]*`)

	src, err := os.ReadFile(tmGrammar)
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Repository map[string]json.RawMessage `json:"repository"`
	}
	if err := json.Unmarshal(src, &g); err != nil {
		t.Fatalf("%s: %v", tmGrammar, err)
	}
	var layer struct{ Match string }
	json.Unmarshal(g.Repository["layer"], &layer)
	m := regexp.MustCompile(`^\\b\(([a-z0-9|]+)\)\\b$`).FindStringSubmatch(layer.Match)
	if m == nil {
		t.Fatalf("%s: repository.layer.match is not \\b(name|name|...)\\b: %q", tmGrammar, layer.Match)
	}
	var tmFlags []string
	for _, raw := range g.Repository {
		// Every match whose scope, or a capture's, is a flag.
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if re, ok := v["match"].(string); ok {
					b, _ := json.Marshal(v)
					if strings.Contains(string(b), `"constant.language.flag.cnn"`) {
						tmFlags = append(tmFlags, word.FindAllString(re, -1)...)
					}
				}
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		var v any
		json.Unmarshal(raw, &v)
		walk(v)
	}
	out[tmGrammar] = [2][]string{strings.Split(m[1], "|"), tmFlags}

	src, err = os.ReadFile(vimSyntax)
	if err != nil {
		t.Fatal(err)
	}
	var vimLayers, vimFlags []string
	layerRE := regexp.MustCompile(`^syn match cnnLayer '\\<\\\((.*)\\\)\\>'$`)
	for _, line := range strings.Split(string(src), "\n") {
		if m := layerRE.FindStringSubmatch(line); m != nil {
			vimLayers = append(vimLayers, strings.Split(m[1], `\|`)...)
		}
		if strings.HasPrefix(line, "syn match cnnFlag ") {
			vimFlags = append(vimFlags, word.FindAllString(strings.TrimPrefix(line, "syn match cnnFlag "), -1)...)
		}
	}
	if vimLayers == nil {
		t.Fatalf(`%s: no line syn match cnnLayer '\<\(name\|name\|...\)\>'`, vimSyntax)
	}
	out[vimSyntax] = [2][]string{vimLayers, vimFlags}
	return out
}

func TestLayerGrammars(t *testing.T) {
	names := compiler.LayerNames()
	for file, words := range grammarWords(t) {
		layers, flags := words[0], words[1]
		for _, n := range names {
			if !slices.Contains(layers, n) {
				t.Errorf("%s: the layer list lacks %s", file, n)
			}
		}
		for _, n := range layers {
			if !slices.Contains(names, n) {
				t.Errorf("%s: the layer list has %s, which is not a layer", file, n)
			}
		}
		for _, l := range compiler.Layers() {
			for _, f := range l.Flags {
				if !slices.Contains(flags, f) {
					t.Errorf("%s: no flag pattern highlights %s's flag %s", file, l.Name, f)
				}
			}
		}
	}
}
