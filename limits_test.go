package cnnc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cnnc/cnnc"
)

// TestWeightsErrorListsTheFirst checks that a WeightsError's message lists
// 20 problems and counts the rest: a hostile file once printed 1.2 million.
func TestWeightsErrorListsTheFirst(t *testing.T) {
	var problems []string
	for i := range 25 {
		problems = append(problems, fmt.Sprintf("t%d: unexpected", i))
	}
	msg := (&cnnc.WeightsError{File: "w.safetensors", Model: "m", Problems: problems}).Error()
	if !strings.HasPrefix(msg, "w.safetensors do not fit model m (25 problems):\n\tt0: unexpected") {
		t.Errorf("message starts wrong:\n%s", msg)
	}
	if !strings.HasSuffix(msg, "\n\tt19: unexpected\n\t... and 5 more") {
		t.Errorf("message does not end with the 20th problem and a count:\n%s", msg)
	}
	short := (&cnnc.WeightsError{Model: "m", Problems: problems[:20]}).Error()
	if strings.Contains(short, "more") || strings.Count(short, "\n") != 20 {
		t.Errorf("20 problems are not listed whole:\n%s", short)
	}
}
