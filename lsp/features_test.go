package lsp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/compiler"
)

// applyEdits applies non-overlapping edits to text.
func applyEdits(t *testing.T, text string, edits []TextEdit) string {
	t.Helper()
	x := newLineIndex([]byte(text))
	sort.Slice(edits, func(i, j int) bool { return before(edits[j].Range.Start, edits[i].Range.Start) })
	for _, e := range edits {
		from, to := x.offset(e.Range.Start), x.offset(e.Range.End)
		text = text[:from] + e.NewText + text[to:]
	}
	return text
}

// cursor returns the position of the n-th (from 0) occurrence of word in
// text, plus shift bytes.
func cursor(t *testing.T, text, word string, n, shift int) Position {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		k := strings.Index(text[off+1:], word)
		if k < 0 {
			t.Fatalf("no occurrence %d of %q", n, word)
		}
		off += 1 + k
	}
	return newLineIndex([]byte(text)).position(off + shift)
}

const renameSrc = `let width = 8
let pad = 1

# A block of two convolutions.
def blk(c, s=1) = < conv1: conv c k3 stride=s p1; relu; conv2: conv c k3 padding=pad >

model m (input 1x16x16) <
  stem: conv width k3 p1
  b1: blk(width, s=2)
  b2: blk(c=width * 2)
  flatten
  fc: dense 10
>
`

func TestRename(t *testing.T) {
	c := newClient(t, nil)
	uri := "file:///tmp/rename/m.cnn"
	if ds := c.open(uri, renameSrc); len(ds) != 0 {
		t.Fatalf("diagnostics: %+v", ds)
	}
	for _, tc := range []struct {
		name      string
		at        Position
		newName   string
		want      string // the text after the rename, or
		wantError string // the error
	}{
		{"definition from a call", cursor(t, renameSrc, "blk(", 1, 1), "block2",
			strings.ReplaceAll(renameSrc, "blk(", "block2("), ""},
		{"definition from its declaration", cursor(t, renameSrc, "blk", 0, 0), "pair",
			strings.ReplaceAll(renameSrc, "blk(", "pair("), ""},
		{"constant", cursor(t, renameSrc, "width", 2, 2), "w",
			strings.ReplaceAll(renameSrc, "width", "w"), ""},
		{"parameter from its use", cursor(t, renameSrc, "conv c", 0, 5), "ch",
			strings.NewReplacer("blk(c,", "blk(ch,", "conv c ", "conv ch ", "blk(c=", "blk(ch=").Replace(renameSrc), ""},
		{"parameter from a KEY=", cursor(t, renameSrc, "s=2", 0, 0), "st",
			strings.NewReplacer("s=1", "st=1", "stride=s ", "stride=st ", "s=2", "st=2").Replace(renameSrc), ""},
		{"member", cursor(t, renameSrc, "stem", 0, 1), "entry",
			strings.Replace(renameSrc, "stem:", "entry:", 1), ""},
		{"model", cursor(t, renameSrc, "model m", 0, 6), "net",
			strings.Replace(renameSrc, "model m ", "model net ", 1), ""},
		// Refused at the name: prepareRename says so too.
		{"built-in layer", cursor(t, renameSrc, "conv c", 0, 0), "x", "", "conv is a built-in layer"},
		{"attribute", cursor(t, renameSrc, "k3", 0, 1), "x", "", "k3 is an attribute"},
		{"nothing", Position{Line: 2, Character: 0}, "x", "", "there is no name here"},
		// Refused for the new name.
		{"keyword", cursor(t, renameSrc, "blk", 0, 0), "repeat", "", "new: repeat is a keyword"},
		{"not a name", cursor(t, renameSrc, "blk", 0, 0), "a b", "", `new: "a b" is not a name`},
		{"a layer's name", cursor(t, renameSrc, "blk", 0, 0), "relu", "", "new: relu is a built-in layer"},
		{"taken", cursor(t, renameSrc, "blk", 0, 0), "basic_block", "", "new: basic_block is already defined in stdlib/resnet.cnn"},
		{"captured", cursor(t, renameSrc, "pad", 0, 0), "c", "", "new: c is a parameter of blk, which uses pad"},
		{"hiding", cursor(t, renameSrc, "c,", 0, 0), "pad", "", "new: blk uses pad, which the parameter would hide"},
		{"twin parameter", cursor(t, renameSrc, "c,", 0, 0), "s", "", "new: blk already has a parameter s"},
		{"twin member", cursor(t, renameSrc, "conv1", 0, 0), "conv2", "", "new: a member of the same sequence is already named conv2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			params := at(uri, tc.at.Line, tc.at.Character)
			prep := c.call("textDocument/prepareRename", params)
			params["newName"] = tc.newName
			m := c.call("textDocument/rename", params)
			if tc.wantError != "" {
				msg, forNewName := strings.CutPrefix(tc.wantError, "new: ")
				if m.Error == nil || !strings.Contains(m.Error.Message, msg) {
					t.Errorf("rename: %s %v, want an error with %q", m.Result, m.Error, msg)
				}
				if !forNewName && (prep.Error == nil || !strings.Contains(prep.Error.Message, msg)) {
					t.Errorf("prepareRename: %s %v, want an error with %q", prep.Result, prep.Error, msg)
				}
				if forNewName && prep.Error != nil {
					t.Errorf("prepareRename: %v", prep.Error)
				}
				return
			}
			if prep.Error != nil {
				t.Fatalf("prepareRename: %v", prep.Error)
			}
			var edit WorkspaceEdit
			c.result("textDocument/rename", params, &edit)
			if len(edit.Changes) != 1 {
				t.Fatalf("edits of %d documents: %+v", len(edit.Changes), edit)
			}
			if got := applyEdits(t, renameSrc, edit.Changes[uri]); got != tc.want {
				t.Errorf("renamed:\n%s\nwant:\n%s", got, tc.want)
			} else if r := compiler.Check("m.cnn", []byte(got), nil); len(r.Diags) != 0 {
				t.Errorf("the renamed file has diagnostics: %v", r.Diags)
			}
		})
	}
	// The standard library is read-only.
	lib := "model r (input 3x32x32) < basic_block(64) >\n"
	c.open("file:///tmp/rename/r.cnn", lib)
	m := c.call("textDocument/prepareRename", at("file:///tmp/rename/r.cnn", 0, 30))
	if m.Error == nil || !strings.Contains(m.Error.Message, "standard library") {
		t.Errorf("renaming basic_block: %s %v", m.Result, m.Error)
	}
	// A file that does not parse is not renamed in.
	c.change(uri, 2, renameSrc+"model broken <\n")
	params := at(uri, 0, 5)
	params["newName"] = "w"
	if m := c.call("textDocument/rename", params); m.Error == nil || !strings.Contains(m.Error.Message, "does not parse") {
		t.Errorf("renaming in a file that does not parse: %s %v", m.Result, m.Error)
	}
}

