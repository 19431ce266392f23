package compiler

import (
	"strings"
	"testing"
)

// TestLookup checks that the editor queries resolve names as the checker
// does: the file's own declarations before the standard library's.
func TestLookup(t *testing.T) {
	src := "# Mine.\ndef basic_block(c) = < conv c k3 >\nlet imagenet_mean = 0.5\nmodel m (input 1x8x8) < basic_block(4) >\n"
	r := Check("m.cnn", []byte(src), nil)
	if len(r.Diags) > 0 {
		t.Fatalf("diagnostics: %v", r.Diags)
	}
	sym, ok := r.LookupDef("basic_block")
	if !ok || sym.File != "m.cnn" || sym.Doc != "Mine." || Signature(sym.Def) != "basic_block(c)" {
		t.Errorf("LookupDef(basic_block) = %+v, want this file's", sym)
	}
	sym, ok = r.LookupDef("bottleneck_stage")
	if !ok || sym.File != StdlibPrefix+"resnet.cnn" || !strings.Contains(sym.Doc, "bottleneck blocks") {
		t.Errorf("LookupDef(bottleneck_stage) = %+v, want the standard library's", sym)
	}
	sym, ok = r.LookupLet("imagenet_mean")
	if !ok || sym.File != "m.cnn" {
		t.Errorf("LookupLet(imagenet_mean) = %+v, want this file's", sym)
	}
	if _, ok := r.LookupLet("basic_block"); ok {
		t.Error("LookupLet finds a definition")
	}
	seen := map[string]string{}
	for _, s := range r.Symbols() {
		k := s.Name
		if s.Let != nil {
			k = "let " + k
		}
		if prev, dup := seen[k]; dup {
			t.Errorf("Symbols lists %s twice: in %s and %s", k, prev, s.File)
		}
		seen[k] = s.File
	}
	if seen["basic_block"] != "m.cnn" || seen["let imagenet_std"] != StdlibPrefix+"imagenet.cnn" {
		t.Errorf("Symbols: %v", seen)
	}
	if got := r.Files(); len(got) != 1 || got[0] != "m.cnn" {
		t.Errorf("Files() = %v", got)
	}
	attrs := LayerAttrs("conv")
	if len(attrs) != 6 || attrs[0] != (Attribute{Name: "kernel", Short: "k"}) || attrs[5] != (Attribute{Name: "nobias", Flag: true}) {
		t.Errorf("LayerAttrs(conv) = %+v", attrs)
	}
}
