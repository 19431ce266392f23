package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A hostileCase is a bad input for one cnnc command: the files it needs,
// the exit code and the error it must give.
type hostileCase struct {
	name   string
	files  map[string][]byte
	args   []string
	exit   int
	stderr string // a regexp
}

const tinyModel = "model tiny (input 1x4x4) < conv 2 k3; relu; flatten; dense 3 >\n"

// tinyWeights is a valid safetensors file for tinyModel.
func tinyWeights(t testing.TB) []byte {
	return safetensors(t, map[string]any{
		"0.weight": tensor("F32", []int{2, 1, 3, 3}), "0.bias": tensor("F32", []int{2}),
		"3.weight": tensor("F32", []int{3, 8}), "3.bias": tensor("F32", []int{3}),
	}, nil)
}

type st struct {
	dtype string
	shape []int
}

func tensor(dtype string, shape []int) st { return st{dtype, shape} }

// safetensors builds a file; override patches the header's entries.
func safetensors(t testing.TB, tensors map[string]any, override func(h map[string]any)) []byte {
	header := map[string]any{}
	var data []byte
	for _, name := range sortedKeys(tensors) {
		s := tensors[name].(st)
		n := 1
		for _, d := range s.shape {
			n *= d
		}
		size := map[string]int{"F32": 4, "F16": 2, "I64": 8}[s.dtype]
		header[name] = map[string]any{"dtype": s.dtype, "shape": s.shape, "data_offsets": []int{len(data), len(data) + n*size}}
		for i := range n {
			switch size {
			case 4:
				data = binary.LittleEndian.AppendUint32(data, uint32(0x3c000000+i)) // small positive floats
			case 2:
				data = binary.LittleEndian.AppendUint16(data, 0x3c00)
			default:
				data = binary.LittleEndian.AppendUint64(data, 0)
			}
		}
	}
	if override != nil {
		override(header)
	}
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	return append(append(out, h...), data...)
}

func sortedKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// npy builds a .npy file with the given header dict and data bytes.
func npy(dict string, data []byte) []byte {
	h := dict
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	out := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	return append(append(out, h...), data...)
}

func f32s(vals ...float32) []byte {
	var b []byte
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, mathFloat32bits(v))
	}
	return b
}

func zeros(n int) []float32 { return make([]float32, n) }

// png builds a PNG whose header declares w x h pixels, with a truncated body.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(ihdr))))
	b.Write(chunk)
	b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(chunk)))
	return b.Bytes()
}

