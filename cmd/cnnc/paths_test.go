package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostilePaths names a device, a named pipe nobody writes to, a pipe
// on standard input and a file over the limit at every place a command
// line or a model names a file: the model, an import, labels, weights
// (the model's and --weights), inputs, data sets. Each must end at once
// with exit code 1 and a message naming the file; they once read /dev/zero
// until memory ran out, or waited forever on the pipe.
func TestHostilePaths(t *testing.T) {
	if _, err := exec.LookPath("cnnc"); err != nil {
		t.Skip("cnnc is not on PATH (TestMain puts it there)")
	}
	withOption := func(opt string) string {
		return strings.Replace(tinyModel, "(input 1x4x4)", "(input 1x4x4, "+opt+")", 1)
	}
	files := map[string]string{
		"m.cnn":            tinyModel,
		"import-zero.cnn":  "import \"/dev/zero\"\n" + tinyModel,
		"import-fifo.cnn":  "import \"fifo\"\n" + tinyModel,
		"import-big.cnn":   "import \"big\"\n" + tinyModel,
		"labels-zero.cnn":  withOption(`labels "/dev/zero"`),
		"labels-fifo.cnn":  withOption(`labels "fifo"`),
		"weights-fifo.cnn": withOption(`weights "fifo"`),
		"weights-zero.cnn": withOption(`weights "/dev/zero"`),
	}
	run := "exec cnnc run --weights w.safetensors "
	cases := []struct{ name, script, stderr string }{
		{"check: device", "exec cnnc check /dev/zero", `/dev/zero is a device, not a regular file`},
		{"check: named pipe", "exec cnnc check fifo", `fifo is a named pipe, not a regular file`},
		{"check: a pipe on standard input", "yes '# x' | cnnc check /dev/stdin", `/dev/stdin is a named pipe, not a regular file`},
		{"check: over 4 MiB", "exec cnnc check big", `big is larger than the 4 MiB limit for source files`},
		{"fmt: named pipe", "exec cnnc fmt fifo", `fifo is a named pipe, not a regular file`},
		{"graph: device", "exec cnnc graph /dev/zero", `/dev/zero is a device`},
		{"import: device", "exec cnnc check import-zero.cnn", `ImportError.*cannot import "/dev/zero": it is a device, not a regular file`},
		{"import: named pipe", "exec cnnc check import-fifo.cnn", `ImportError.*cannot import "fifo": it is a named pipe, not a regular file`},
		{"import: over 4 MiB", "exec cnnc check import-big.cnn", `LimitExceeded.*cannot import "big": it is larger than the 4 MiB limit for source files`},
		{"labels: device", run + "labels-zero.cnn x.npy", `labels: /dev/zero is a device, not a regular file`},
		{"labels: named pipe", run + "labels-fifo.cnn x.npy", `labels: .*fifo is a named pipe, not a regular file`},
		{"weights: named pipe in the model", "exec cnnc run weights-fifo.cnn x.npy", `fifo: safetensors: not a regular file but a named pipe`},
		{"weights: device in the model", "exec cnnc run weights-zero.cnn x.npy", `/dev/zero: safetensors: not a regular file but a device`},
		{"weights: --weights named pipe", "exec cnnc run --weights fifo m.cnn x.npy", `fifo: safetensors: not a regular file but a named pipe`},
		{"weights: --weights device", "exec cnnc run --weights /dev/zero m.cnn x.npy", `/dev/zero: safetensors: not a regular file but a device`},
		{"weights: bench", "exec cnnc bench --weights fifo m.cnn", `fifo: safetensors: not a regular file but a named pipe`},
		{"input: named pipe", run + "m.cnn fifo", `fifo: image: not a regular file but a named pipe`},
		{"input: npy named pipe", run + "m.cnn fifo.npy", `fifo.npy: npy: not a regular file but a named pipe`},
		{"input: device", run + "m.cnn /dev/zero", `/dev/zero: image: not a regular file but a device`},
		{"idx: named pipe", "exec cnnc eval --weights w.safetensors m.cnn --images fifo --labels fifo", `fifo: idx: not a regular file but a named pipe`},
		{"idx: device", "exec cnnc eval --weights w.safetensors m.cnn --images /dev/zero --labels /dev/zero", `/dev/zero: idx: not a regular file but a device`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			os.WriteFile(filepath.Join(dir, "w.safetensors"), tinyWeights(t), 0o644)
			os.WriteFile(filepath.Join(dir, "x.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), }", f32s(zeros(16)...)), 0o644)
			for _, fifo := range []string{"fifo", "fifo.npy"} {
				if err := syscall.Mkfifo(filepath.Join(dir, fifo), 0o644); err != nil {
					t.Skipf("mkfifo: %v", err)
				}
			}
			big, err := os.Create(filepath.Join(dir, "big"))
			if err != nil {
				t.Fatal(err)
			}
			big.Truncate(5 << 20) // sparse
			big.Close()
			runHostile(t, dir, tc.script, 1, tc.stderr)
		})
	}
}
