package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The limits on what a command may allocate: --batch, --memory-limit, and
// data sets, inputs and weights files that declare far more than they
// hold or than anyone needs. Each case runs as TestHostileInputs' do, under
// ulimit -v and a time limit; script is a shell command line.
type limitCase struct {
	name   string
	files  map[string][]byte
	script string
	exit   int
	stderr string // a regexp
}

// idx builds an IDX file: a magic, dimensions and data.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// idxBomb is a gzip file of about 1.5 MB holding an IDX header that
// declares n items of size bytes, and all their bytes, zeros: a MiB per
// gzip member (one stream, as gunzip reads it).
func idxBomb(t testing.TB, magic uint32, dims []uint32, total int64) []byte {
	var b bytes.Buffer
	b.Write(gzipped(t, idx(magic, dims, nil)))
	mib := gzipped(t, make([]byte, 1<<20))
	for ; total >= 1<<20; total -= 1 << 20 {
		b.Write(mib)
	}
	b.Write(gzipped(t, make([]byte, total)))
	return b.Bytes()
}

func limitCases(t testing.TB) []limitCase {
	model := []byte(tinyModel)
	w := tinyWeights(t)
	// Ten 4x4 images and their labels, classes 0 to 2 of the tiny model.
	images := idx(0x803, []uint32{10, 4, 4}, bytes.Repeat([]byte{9}, 160))
	labels := idx(0x801, []uint32{10}, []byte{0, 1, 2, 0, 1, 2, 0, 1, 2, 0})
	data := func(labels []byte) map[string][]byte {
		return map[string][]byte{"m.cnn": model, "w.safetensors": w, "i.idx": images, "l.idx": labels}
	}
	eval := "exec cnnc eval --weights w.safetensors m.cnn --images i.idx --labels l.idx "
	// A model of 28x28 inputs, and a gzip bomb of 1.9 million such images.
	const bombCount = 1_900_000
	bomb := map[string][]byte{
		"m.cnn": []byte("model m (input 1x28x28) < flatten; dense 3 >\n"),
		"i.gz":  idxBomb(t, 0x803, []uint32{bombCount, 28, 28}, bombCount*784),
		"l.gz":  idxBomb(t, 0x801, []uint32{bombCount}, bombCount),
	}
	// A model whose activations take 16 MiB a sample (16384 maps of
	// 16x16), and 400 samples of it: 6.4 GB in one batch.
	wide := map[string][]byte{
		"m.cnn": []byte("model m (input 1x16x16) < conv 16384 k1; globalavgpool; flatten >\n"),
		"x.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (400, 1, 16, 16), }", f32s(make([]float32, 400*256)...)),
	}
	initWide := "cnnc init -o w.safetensors m.cnn && "
	// Weights of the tiny model and 30 tensors it does not have.
	extra := map[string]any{
		"0.weight": tensor("F32", []int{2, 1, 3, 3}), "0.bias": tensor("F32", []int{2}),
		"3.weight": tensor("F32", []int{3, 8}), "3.bias": tensor("F32", []int{3}),
	}
	for i := range 30 {
		extra[fmt.Sprintf("x%02d", i)] = tensor("F32", []int{1})
	}
	var many strings.Builder
	many.WriteString("{")
	for i := range 100_001 {
		fmt.Fprintf(&many, `"t%d":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},`, i)
	}
	manyHeader := strings.TrimSuffix(many.String(), ",") + "}"
	manyFile := append(binary.LittleEndian.AppendUint64(nil, uint64(len(manyHeader))), manyHeader...)
	x := npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(zeros(16)...))
	withX := map[string][]byte{"m.cnn": model, "w.safetensors": w, "x.npy": x}
	big := map[string][]byte{"b.cnn": []byte("model b (input 1x64x64) < conv 8 k3 p1; flatten; dense 3 >\n")}
	terabyte := map[string][]byte{"m.cnn": []byte("model m (input 3x60000x60000) < conv 512 k3 p1 >")}

	return []limitCase{
		// --batch.
		{"eval: batch 0", data(labels), eval + "--batch 0", 2, `^cnnc: --batch must be at least 1, have 0\n`},
		{"bench: batch 0", data(labels), "exec cnnc bench --batch 0 m.cnn", 2, `^cnnc: --batch must be at least 1, have 0\n`},
		{"run: batch -3", withX, "exec cnnc run --batch -3 --weights w.safetensors m.cnn x.npy", 2, `^cnnc: --batch must be at least 1, have -3\n`},
		{"bench: batch 10^12", data(labels), "exec cnnc bench --batch 1000000000000 m.cnn", 1,
			`^cnnc: model tiny at batch 1000000000000 needs about [0-9.]+ PiB \(about [0-9.]+ KiB a sample\), over the limit of 20.0 GiB; lower --batch, or raise --memory-limit \(0 or none: no limit\)\n$`},
		{"bench: batch 10^12, no limit", data(labels), "exec cnnc bench --memory-limit none --batch 1000000000000 m.cnn", 1, `over the 64.0 TiB any batch may take; lower --batch`},
		{"bench: batch over the limit", data(labels), "exec cnnc bench --memory-limit 10MB --batch 100000 m.cnn", 1,
			`^cnnc: model tiny at batch 100000 needs [0-9.]+ MiB \(weights [0-9]+ bytes, activations [0-9.]+ MiB, inputs and outputs [0-9.]+ MiB\), over the limit of 9.5 MiB`},
		// eval's batch is at most the samples evaluated: 10 images, not
		// ten million (which asked for 31 GB).
		{"eval: batch 10^7 on 10 images", data(labels), eval + "--batch 10000000", 0, `^$`},
		{"eval: batch 10^7, limit 3", data(labels), eval + "--batch 10000000 --limit 3", 0, `^$`},
		// Labels outside the model's classes.
		{"eval: labels 255", data(idx(0x801, []uint32{10}, bytes.Repeat([]byte{255}, 10))), eval, 1,
			`^cnnc: l.idx: label 255 \(sample 0\) is not one of the model's 3 classes \(0 to 2\)\n$`},
		{"eval: label 3 at sample 7", data(idx(0x801, []uint32{10}, []byte{0, 1, 2, 0, 1, 2, 0, 3, 9, 0})), eval, 1,
			`^cnnc: l.idx: label 3 \(sample 7\) is not one of the model's 3 classes \(0 to 2\)\n$`},
		{"eval: bad label past --limit", data(idx(0x801, []uint32{10}, []byte{0, 1, 2, 0, 1, 2, 0, 3, 9, 0})), eval + "--limit 7", 0, `^$`},
		// A gzip bomb: 1.9 million images in 1.5 MB, 10 of them read.
		{"eval: gzip bomb, limit 10", bomb, "cnnc init -o w.safetensors m.cnn && CNNC_PEAK_RSS=1 exec cnnc eval --weights w.safetensors --limit 10 m.cnn --images i.gz --labels l.gz", 0,
			`^cnnc: peak RSS [0-9]+ kB\n$`},
		// run computes 8 samples at a time, or fewer when 8 do not fit.
		{"run: 400 samples of 16 MiB", wide, initWide + "exec cnnc run --top 1 --weights w.safetensors m.cnn x.npy", 0, `^$`},
		{"run: default batch under a limit", wide, initWide + "exec cnnc run --memory-limit 100MB --top 1 --weights w.safetensors m.cnn x.npy", 0, `^$`},
		{"run: batch over a limit", wide, initWide + "exec cnnc run --memory-limit 100MB --batch 8 --weights w.safetensors m.cnn x.npy", 1,
			`^cnnc: model m at batch 8 needs [0-9.]+ MiB \(.*\), over the limit of 95.4 MiB; lower --batch, or raise --memory-limit`},
		{"run: one batch over the limit", wide, initWide + "exec cnnc run --memory-limit 1GiB --batch 400 --weights w.safetensors m.cnn x.npy", 1, `at batch 400 needs [0-9.]+ GiB .*over the limit of 1.0 GiB`},
		// Weights files with too many tensors.
		{"weights: 30 unexpected", map[string][]byte{"m.cnn": model, "w.safetensors": safetensors(t, extra, nil), "x.npy": x},
			"exec cnnc run --weights w.safetensors m.cnn x.npy", 1, `(?s)\(30 problems\):.*x19: unexpected.*\n\t\.\.\. and 10 more\n$`},
		{"weights: 100,001 tensors", map[string][]byte{"m.cnn": model, "w.safetensors": manyFile, "x.npy": x},
			"exec cnnc run --weights w.safetensors m.cnn x.npy", 1, `^cnnc: w.safetensors: safetensors: header: header lists more than 100000 tensors, the limit\n$`},
		// --memory-limit on every command that allocates, one syntax.
		{"check: memory limit -1", withX, "exec cnnc check --memory-limit -1 m.cnn", 2, `^cnnc: --memory-limit: -1: must not be negative \(0 or none: no limit\)`},
		{"run: memory limit 12q", withX, "exec cnnc run --memory-limit 12q m.cnn x.npy", 2, `^cnnc: --memory-limit: 12q: want a size such as 512MB, 20GiB or 1000000, or 0 or none for no limit`},
		{"check: memory limit none", terabyte, "exec cnnc check --depth 0 --memory-limit none m.cnn", 0, `^$`},
		{"check: memory limit 0", terabyte, "exec cnnc check --depth 0 --memory-limit 0 m.cnn", 0, `^$`},
		{"check: memory limit 1TiB", terabyte, "exec cnnc check --memory-limit 1TiB m.cnn", 1, `MemoryLimit.*over the limit of 1024.0 GiB`},
		// A model of 640 KiB at batch 1, over 100 kB: refused by the
		// compiler, as check refuses it.
		{"check: memory limit", big, "exec cnnc check --memory-limit 100kB b.cnn", 1, `error\[MemoryLimit\]: model b needs 6[0-9.]+ KiB at batch 1, over the limit of 97.7 KiB(?s:.*)hint: raise the limit with --memory-limit`},
		{"run: memory limit", big, "exec cnnc run --memory-limit 100kB --weights w.safetensors b.cnn x.npy", 1, `error\[MemoryLimit\]: model b needs 6[0-9.]+ KiB at batch 1, over the limit of 97.7 KiB(?s:.*)hint: raise the limit with --memory-limit`},
		{"init: memory limit", big, "exec cnnc init --memory-limit 100kB -o w2.safetensors b.cnn", 1, `error\[MemoryLimit\]: model b needs 6[0-9.]+ KiB at batch 1, over the limit of 97.7 KiB`},
		{"eval: memory limit", big, "exec cnnc eval --memory-limit 0.1MB b.cnn --images i.idx --labels l.idx", 1, `error\[MemoryLimit\]: model b needs 6[0-9.]+ KiB at batch 1, over the limit of 97.7 KiB`},
		{"bench: memory limit", big, "exec cnnc bench --memory-limit 100000B b.cnn", 1, `error\[MemoryLimit\]: model b needs 6[0-9.]+ KiB at batch 1, over the limit of 97.7 KiB`},
		{"init: memory limit none", big, "exec cnnc init --memory-limit none -o w2.safetensors b.cnn", 0, `^$`},
	}
}

