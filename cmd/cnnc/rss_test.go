//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPeakRSS checks the memory bound of the performance issue: cnnc run of
// torchvision's ResNet-18 on one image peaks at most 64 MB above the size
// of its weights (46.8 MB). The command runs as its own process (the test
// binary, as testscript links it) and reports its own peak (VmHWM).
func TestPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	// Transparent huge pages in "always" mode back any large enough region
	// with 2 MB pages, a few of which are only partly used; the bound is for
	// "madvise" (Debian's default) and "never".
	if thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil && strings.Contains(string(thp), "[always]") {
		t.Skip("transparent huge pages are in always mode")
	}
	if _, err := exec.LookPath("cnnc"); err != nil {
		t.Skip("cnnc is not on PATH (testscript.Main links it)")
	}
	dir := t.TempDir()
	w := filepath.Join(dir, "w.safetensors")
	model := filepath.Join("..", "..", "models", "torchvision", "resnet18.cnn")
	image := filepath.Join("..", "..", "testdata", "images", "0-tshirt.png")
	if out, err := exec.Command("cnnc", "init", "--seed", "1", "-o", w, model).CombinedOutput(); err != nil {
		t.Fatalf("cnnc init: %v\n%s", err, out)
	}
	st, err := os.Stat(w)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("cnnc", "run", "--weights", w, model, image)
	cmd.Env = append(os.Environ(), "GOGC=", "CNNC_PEAK_RSS=1") // cnnc's own GC setting
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cnnc run: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`cnnc: peak RSS (\d+) kB`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("cnnc run printed no peak RSS:\n%s", out)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	peak := kb * 1024
	limit := st.Size() + 64e6
	t.Logf("peak RSS %.1f MB, weights %.1f MB, bound %.1f MB", float64(peak)/1e6, float64(st.Size())/1e6, float64(limit)/1e6)
	if peak > limit {
		t.Errorf("cnnc run peaked at %.1f MB of RSS, over the weights (%.1f MB) + 64 MB", float64(peak)/1e6, float64(st.Size())/1e6)
	}
}
