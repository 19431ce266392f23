//go:build amd64 && !purego

package kernel

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// asmArgs lists every struct the assembly reads through a pointer, the
// functions that read it (and the parameter that points at it), and the
// width in bytes each field is read with. The assembly names fields by
// the offsets the compiler writes into go_asm.h (kparams_flags), so they
// follow the Go declaration; what the table guards is the rest of the
// contract: a field added, removed or resized without the assembly
// following fails TestAsmArgs.
var asmArgs = []struct {
	v      any
	param  string
	funcs  []string
	fields map[string]uintptr
}{
	{kparams{}, "p", []string{"sgemmAVX512x8", "sgemmAVX512x12", "sgemmAVX512x7", "sgemmAVX512x8x16", "sgemmAVX2x6", "sgemmAVX512x8i", "sgemmAVX512x8x16i", "sgemmAVX512x7i"},
		map[string]uintptr{"k": 8, "ldc": 8, "flags": 8, "bias": 8, "res": 8, "ldr": 8, "nmask": 8, "lda": 8, "boff": 8, "pf": 8, "rows": 8, "pfstep": 8, "lo": 4, "hi": 4, "slope": 4}},
	{winoInArgs{}, "a", []string{"winoInAVX512"},
		map[string]uintptr{"src": 8, "idx": 8, "masks": 8, "dst": 8, "plane": 8, "estride": 8, "cstride": 8, "rowb": 8, "nc": 8, "tmp": 8}},
	{winoOutArgs{}, "a", []string{"winoOutAVX512"},
		map[string]uintptr{"m": 8, "estride": 8, "mrow": 8, "dst": 8, "idx": 8, "res": 8, "ridx": 8, "masks": 8, "bias": 8, "plane": 8, "roww": 8, "nc": 8, "flags": 8, "tmp": 8, "lo": 4, "hi": 4, "slope": 4}},
	{gemvArgs{}, "a", []string{"gemvAVX512x1", "gemvAVX512x4"},
		map[string]uintptr{"w": 8, "ldw": 8, "x": 8, "ldx": 8, "full": 8, "mask": 8, "y": 8, "ldy": 8}},
	{snStoreArgs{}, "a", []string{"snStoreAVX512"},
		map[string]uintptr{"src": 8, "dst": 8, "res": 8, "n": 8, "idx": 64, "bias": 4, "step": 8, "flags": 8, "lo": 4, "hi": 4, "slope": 4}},
	{packRowsArgs{}, "a", []string{"packRowsAVX512"},
		map[string]uintptr{"dst": 8, "src": 8, "n": 8, "j": 8, "run": 8, "ow": 8, "jump": 8, "pstride": 8}},
	{maxPoolArgs{}, "a", []string{"maxPoolAVX512"},
		map[string]uintptr{"src": 8, "dst": 8, "tmp": 8, "rows": 8, "oh": 8, "w": 8, "pw": 8, "ow": 8, "kw": 8, "sw": 8}},
	{maxPoolS1Args{}, "a", []string{"maxPoolS1AVX512", "maxPoolS2AVX512", "maxPoolS2K3AVX512", "maxPoolS1K3AVX512"},
		map[string]uintptr{"src": 8, "dst": 8, "rows": 8, "oh": 8, "w": 8, "ow": 8, "kw": 8, "pw": 8, "masks": 8, "n": 8, "plane": 8, "left": 8}},
}

// TestAsmArgs checks each argument struct against asmArgs, and each
// function reading it: from the instruction loading the parameter until
// that register is overwritten, fields are read by go_asm.h's names for
// that struct, never at a numeric offset.
func TestAsmArgs(t *testing.T) {
	texts := asmTexts(t)
	for _, a := range asmArgs {
		typ := reflect.TypeOf(a.v)
		seen := map[string]bool{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Name == "_" {
				continue
			}
			seen[f.Name] = true
			want, ok := a.fields[f.Name]
			switch {
			case !ok:
				t.Errorf("%s.%s is not in asmArgs: say how wide the assembly (%s) reads it, after updating the assembly", typ.Name(), f.Name, strings.Join(a.funcs, ", "))
			case f.Type.Size() != want:
				t.Errorf("%s.%s is %d bytes; the assembly reads %d", typ.Name(), f.Name, f.Type.Size(), want)
			}
		}
		for name := range a.fields {
			if !seen[name] {
				t.Errorf("asmArgs lists %s.%s, which the struct lacks", typ.Name(), name)
			}
		}
		for _, fn := range a.funcs {
			body, ok := texts[fn]
			if !ok {
				t.Errorf("no assembly for %s", fn)
				continue
			}
			checkFieldReads(t, fn, body, a.param, typ.Name())
		}
	}
}

var (
	textRE  = regexp.MustCompile(`^TEXT ·(\w+)\(SB\)`)
	paramRE = regexp.MustCompile(`^MOVQ (\w+)\+\d+\(FP\), (\w+)$`)
)

// asmTexts returns the lines of every assembly function of the package,
// by name, comments stripped.
func asmTexts(t *testing.T) map[string][]string {
	files, err := filepath.Glob("*_amd64.s")
	if err != nil || len(files) == 0 {
		t.Fatalf("no assembly files: %v", err)
	}
	texts := map[string][]string{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cur string
		for line := range strings.SplitSeq(string(b), "\n") {
			if i := strings.Index(line, "//"); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			if m := textRE.FindStringSubmatch(line); m != nil {
				cur = m[1]
				continue
			}
			if cur != "" && line != "" {
				texts[cur] = append(texts[cur], line)
			}
		}
	}
	return texts
}

func checkFieldReads(t *testing.T, fn string, body []string, param, typ string) {
	t.Helper()
	reg := ""
	var mem *regexp.Regexp
	for _, line := range body {
		if m := paramRE.FindStringSubmatch(line); m != nil && m[1] == param {
			reg = m[2]
			mem = regexp.MustCompile(`(^|[^\w)])([-\w]*)\(` + reg + `\)`)
			continue
		}
		if reg == "" {
			continue
		}
		for _, m := range mem.FindAllStringSubmatch(line, -1) {
			if off := m[2]; off == "" || !strings.HasPrefix(off, typ+"_") {
				t.Errorf("%s: %q reads *%s at offset %q: name the field as go_asm.h does (%s_field)", fn, line, typ, off, typ)
			}
		}
		// The register overwritten: no longer the struct.
		if ops := strings.Split(line, ","); len(ops) > 1 && strings.TrimSpace(ops[len(ops)-1]) == reg {
			return
		}
	}
	if reg == "" {
		t.Errorf("%s: no MOVQ %s+off(FP), reg loading its *%s", fn, param, typ)
	}
}
