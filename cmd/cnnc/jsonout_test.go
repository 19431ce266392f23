package main

import (
	"bytes"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, map[string]any{"n": 3, "version": 1, "a": []string{"x->y", "<&>"}}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": 1,\n  \"a\": [\n    \"x->y\",\n    \"<&>\"\n  ],\n  \"n\": 3\n}\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	writeJSON(&b, struct {
		V int `json:"version"`
	}{1})
	if want := "{\n  \"version\": 1\n}\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