// TestRenameAcrossFiles renames a definition of an imported file from a
// call in its importer, with the imported file open and then closed (read
// from disk), and lists its references.
func TestRenameAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	libText := "def head(n) = < flatten; dense n >\nmodel probe (input 1x2x2) < head(3) >\n"
	mainText := "import \"lib.cnn\"\nmodel m (input 1x4x4) < head(10) >\nmodel k (input 1x4x4) < head(n=5) >\n"
	lib, main := filepath.Join(dir, "lib.cnn"), filepath.Join(dir, "main.cnn")
	os.WriteFile(lib, []byte(libText), 0o644)
	c := newClient(t, nil)
	c.open(pathToURI(main), mainText)
	for _, open := range []bool{false, true} {
		if open {
			c.open(pathToURI(lib), libText)
		}
		params := at(pathToURI(main), 1, 26)
		params["newName"] = "classifier"
		var edit WorkspaceEdit
		c.result("textDocument/rename", params, &edit)
		if got := applyEdits(t, mainText, edit.Changes[pathToURI(main)]); got != strings.ReplaceAll(mainText, "head", "classifier") {
			t.Errorf("open %v: main after the rename:\n%s", open, got)
		}
		if got := applyEdits(t, libText, edit.Changes[pathToURI(lib)]); got != strings.ReplaceAll(libText, "head", "classifier") {
			t.Errorf("open %v: lib after the rename:\n%s", open, got)
		}
		var refs []Location
		params = at(pathToURI(main), 1, 26)
		params["context"] = map[string]any{"includeDeclaration": true}
		c.result("textDocument/references", params, &refs)
		if len(refs) != 4 {
			t.Errorf("open %v: references with the declaration: %+v", open, refs)
		}
		params["context"] = map[string]any{"includeDeclaration": false}
		c.result("textDocument/references", params, &refs)
		if len(refs) != 3 {
			t.Errorf("open %v: references without the declaration: %+v", open, refs)
		}
		// The parameter n, from a KEY= in main: its declaration and use in
		// lib, and the key.
		params = at(pathToURI(main), 2, 29)
		params["newName"] = "classes"
		c.result("textDocument/rename", params, &edit)
		if got := applyEdits(t, libText, edit.Changes[pathToURI(lib)]); got != strings.NewReplacer("head(n)", "head(classes)", "dense n", "dense classes").Replace(libText) {
			t.Errorf("open %v: lib after renaming n:\n%s", open, got)
		}
		if got := applyEdits(t, mainText, edit.Changes[pathToURI(main)]); got != strings.Replace(mainText, "n=5", "classes=5", 1) {
			t.Errorf("open %v: main after renaming n:\n%s", open, got)
		}
	}
	// References of a library definition: its declaration and the calls.
	var refs []Location
	r := "model r (input 3x32x32) < basic_block(64); basic_block(64) >\n"
	c.open("file:///tmp/refs/r.cnn", r)
	params := at("file:///tmp/refs/r.cnn", 0, 30)
	params["context"] = map[string]any{"includeDeclaration": true}
	c.result("textDocument/references", params, &refs)
	if len(refs) != 3 || !strings.HasSuffix(refs[0].URI, "/resnet.cnn") {
		t.Errorf("references of basic_block: %+v", refs)
	}
}

