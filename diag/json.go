package diag

// JSON is a diagnostic as cnnc's --json outputs print it (docs/json.md):
// the subject's range, the severity, code and message, and everything the
// long form shows beside them, so that tools see what people see.
type JSON struct {
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Col      int           `json:"col"`
	EndLine  int           `json:"end_line"`
	EndCol   int           `json:"end_col"`
	Severity string        `json:"severity"`
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	Notes    []JSONNote    `json:"notes"`
	Related  []JSONRelated `json:"related"`
	Fixes    []JSONFix     `json:"fixes"`
}

// A JSONNote is a note: have, want, derivation, hint or note, and its text.
type JSONNote struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

// A JSONRelated is another place that contributed, such as the call site of
// the definition holding the subject.
type JSONRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	EndLine int    `json:"end_line"`
	EndCol  int    `json:"end_col"`
	Message string `json:"message"`
}

// A JSONFix is an edit that does what a hint says: replace the range (empty
// for an insertion; columns count bytes) with new_text.
type JSONFix struct {
	Message string `json:"message"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	EndLine int    `json:"end_line"`
	EndCol  int    `json:"end_col"`
	NewText string `json:"new_text"`
}

// ToJSON returns d in its JSON form; notes, related and fixes are empty
// arrays, never null, when d has none.
func ToJSON(d *Diagnostic) JSON {
	j := JSON{File: d.Range.Start.File, Line: d.Range.Start.Line, Col: d.Range.Start.Col,
		EndLine: d.Range.End.Line, EndCol: d.Range.End.Col, Severity: d.Severity.String(),
		Code: string(d.Code), Message: d.Message, Notes: []JSONNote{}, Related: []JSONRelated{}, Fixes: []JSONFix{}}
	for _, n := range d.Notes {
		j.Notes = append(j.Notes, JSONNote{Label: n.Label, Text: n.Text})
	}
	for _, r := range d.Related {
		j.Related = append(j.Related, JSONRelated{File: r.Range.Start.File, Line: r.Range.Start.Line,
			Col: r.Range.Start.Col, EndLine: r.Range.End.Line, EndCol: r.Range.End.Col, Message: r.Message})
	}
	for _, f := range d.Fixes {
		j.Fixes = append(j.Fixes, JSONFix{Message: f.Message, File: f.Range.Start.File, Line: f.Range.Start.Line,
			Col: f.Range.Start.Col, EndLine: f.Range.End.Line, EndCol: f.Range.End.Col, NewText: f.NewText})
	}
	return j
}
