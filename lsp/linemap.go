package lsp

// A lineMap relates the lines of an old text to those of a new one by
// their common prefix and suffix: the lines an edit did not touch. Answers
// from the last analysis that parsed move to the new text through it.
type lineMap struct {
	prefix, suffix int // lines equal at the start and at the end
	oldN, newN     int
}

func diffLines(old, cur *lineIndex) lineMap {
	m := lineMap{oldN: old.lines(), newN: cur.lines()}
	n := min(m.oldN, m.newN)
	for m.prefix < n && old.lineText(m.prefix) == cur.lineText(m.prefix) {
		m.prefix++
	}
	for m.prefix+m.suffix < n && old.lineText(m.oldN-1-m.suffix) == cur.lineText(m.newN-1-m.suffix) {
		m.suffix++
	}
	return m
}

// toNew maps an old line to the new text.
func (m lineMap) toNew(l int) (int, bool) {
	switch {
	case l < m.prefix:
		return l, true
	case l >= m.oldN-m.suffix && l < m.oldN:
		return l + m.newN - m.oldN, true
	}
	return 0, false
}

// toOld maps a new line to the old text.
func (m lineMap) toOld(l int) (int, bool) {
	switch {
	case l < m.prefix:
		return l, true
	case l >= m.newN-m.suffix && l < m.newN:
		return l + m.oldN - m.newN, true
	}
	return 0, false
}