func TestSignatureHelp(t *testing.T) {
	c := newClient(t, nil)
	uri := "file:///tmp/sig/m.cnn"
	src := renameSrc + "model n (input 1x8x8) <\n  a: blk(4, \n"
	c.open(uri, src)
	x := newLineIndex([]byte(src))
	for _, tc := range []struct {
		at     Position
		active int // -1: no help
	}{
		{cursor(t, src, "blk(width", 0, 4), 0},
		{cursor(t, src, "s=2", 0, 0), 1},
		{cursor(t, src, "c=width", 0, 7), 0},
		{x.position(len(src) - 1), 1},             // a call being typed, on the last line
		{cursor(t, src, "stem", 0, 0), -1},        // not in a call
		{cursor(t, src, "blk(c, s", 0, 5), -1},    // a definition's head
		{cursor(t, src, "(input 1x16", 0, 3), -1}, // model options
		{cursor(t, src, "# A block", 0, 5), -1},   // a comment
	} {
		var h *SignatureHelp
		c.result("textDocument/signatureHelp", at(uri, tc.at.Line, tc.at.Character), &h)
		switch {
		case tc.active < 0 && h != nil:
			t.Errorf("at %v: %+v, want none", tc.at, h)
		case tc.active < 0:
		case h == nil || len(h.Signatures) != 1:
			t.Errorf("at %v: %+v", tc.at, h)
		default:
			sig := h.Signatures[0]
			if sig.Label != "blk(c, s=1)" || h.ActiveParameter != tc.active || sig.Documentation == nil || sig.Documentation.Value != "A block of two convolutions." {
				t.Errorf("at %v: %+v, active %d, want blk(c, s=1) with parameter %d active", tc.at, sig, h.ActiveParameter, tc.active)
			}
			var labels []string
			for _, p := range sig.Parameters {
				labels = append(labels, sig.Label[p.Label[0]:p.Label[1]])
			}
			if strings.Join(labels, "|") != "c|s=1" {
				t.Errorf("parameter labels %q", labels)
			}
		}
	}
}

func TestCodeActions(t *testing.T) {
	c := newClient(t, nil)
	uri := "file:///tmp/fix/alexnet.cnn"
	src := readFile(t, "../models/alexnet.cnn")
	bad := strings.Replace(src, "in 6*6*256", "in 6*6*128", 1)
	if bad == src {
		t.Fatal("alexnet.cnn has no `in 6*6*256`")
	}
	bad = strings.Replace(bad, "relu", "rleu", 1)
	ds := c.open(uri, bad)
	text := bad
	for _, want := range []string{"write relu", "write `in 6*6*256`"} {
		if len(ds) != 1 {
			t.Fatalf("diagnostics: %+v", ds)
		}
		var actions []CodeAction
		c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": map[string]any{"start": pos(0, 0), "end": pos(1000, 0)}, "context": map[string]any{"diagnostics": ds}}, &actions)
		if len(actions) == 0 || actions[0].Title != want || actions[0].Kind != "quickfix" || !actions[0].IsPreferred || len(actions[0].Diagnostics) != 1 {
			t.Fatalf("code actions: %+v, want first %q", actions, want)
		}
		text = applyEdits(t, text, actions[0].Edit.Changes[uri])
		ds = c.change(uri, len(ds)+10, text)
	}
	if len(ds) != 0 || text != src {
		t.Errorf("after the fixes: %+v\n%s", ds, text)
	}
	// A range away from any diagnostic, and a kind not offered, get none.
	ds = c.change(uri, 99, bad)
	var actions []CodeAction
	c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": map[string]any{"start": pos(0, 0), "end": pos(0, 3)}, "context": map[string]any{"diagnostics": []any{}}}, &actions)
	if len(actions) != 0 {
		t.Errorf("code actions on line 1: %+v", actions)
	}
	c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": ds[0].Range, "context": map[string]any{"diagnostics": ds, "only": []string{"refactor"}}}, &actions)
	if len(actions) != 0 {
		t.Errorf("refactor actions: %+v", actions)
	}
	c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": ds[0].Range, "context": map[string]any{"diagnostics": ds, "only": []string{"quickfix"}}}, &actions)
	if len(actions) != 1 {
		t.Errorf("quick fixes at the first diagnostic: %+v", actions)
	}
}