// TestLimits runs every case of limitCases.
func TestLimits(t *testing.T) {
	if _, err := exec.LookPath("cnnc"); err != nil {
		t.Skip("cnnc is not on PATH (TestMain puts it there)")
	}
	for _, tc := range limitCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			runHostile(t, dir, tc.script, tc.exit, tc.stderr)
		})
	}
}

// TestGzipBombPeak checks that eval --limit 10 of a 1.9-million-image gzip
// bomb stays near the size of a run (it took 3.5 GB).
func TestGzipBombPeak(t *testing.T) {
	if _, err := exec.LookPath("cnnc"); err != nil {
		t.Skip("cnnc is not on PATH (TestMain puts it there)")
	}
	var tc limitCase
	for _, c := range limitCases(t) {
		if c.name == "eval: gzip bomb, limit 10" {
			tc = c
		}
	}
	dir := t.TempDir()
	for name, data := range tc.files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("sh", "-c", tc.script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	m := regexp.MustCompile(`peak RSS ([0-9]+) kB`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no peak RSS in:\n%s", out)
	}
	if kb, _ := strconv.Atoi(string(m[1])); kb > 100<<10 {
		t.Errorf("eval --limit 10 of the bomb peaked at %d kB", kb)
	}
}

// TestRunBatches runs .npy files of 5, 1 (CHW) and 3 samples, and an
// image, at batches that cut across the files, and requires the same
// outputs, in the same order, under the same names, as one batch gives.
func TestRunBatches(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"m.cnn": []byte(tinyModel), "w.safetensors": tinyWeights(t)}
	vals := func(n, seed int) []byte {
		v := make([]float32, n*16)
		for i := range v {
			v[i] = float32((i*7+seed)%13) / 13
		}
		return f32s(v...)
	}
	files["a.npy"] = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 1, 4, 4), }", vals(5, 1))
	files["b.npy"] = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4, 4), }", vals(1, 2))
	files["c.npy"] = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 4, 4), }", vals(3, 3))
	files["d.png"] = grayLine(t, 4, 4)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	run := func(batch string) (string, []byte) {
		out := p("out" + batch + ".npy")
		var stdout, stderr bytes.Buffer
		args := []string{"run", "--json", "--batch", batch, "--output", out, "--weights", p("w.safetensors"), p("m.cnn"), p("a.npy"), p("b.npy"), p("d.png"), p("c.npy")}
		if code := Main(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("--batch %s: exit %d: %s", batch, code, stderr.String())
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), data
	}
	wantJSON, wantNpy := run("100")
	for _, name := range []string{"a.npy[0]", "a.npy[4]", "b.npy", "d.png", "c.npy[2]"} {
		if !strings.Contains(wantJSON, name+`"`) {
			t.Errorf("no result named %s:\n%s", name, wantJSON)
		}
	}
	if i, j := strings.Index(wantJSON, "a.npy[4]"), strings.Index(wantJSON, "b.npy"); i < 0 || j < i {
		t.Errorf("results out of order:\n%s", wantJSON)
	}
	if !bytes.Contains(wantNpy, []byte("'shape': (10, 3)")) {
		t.Errorf("--output is not one array of 10 samples: %q", wantNpy[:80])
	}
	for _, batch := range []string{"1", "2", "4", "7"} {
		gotJSON, gotNpy := run(batch)
		if gotJSON != wantJSON || !bytes.Equal(gotNpy, wantNpy) {
			t.Errorf("--batch %s gives other results than one batch:\n%s\nwant:\n%s", batch, gotJSON, wantJSON)
		}
	}
}
