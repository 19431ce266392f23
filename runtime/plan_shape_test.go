package runtime

import (
	"maps"
	"testing"
)

// TestPlanArenaBytes checks that the plan made without weights is the
// compiled program's, at every batch size the tests run.
func TestPlanArenaBytes(t *testing.T) {
	for _, tc := range cases() {
		m := tc.net()
		g := m.graph(tc.out(m))
		p, err := Compile(g, maps.Clone(m.w), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for n := 1; n <= 9; n++ {
			got, err := PlanArenaBytes(g, n)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if want := p.ArenaBytes(n); got != want {
				t.Errorf("%s at batch %d: planned without weights %d bytes, compiled %d", tc.name, n, got, want)
			}
		}
	}
	if _, err := PlanArenaBytes(&Graph{}, 1); err == nil {
		t.Error("an empty graph planned")
	}
	m := newNet(1, 3, 8, 8)
	if _, err := PlanArenaBytes(m.graph(m.in()), 0); err == nil {
		t.Error("batch 0 planned")
	}
}
