package runtime

import "testing"

// TestEveryOpKindRegistered checks that each OpKind has its entry in the
// kinds table, with a name of its own: a kind added to the constants
// without an opKind would otherwise fail only when a graph uses it.
func TestEveryOpKindRegistered(t *testing.T) {
	names := map[string]OpKind{}
	for k := OpKind(0); k < numOpKinds; k++ {
		ok := kinds[k]
		if ok == nil {
			t.Errorf("op kind %d has no entry in kinds", k)
			continue
		}
		if prev, dup := names[ok.name]; dup || ok.name == "" {
			t.Errorf("op kind %d is named %q, as %d is", k, ok.name, prev)
		}
		names[ok.name] = k
		if ok.inputs == 0 {
			t.Errorf("%s takes no inputs", ok.name)
		}
	}
}
