package tensorio

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZTiming(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var worst time.Duration
	var worstName string
	for _, p := range files {
		raw, _ := os.ReadFile(p)
		lines := strings.SplitN(string(raw), "\n", 2)
		body := strings.TrimSpace(lines[1])
		body = strings.TrimSuffix(strings.TrimPrefix(body, "[]byte("), ")")
		s, err := strconv.Unquote(body)
		if err != nil {
			t.Fatal(p, err)
		}
		start := time.Now()
		switch os.Getenv("ZZFMT") {
		case "st":
			zzSafetensorsBody(t, []byte(s))
		case "npy":
			ReadNpy(strings.NewReader(s))
		case "idx":
			ReadIDXImages(strings.NewReader(s))
			ReadIDXLabels(strings.NewReader(s))
		case "img":
			MaxImagePixels = 1 << 20
			LoadImage(strings.NewReader(s), 3, 9, 11)
			LoadImage(strings.NewReader(s), 1, 4, 4)
		}
		if d := time.Since(start); d > worst {
			worst, worstName = d, p
		}
	}
	t.Logf("%d files, worst %v %s", len(files), worst, worstName)
}

func zzSafetensorsBody(t *testing.T, b []byte) {
	sf, err := ReadSafetensorsHeader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		return
	}
	for _, ti := range sf.Tensors() {
		sf.Float32(ti.Name)
	}
}
