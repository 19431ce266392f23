package cnnc

// A compiled model keeps the memory of finished Runs (an arena of
// activations and scratch per batch size) for the next Run of the same
// size, which then allocates nothing. What it keeps idle is bounded by
// runtime.DefaultRetainLimit bytes, least recently used first out, though
// the arena of the last Run is always kept.

// ReleaseMemory gives back the memory the model keeps between Runs: every
// idle arena, at once. Runs in progress finish normally and drop theirs;
// the next Run of each batch size allocates afresh. The weights stay.
func (m *Model) ReleaseMemory() {
	if prog := m.exec.program(); prog != nil {
		prog.Release()
	}
}

// RetainedBytes reports the bytes of the idle arenas the model keeps for
// later Runs (ReleaseMemory gives them back).
func (m *Model) RetainedBytes() int64 {
	if prog := m.exec.program(); prog != nil {
		return prog.RetainedBytes()
	}
	return 0
}
