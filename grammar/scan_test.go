package grammar

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/cnnc/cnnc/diag"
)

// hardTokens are texts at the edges of the lexer's rules.
var hardTokens = []string{
	"1.5e-3 1e5 1.5e 1. 1.x 2e+ 3x4x 3x4x5 1x 0x0 07 1.5.5 1e5e5",
	`"a\"b" "a\\" "unterminated` + "\n" + `"esc\` + "\n" + `"é\xff" "\é"`,
	"in inx in9 imports import iné concat_ def _in block",
	"-> - > -- ->> <-",
	"# comment\r\n# cr\rx\r\r\n\n\t \t",
	"\uFEFF@ \x00 \x7f \xff é 漢 \uFEFF",
	"a+b*c-(d/e)%f[1][2]",
}

// TestScanMatchesLexRules: the hand-written scanner gives participle's
// tokens for lexRules, on every seed and the edges of each rule.
func TestScanMatchesLexRules(t *testing.T) {
	for _, src := range append(seedTexts(t), hardTokens...) {
		checkScan(t, src)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range hardTokens {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkScan(t, string(src)) })
}

func checkScan(t *testing.T, src string) {
	t.Helper()
	lx, err := lexRules.LexString("f", src)
	if err != nil {
		t.Fatal(err)
	}
	sc := newScanner("f", src)
	for i := 0; ; i++ {
		want, err := lx.Next()
		if err != nil {
			t.Fatal(err)
		}
		got := sc.next()
		if got.Type != want.Type || got.Value != want.Value || got.Pos.Offset != want.Pos.Offset {
			t.Fatalf("%.40q: token %d: scanner %s %q at %d, participle %s %q at %d", src, i,
				typeName(got.Type), got.Value, got.Pos.Offset, typeName(want.Type), want.Value, want.Pos.Offset)
		}
		if want.EOF() {
			return
		}
	}
}

func typeName(t lexer.TokenType) string {
	for name, s := range lexRules.Symbols() {
		if s == t {
			return name
		}
	}
	return fmt.Sprint(t)
}

// hardExprs are expressions at the edges of the hand-written parser.
var hardExprs = []string{
	"1", "-1", "--1", "-x[0]", "x[0][1]", "(1)", "(1,)", "(1, 2)", "(1, 2,)", "((1, 2), 3)",
	"1+2*3-4/5%6", "a[1+2]*-b", `"s"`, "1x2x3", "1.5e-3", "(-(1))", "f[(1,2)[0]]",
	"1 +", "(1,", "(1 2)", "x[1", "x[]", "- )", "1 * )", "(,)", "()", "(1,,)",
}

// TestExprMatchesParticiple parses expressions with Expr.Parse and with
// participle's parser of the same rules (exprsyntax): where both parse the
// whole text, the trees must be equal, and one parses it whole only if the
// other does.
func TestExprMatchesParticiple(t *testing.T) {
	for _, src := range hardExprs {
		checkExpr(t, src)
	}
	// Every expression of the seeds.
	for _, src := range seedTexts(t) {
		f, _ := Parse("seed.cnn", []byte(src))
		exprsIn(reflect.ValueOf(f), func(x *Expr) {
			checkExpr(t, src[x.Pos.Offset:x.EndPos.Offset])
		})
	}
}

func FuzzExpr(f *testing.F) {
	for _, s := range hardExprs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1000 {
			return
		}
		checkExpr(t, src)
	})
}

func checkExpr(t *testing.T, src string) {
	t.Helper()
	var diags diag.List
	toks := lex("x", src, &diags, map[int]bool{})
	if len(diags) > 0 || tooDeep(toks) != nil {
		return
	}
	peek := func() *lexer.PeekingLexer {
		pl, err := lexer.Upgrade(&sliceLexer{toks: toks}, tComment, tSpace, tNewline)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	whole := func(pl *lexer.PeekingLexer) bool {
		for pl.Peek().Type == tPunct && pl.Peek().Value == ";" {
			pl.Next()
		}
		return pl.Peek().EOF()
	}
	hl := peek()
	var hand Expr
	herr := hand.Parse(hl)
	handOK := herr == nil && whole(hl)

	pl := peek()
	ref, perr := exprDocParser.ParseFromLexer(pl, participle.AllowTrailing(true))
	refOK := perr == nil && whole(pl)

	if handOK != refOK {
		t.Fatalf("%q: hand-written parser whole %v (%v), participle whole %v (%v)", src, handOK, herr, refOK, perr)
	}
	if !handOK {
		return
	}
	a, _ := json.Marshal(&hand)
	b, _ := json.Marshal(ref)
	if string(a) != string(b) {
		t.Fatalf("%q: trees differ:\nhand:       %s\nparticiple: %s", src, a, b)
	}
}

// seedTexts returns the fuzz seeds' sources.
func seedTexts(t testing.TB) []string {
	var out []string
	for _, g := range seedGlobs {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(src))
		}
	}
	return out
}

var seedGlobs = []string{"../models/*.cnn", "../models/torchvision/*.cnn", "../stdlib/*.cnn",
	"../testdata/errors/*.cnn", "../testdata/parity/*.cnn", "testdata/fmt/*.input"}

// exprsIn calls fn with every outermost *Expr under v.
func exprsIn(v reflect.Value, fn func(*Expr)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if x, ok := v.Interface().(*Expr); ok {
			fn(x)
			return
		}
		exprsIn(v.Elem(), fn)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				exprsIn(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			exprsIn(v.Index(i), fn)
		}
	}
}

// TestLongExpression: an expression of MaxOperators operators parses in
// linear time (the hand-written parser), one more is refused before any
// tree is built.
func TestLongExpression(t *testing.T) {
	long := "let a = 1" + strings.Repeat("+2*3", MaxOperators/2) + "\n"
	start := time.Now()
	f, diags := Parse("x.cnn", []byte(long))
	if len(diags) > 0 || len(f.Decls) != 1 || len(f.Decls[0].Let.Value.Ops) != MaxOperators/2 {
		t.Fatalf("%v", diags)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%d operators took %v", MaxOperators, d)
	}
	_, diags = Parse("x.cnn", []byte("let a = 1"+strings.Repeat("+1", 500000)+"\n"))
	if len(diags) != 1 || diags[0].Code != diag.LimitExceeded || diags[0].Message != "a declaration of more than 10000 operators" {
		t.Fatalf("%v", diags)
	}
	if c := diags[0].Range.Start.Col; c != 10+2*MaxOperators {
		t.Errorf("column %d, want %d", c, 10+2*MaxOperators)
	}
}
