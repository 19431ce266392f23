package tensorio

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"os"
	"slices"
	"testing"
)

// TestImageTensor checks that a decoded image converts to what LoadImage
// gives for its file, at both channel counts, resized and not.
func TestImageTensor(t *testing.T) {
	for _, name := range []string{"rgb8.png", "rgba8.png", "gray8.png", "paletted.png", "rgb.jpg", "gray.jpg", "odd420.jpg", "rgb.bmp", "frame.gif"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b := img.Bounds()
		for _, size := range [][3]int{{3, 32, 24}, {1, 32, 24}, {3, b.Dy(), b.Dx()}, {1, b.Dy(), b.Dx()}} {
			want, err := LoadImage(bytes.NewReader(data), size[0], size[1], size[2])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := ImageTensor(img, size[0], size[1], size[2])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s as %v: ImageTensor differs from LoadImage", name, size)
			}
		}
	}
}

func TestImageTensorRefuses(t *testing.T) {
	sub := image.NewRGBA(image.Rect(0, 0, 8, 8)).SubImage(image.Rect(4, 4, 6, 7))
	got, err := ImageTensor(sub, 3, 3, 2) // a sub-image keeps its own origin
	if err != nil || len(got) != 18 {
		t.Fatalf("a 2x3 sub-image: %d values, %v", len(got), err)
	}
	empty := image.NewGray(image.Rect(3, 3, 3, 5))
	if _, err := ImageTensor(empty, 1, 4, 4); !errors.Is(err, ErrMalformed) {
		t.Errorf("an empty image: %v", err)
	}
	if _, err := ImageTensor(nil, 1, 4, 4); !errors.Is(err, ErrMalformed) {
		t.Errorf("a nil image: %v", err)
	}
	if _, err := ImageTensor(image.NewUniform(color.White), 1, 4, 4); !errors.Is(err, ErrMalformed) {
		t.Errorf("an unbounded image: %v", err)
	}
	if _, err := ImageTensor(image.NewGray(image.Rect(0, 0, 2, 2)), 2, 4, 4); err == nil {
		t.Error("2 channels accepted")
	}
}