// grayLine encodes a gray PNG of w × h pixels: a line of millions of
// pixels compresses to kilobytes, and resizing it once asked for
// gigabytes.
func grayLine(t testing.TB, w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 1000)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func hostileCases(t testing.TB) []hostileCase {
	w := tinyWeights(t)
	model := []byte(tinyModel)
	valid := npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(zeros(16)...))
	run := func(input string) []string { return []string{"run", "--weights", "w.safetensors", "m.cnn", input} }
	withW := func(extra map[string][]byte) map[string][]byte {
		files := map[string][]byte{"m.cnn": model, "w.safetensors": w}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	weights := func(data []byte) map[string][]byte {
		return map[string][]byte{"m.cnn": model, "w.safetensors": data, "x.npy": valid}
	}
	good := withW(map[string][]byte{"x.npy": valid})
	// Resizing a line of pixels to 224x224 once asked for 14 GB.
	lines := map[string][]byte{
		"wide.cnn":      []byte("model wide (input 1x224x224) < avgpool k224; flatten; dense 2 >\n"),
		"w.safetensors": safetensors(t, map[string]any{"2.weight": tensor("F32", []int{2, 1}), "2.bias": tensor("F32", []int{2})}, nil),
		"tall.png":      grayLine(t, 1, 2_000_000),
		"long.png":      grayLine(t, 2_000_000, 1),
	}
	deep := "model m (input 1x8x8) <" + strings.Repeat("<", 5000) + strings.Repeat(">", 5000) + ">\n"
	big := "model m (input 1x8x8) <\n" + strings.Repeat("  relu\n", 700000) + ">\n"
	// fmt -d once built a table of lines × lines: 30,000 lines took over 4 GB.
	var messy strings.Builder
	messy.WriteString("model m (input 1x8x8) <\n")
	for i := range 30000 {
		fmt.Fprintf(&messy, "c%d :relu\n", i)
	}
	messy.WriteString(">\n")
	cases := []hostileCase{
		// The control: everything valid.
		{"valid run", good, run("x.npy"), 0, ""},
		// Source files.
		{"source: binary garbage", map[string][]byte{"m.cnn": {0, 1, 2, 0xff, 0xfe, '<', '>'}}, []string{"check", "m.cnn"}, 1, `SyntaxError`},
		{"source: empty file", map[string][]byte{"m.cnn": nil}, []string{"run", "m.cnn", "x.npy"}, 1, `m.cnn declares no model`},
		{"source: nesting", map[string][]byte{"m.cnn": []byte(deep)}, []string{"check", "m.cnn"}, 1, `LimitExceeded.*nest more than 100 deep`},
		{"source: long identifier", map[string][]byte{"m.cnn": []byte("model m (input 1x8x8) < " + strings.Repeat("x", 5000) + " >")}, []string{"check", "m.cnn"}, 1, `LimitExceeded.*identifier of 5000 bytes is over the limit of 256`},
		{"source: long string", map[string][]byte{"m.cnn": []byte("import \"" + strings.Repeat("a/", 3000) + "\"\nmodel m (input 1x8x8) < relu >")}, []string{"check", "m.cnn"}, 1, `LimitExceeded.*string of 6000 bytes is over the limit of 4096`},
		{"source: over 4 MiB", map[string][]byte{"m.cnn": []byte(big)}, []string{"check", "m.cnn"}, 1, `m.cnn is larger than the 4 MiB limit for source files`},
		{"source: repeat bomb", map[string][]byte{"m.cnn": []byte("model m (input 1x8x8) < repeat 100000 < repeat 100000 < relu > > >")}, []string{"check", "m.cnn"}, 1, `LimitExceeded`},
		{"source: empty repeat bomb", map[string][]byte{"m.cnn": []byte("def e() = < >\nmodel m (input 1x8x8) < repeat 100000 < repeat 100000 < e() > > >")}, []string{"check", "m.cnn"}, 1, `LimitExceeded`},
		{"source: definition bomb", map[string][]byte{"m.cnn": []byte("def a(c) = < conv c k1; conv c k1 >\ndef b(c) = < a(c); a(c); a(c); a(c) >\ndef d(c) = < b(c); b(c); b(c); b(c) >\ndef e(c) = < d(c); d(c); d(c); d(c) >\ndef f(c) = < e(c); e(c); e(c); e(c) >\ndef g(c) = < f(c); f(c); f(c); f(c) >\ndef h(c) = < g(c); g(c); g(c); g(c) >\ndef i(c) = < h(c); h(c); h(c); h(c) >\ndef j(c) = < i(c); i(c); i(c); i(c) >\nmodel m (input 1x8x8) < j(4); j(4); j(4); j(4) >")}, []string{"check", "m.cnn"}, 1, `LimitExceeded.*more than 100000 layers`},
		{"source: a megabyte expression", map[string][]byte{"m.cnn": []byte("let a = 1" + strings.Repeat("+1", 500000) + "\nmodel m (input 1x8x8) < relu >\n")}, []string{"check", "m.cnn"}, 1, `LimitExceeded.*a declaration of more than 10000 operators`},
		{"fmt -d: 30,000 changed lines", map[string][]byte{"m.cnn": []byte(messy.String())}, []string{"fmt", "-d", "m.cnn"}, 0, `^$`},
		{"source: recursion", map[string][]byte{"m.cnn": []byte("def f(c) = < f(c) >\nmodel m (input 1x8x8) < f(1) >")}, []string{"check", "m.cnn"}, 1, `RecursiveDefinition`},
		{"source: int64 overflow", map[string][]byte{"m.cnn": []byte("model m (input 1x8x8) < conv 99999999999999999999 k1 >")}, []string{"check", "m.cnn"}, 1, `Overflow`},
		{"source: terabyte model", map[string][]byte{"m.cnn": []byte("model m (input 3x60000x60000) < conv 512 k3 p1 >")}, []string{"check", "m.cnn"}, 1, `MemoryLimit`},
		{"source: a directory", map[string][]byte{"d/x": nil}, []string{"check", "d"}, 1, `d is a directory`},
		{"source: missing", nil, []string{"check", "nope.cnn"}, 1, `no such file`},
		{"source: bad escape", map[string][]byte{"m.cnn": []byte(`model m (input 1x2x2, labels "\z") < relu >`)}, []string{"check", "m.cnn"}, 1, `invalid escape`},
		// Weights.
		{"weights: missing file", withW(map[string][]byte{"x.npy": valid}), []string{"run", "--weights", "nope.safetensors", "m.cnn", "x.npy"}, 1, `nope.safetensors: no such file`},
		{"weights: empty file", weights(nil), run("x.npy"), 1, `w.safetensors: safetensors: .*(truncated|short)`},
		{"weights: header past the end", weights(append(binary.LittleEndian.AppendUint64(nil, 5000), '{', '}')), run("x.npy"), 1, `w.safetensors: safetensors: header length: header of 5000 bytes does not fit in the file`},
		{"weights: 100 MB header", weights(binary.LittleEndian.AppendUint64(nil, 200_000_000)), run("x.npy"), 1, `w.safetensors: safetensors:.*(100|limit|large)`},
		{"weights: not JSON", weights(append(binary.LittleEndian.AppendUint64(nil, 8), []byte("not json")...)), run("x.npy"), 1, `w.safetensors: safetensors:`},
		{"weights: unknown dtype", weights(safetensors(t, map[string]any{"0.weight": tensor("F32", []int{2, 1, 3, 3})}, func(h map[string]any) {
			h["0.weight"].(map[string]any)["dtype"] = "Q7"
		})), run("x.npy"), 1, `w.safetensors: safetensors:.*Q7`},
		{"weights: overlapping", weights(safetensors(t, map[string]any{"a": tensor("F32", []int{4}), "b": tensor("F32", []int{4})}, func(h map[string]any) {
			h["b"].(map[string]any)["data_offsets"] = []int{8, 24}
		})), run("x.npy"), 1, `w.safetensors: safetensors:.*(overlap|cover|hole)`},
		{"weights: out of range", weights(safetensors(t, map[string]any{"a": tensor("F32", []int{4})}, func(h map[string]any) {
			h["a"].(map[string]any)["data_offsets"] = []int{0, 1 << 40}
		})), run("x.npy"), 1, `w.safetensors: safetensors:`},
		{"weights: truncated data", weights(w[:len(w)-7]), run("x.npy"), 1, `w.safetensors: safetensors:`},
		{"weights: missing and mis-shaped", weights(safetensors(t, map[string]any{
			"0.weight": tensor("F32", []int{2, 1, 5, 5}), "0.bias": tensor("F32", []int{2}), "3.weight": tensor("F32", []int{3, 8}), "extra": tensor("F32", []int{1}),
		}, nil)), run("x.npy"), 1, `(?s)0.weight: file has \[2,1,5,5\], model wants \[2,1,3,3\].*3.bias: missing.*extra: unexpected`},
		{"weights: NaN", weights(func() []byte {
			b := tinyWeights(t)
			copy(b[len(b)-4:], []byte{0, 0, 0xc0, 0x7f})
			return b
		}()), run("x.npy"), 1, `holds NaN`},
		// Inputs.
		{"npy: float64", withW(map[string][]byte{"x.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", make([]byte, 128))}), run("x.npy"), 1, `x.npy: npy: .*float64`},
		{"npy: fortran order", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1, 4, 4), }", f32s(zeros(16)...))}), run("x.npy"), 1, `x.npy: npy: .*[Ff]ortran`},
		{"npy: big-endian", withW(map[string][]byte{"x.npy": npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(zeros(16)...))}), run("x.npy"), 1, `x.npy: npy: .*>f4`},
		{"npy: wrong shape", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 5, 4), }", f32s(zeros(20)...))}), run("x.npy"), 1, `x.npy: model tiny takes \[N, 1, 4, 4\], have \[1 1 5 4\]: 5 height, want 4`},
		{"npy: wrong channels", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 4), }", f32s(zeros(48)...))}), run("x.npy"), 1, `x.npy: model tiny takes \[N, 1, 4, 4\], have \[3 4 4\]: 3 channels, want 1`},
		{"npy: truncated", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(zeros(10)...))}), run("x.npy"), 1, `x.npy: npy: data: data holds 10 of the 16 values`},
		{"npy: huge shape", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", nil)}), run("x.npy"), 1, `x.npy: npy:`},
		{"npy: malformed header", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'shape': (((", nil)}), run("x.npy"), 1, `x.npy: npy:`},
		{"npy: NaN", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(append(zeros(15), float32NaN())...))}), run("x.npy"), 1, `x.npy: element 15 is NaN`},
		{"npy: Inf", withW(map[string][]byte{"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(append(zeros(3), float32Inf())...)[:16])}), run("x.npy"), 1, `x.npy: npy:|element 3 is \+Inf`},
		{"image: truncated PNG", withW(map[string][]byte{"x.png": pngHeader(4, 4)}), run("x.png"), 1, `x.png: image: .*(truncated|unexpected EOF)`},
		{"image: absurd dimensions", withW(map[string][]byte{"x.png": pngHeader(1000000, 1000000)}), run("x.png"), 1, `x.png: image: .*(pixels|large|limit)`},
		{"image: zero bytes", withW(map[string][]byte{"x.png": nil}), run("x.png"), 1, `x.png: image:`},
		{"image: not an image", withW(map[string][]byte{"x.png": []byte("hello, world\n")}), run("x.png"), 1, `x.png: image: not a PNG`},
		{"image: truncated JPEG", withW(map[string][]byte{"x.jpg": []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")}), run("x.jpg"), 1, `x.jpg: image:`},
		{"image: missing", withW(nil), run("nope.png"), 1, `nope.png: no such file`},
		{"image: a line of 2,000,000 pixels", lines, []string{"run", "--weights", "w.safetensors", "wide.cnn", "tall.png"}, 0, `^$`},
		{"image: a row of 2,000,000 pixels", lines, []string{"run", "--weights", "w.safetensors", "wide.cnn", "long.png"}, 0, `^$`},
		// IDX data sets.
		{"idx: wrong magic", withW(map[string][]byte{"i.idx": {0, 0, 9, 9}, "l.idx": {0, 0, 8, 1, 0, 0, 0, 0}}), []string{"eval", "--weights", "w.safetensors", "m.cnn", "--images", "i.idx", "--labels", "l.idx"}, 1, `i.idx: idx:`},
		{"idx: label count", withW(map[string][]byte{"i.idx": append([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4}, make([]byte, 16)...), "l.idx": {0, 0, 8, 1, 0, 0, 0, 2, 1, 2}}), []string{"eval", "--weights", "w.safetensors", "m.cnn", "--images", "i.idx", "--labels", "l.idx"}, 1, `i.idx has 1 images but l.idx has 2 labels`},
		{"idx: truncated", withW(map[string][]byte{"i.idx": {0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0, 4, 1}, "l.idx": {0, 0, 8, 1, 0, 0, 0, 9, 0, 1, 2, 0, 1, 2, 0, 1, 2}}), []string{"eval", "--weights", "w.safetensors", "m.cnn", "--images", "i.idx", "--labels", "l.idx"}, 1, `i.idx: idx: data: data holds 1 of the 144 bytes`},
		// Usage.
		{"usage: no input", good, []string{"run", "m.cnn"}, 2, `usage: cnnc run`},
		{"usage: bad flag", good, []string{"run", "--topp", "3", "m.cnn", "x.npy"}, 2, `unknown flag --topp; did you mean --top\?`},
		{"usage: negative top", good, []string{"run", "--top", "-1", "m.cnn", "x.npy"}, 2, `--top must not be negative`},
		{"usage: init without -o", good, []string{"init", "m.cnn"}, 2, `usage: cnnc init`},
		{"usage: eval without data", good, []string{"eval", "m.cnn"}, 2, `usage: cnnc eval`},
		{"run: no weights", map[string][]byte{"m.cnn": model, "x.npy": valid}, []string{"run", "m.cnn", "x.npy"}, 1, `model tiny names no weights; pass --weights`},
	}
	return cases
}

// TestHostileInputs runs cnnc on every hostile input of the table under a
// memory limit (ulimit -v) and a time limit: each must end with its exit
// code and its message, never a panic.
func TestHostileInputs(t *testing.T) {
	if _, err := exec.LookPath("cnnc"); err != nil {
		t.Skip("cnnc is not on PATH (TestMain puts it there)")
	}
	cases := hostileCases(t)
	if len(cases) < 40 {
		t.Fatalf("%d cases; the table should have at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			runHostile(t, dir, "exec cnnc "+shellQuote(tc.args), tc.exit, tc.stderr)
		})
	}
}

// runHostile runs a shell script that runs cnnc in dir, under a memory
// limit (ulimit -v) and a time limit, and checks its exit code and that
// its standard error matches the regexp want, without a panic.
func runHostile(t *testing.T, dir, script string, exit int, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "ulimit -v 4000000; "+script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within 20 s", script)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	msg := stderr.String()
	if strings.Contains(msg, "panic:") || strings.Contains(msg, "goroutine ") {
		t.Fatalf("cnnc panicked:\n%s", msg)
	}
	if code != exit {
		t.Errorf("exit code %d, want %d; stderr:\n%s", code, exit, msg)
	}
	if want != "" && !regexp.MustCompile(want).MatchString(msg) {
		t.Errorf("stderr does not match %q:\n%s", want, msg)
	}
}

func shellQuote(args []string) string {
	var out []string
	for _, a := range args {
		out = append(out, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	return strings.Join(out, " ")
}
