package compiler

import (
	"strconv"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// Options configure a check.
type Options struct {
	// ReadFile reads imported files; nil means ReadSource.
	ReadFile func(string) ([]byte, error)
	// Input, when set, replaces every model's declared input shape [C, H, W].
	Input Shape
	// MemoryLimit bounds the memory one model may need at batch 1
	// (parameters plus activations, in bytes); 0 means DefaultMemoryLimit.
	MemoryLimit int64
}

// A Result is everything a check found in a file.
type Result struct {
	File   *grammar.File
	Models []*Model
	Diags  diag.List
	prog   *program
}

// Source returns the text of a file the check read (the file itself, an
// import, or a standard library file), for rendering diagnostics.
func (r *Result) Source(name string) []byte { return r.prog.source(name) }

// Check parses and checks a .cnn file: every model's shapes, parameters and
// cost. It never fails: problems are in Result.Diags.
func Check(filename string, src []byte, opts *Options) *Result {
	if opts == nil {
		opts = &Options{}
	}
	if len(src) > MaxFileSize {
		p := &program{units: map[string]*unit{}}
		p.main = &unit{name: filename, src: nil, ast: &grammar.File{Name: filename}}
		r := &Result{File: p.main.ast, prog: p}
		r.Diags.Add(diag.Range{Start: diag.Pos{File: filename}}, diag.LimitExceeded,
			"%s is %d bytes, over the limit of %d for a source file", filename, len(src), MaxFileSize)
		return r
	}
	p := load(filename, src, opts.ReadFile)
	c := newChecker(p, opts)
	r := &Result{File: p.main.ast, prog: p}
	for _, gm := range p.main.models {
		r.Models = append(r.Models, c.model(gm, p.main))
	}
	c.checkUnexpanded(p.main)
	r.Diags = append(append(r.Diags, p.diags...), c.diags...)
	r.Diags.Sort()
	r.Diags = r.Diags.Dedup()
	return r
}

func newChecker(p *program, opts *Options) *checker {
	return &checker{prog: p, opts: opts, lets: map[*grammar.Let]Value{}, letBusy: map[*grammar.Let]bool{}, expanded: map[*grammar.Def]bool{},
		work: new(int64), hintWork: new(int64)}
}

// A checker expands definitions and infers shapes, model by model.
type checker struct {
	prog      *program
	opts      *Options
	diags     diag.List
	frames    []frame
	ranges    []diag.Range // callRanges' cache, valid while len(frames) == rangesFor
	rangesFor int
	lets      map[*grammar.Let]Value
	letBusy   map[*grammar.Let]bool
	expanded  map[*grammar.Def]bool
	work      *int64 // steps of the whole check, against MaxWork
	hintWork  *int64 // the steps of smallestInput's probes, against MaxWork apart

	// per model
	params []*Param
	keys   map[string]*Param
	layers int
	steps  int
	stop   bool             // a limit was hit: expand no further
	shrunk *diag.Diagnostic // the first map that shrank to nothing
	probe  bool             // a check for smallestInput: no hints of its own
}

// A frame is a definition call being expanded.
type frame struct {
	def   *grammar.Def
	call  diag.Range
	label string
}

// errorf reports a diagnostic; inside a definition it adds the chain of
// call sites, innermost first.
func (c *checker) errorf(r diag.Range, code diag.Code, format string, args ...any) *diag.Diagnostic {
	d := c.diags.Add(r, code, format, args...)
	for i := len(c.frames) - 1; i >= 0; i-- {
		f := c.frames[i]
		d.Related = append(d.Related, diag.Related{Range: f.call, Message: "in " + f.label + ", called here"})
	}
	return d
}

// callRanges returns the call sites of the frames being expanded; nodes
// made under the same frames share one slice.
func (c *checker) callRanges() []diag.Range {
	if len(c.frames) == 0 {
		return nil
	}
	if c.rangesFor != len(c.frames) || c.ranges == nil {
		c.ranges = make([]diag.Range, len(c.frames))
		for i, f := range c.frames {
			c.ranges[i] = f.call
		}
		c.rangesFor = len(c.frames)
	}
	return c.ranges
}

// A flow is the tensor flowing between layers: its shape and how its
// height and width came to be, for derivations in diagnostics.
type flow struct {
	shape Shape
	hist  *step
	flat  *flatInfo // set when shape is a vector made by flatten
	src   string    // the layer that produced it, for messages
}

// A step is one change of spatial size; steps form a list back to the input.
type step struct {
	prev  *step
	label string
	h, w  int64
}

type flatInfo struct {
	from Shape
	key  string
}

// A namespace numbers the members of a sequence and builds their keys.
type namespace struct {
	prefix string
	n      int
}

func (ns *namespace) next(name *grammar.Ident) string {
	i := ns.n
	ns.n++
	if name != nil {
		return ns.prefix + name.Name
	}
	return ns.prefix + strconv.Itoa(i)
}

func childNS(key string) *namespace {
	if key == "" {
		return &namespace{}
	}
	return &namespace{prefix: key + "."}
}

func (c *checker) model(gm *grammar.Model, u *unit) *Model {
	before := len(c.diags)
	m := &Model{Name: gm.Name.Name, File: u.name, Range: identRange(gm.Name)}
	for _, d := range u.ast.Decls {
		if d.Model == gm {
			m.Doc = d.Doc
		}
	}
	e := &env{unit: u}
	c.options(gm, e, m)
	if c.opts.Input != nil {
		m.Input = c.opts.Input
	}
	c.params, c.keys, c.layers, c.steps, c.stop, c.shrunk = nil, map[string]*Param{}, 0, 0, false, nil
	in := flow{shape: m.Input}
	if m.Input.IsMap() {
		in.hist = &step{h: m.Input[1], w: m.Input[2]}
	}
	nodes, out := c.members(gm.Body.Members, e, &namespace{}, in)
	if c.stop {
		// A limit cut the expansion short: the partial tree is neither
		// useful nor small.
		nodes, out, c.params = nil, flow{}, nil
	}
	m.Root = &Node{Kind: KindSeq, Label: "model " + m.Name, In: m.Input, Out: out.shape, Children: nodes,
		Range: grammar.Range(gm.Pos, gm.EndPos), Failed: c.stop}
	total(m.Root)
	m.Output = out.shape
	m.Params = c.params
	m.ParamCount, m.MACs = m.Root.ParamCount, m.Root.MACs
	c.memoryCheck(gm, m)
	if c.shrunk != nil && !c.probe && m.Input.IsMap() {
		if s := c.smallestInput(gm, u, m.Input); s != nil {
			c.shrunk.Note("hint", "the smallest input for which no map shrinks to nothing is %s", s.Dims())
		}
	}
	m.OK = len(c.diags) == before && !m.Root.Failed && m.Input.Known() && m.Output.Known()
	return m
}

// total sums parameters and MACs up the tree and propagates failure.
func total(n *Node) {
	if n == nil {
		return
	}
	for _, p := range n.Params {
		if !p.Buffer {
			n.ParamCount += p.Shape.Numel()
		}
	}
	for _, ch := range append(append([]*Node(nil), n.Children...), n.Shortcut, n.Then) {
		if ch == nil {
			continue
		}
		total(ch)
		n.ParamCount += ch.ParamCount
		n.MACs += ch.MACs
		n.Failed = n.Failed || ch.Failed
	}
}

func (c *checker) members(ms []*grammar.Member, e *env, ns *namespace, in flow) ([]*Node, flow) {
	var out []*Node
	for _, m := range ms {
		if c.stop {
			break
		}
		nodes, next := c.member(m, e, ns, in)
		out = append(out, nodes...)
		in = next
	}
	return out, in
}

// member checks one member of a sequence. An unnamed repeat, or an unnamed
// call of a definition whose body is a repeat, splices its copies into ns.
func (c *checker) member(m *grammar.Member, e *env, ns *namespace, in flow) ([]*Node, flow) {
	if !c.step(grammar.Range(m.Pos, m.EndPos)) {
		return nil, flow{}
	}
	nodes, out := c.memberNode(m.Node, m.Name, e, ns, in, grammar.Range(m.Pos, m.EndPos))
	if m.Expect != nil {
		c.expect(m, e, out, nodes)
	}
	return nodes, out
}

func (c *checker) memberNode(n *grammar.Node, name *grammar.Ident, e *env, ns *namespace, in flow, r diag.Range) ([]*Node, flow) {
	if name == nil {
		if n.Repeat != nil {
			return c.splice(n.Repeat, e, ns, in)
		}
		if a := n.Apply; a != nil && layerSpecs[a.Name.Name] == nil {
			var nodes []*Node
			out, ok := c.call(a, e, in, func(body *grammar.Node, be *env, label string) flow {
				var f flow
				nodes, f = c.memberNode(body, nil, be, ns, in, r)
				if len(nodes) == 1 && nodes[0].Call == "" {
					nodes[0].Call = label
					nodes[0].Range = r
				}
				return f
			})
			if !ok {
				return []*Node{failedNode(ns.next(nil), a.Name.Name, in.shape, r)}, flow{}
			}
			return nodes, out
		}
	}
	key := ns.next(name)
	node, out := c.expand(n, e, key, in, r)
	return []*Node{node}, out
}

func failedNode(key, label string, in Shape, r diag.Range) *Node {
	return &Node{Kind: KindLayer, Key: key, Label: label, In: in, Failed: true, Range: r}
}

// splice checks the copies of a repeat as members of ns.
func (c *checker) splice(rp *grammar.Repeat, e *env, ns *namespace, in flow) ([]*Node, flow) {
	n, ok := c.repeatCount(rp, e)
	if !ok {
		return nil, flow{}
	}
	var nodes []*Node
	for i := int64(0); i < n && c.step(grammar.Range(rp.Pos, rp.EndPos)); i++ {
		more, out := c.members(rp.Body.Members, e, ns, in)
		nodes = append(nodes, more...)
		in = out
	}
	return nodes, in
}

// step counts one member or one copy of a repeat's body against MaxSteps
// and MaxWork; once either is exceeded, it reports it at r and the
// expansion stops.
func (c *checker) step(r diag.Range) bool {
	if c.stop {
		return false
	}
	if c.steps++; c.steps > MaxSteps {
		c.errorf(r, diag.LimitExceeded, "the model expands to more than %d members and repeat copies", MaxSteps)
		c.stop = true
		return false
	}
	return c.spend(1, r)
}

// spend counts n steps of work against MaxWork, the bound on the whole
// check: a file of many models, or of expressions evaluated many times,
// cannot multiply the per-model bounds. Past it, spend reports the limit at
// r (once per model) and stops the expansion. The probes of smallestInput
// count against a bound of their own, so that a hint never costs a model
// its check.
func (c *checker) spend(n int64, r diag.Range) bool {
	if *c.work += n; *c.work <= MaxWork {
		return true
	}
	if !c.stop {
		c.errorf(r, diag.LimitExceeded, "checking takes more than %d steps of expansion and evaluation", MaxWork)
		c.stop = true
	}
	return false
}

func (c *checker) repeatCount(rp *grammar.Repeat, e *env) (int64, bool) {
	v, ok := c.eval(rp.Count, e)
	if !ok {
		return 0, false
	}
	n, isInt := v.(Int)
	switch {
	case !isInt:
		c.errorf(exprRange(rp.Count), diag.BadValue, "a repeat count must be an integer, have %s", v.kind()).Note("have", "%s", v)
		return 0, false
	case n < 0:
		c.errorf(exprRange(rp.Count), diag.NonPositiveSize, "a repeat count must not be negative, have %d", n)
		return 0, false
	case n > MaxRepeat:
		c.errorf(exprRange(rp.Count), diag.LimitExceeded, "a repeat count of %d is over the limit of %d", n, MaxRepeat)
		return 0, false
	}
	return int64(n), true
}

// expand checks a node that has its own key.
func (c *checker) expand(n *grammar.Node, e *env, key string, in flow, r diag.Range) (*Node, flow) {
	switch {
	case n.Seq != nil:
		nodes, out := c.members(n.Seq.Members, e, childNS(key), in)
		return &Node{Kind: KindSeq, Key: key, Label: "sequence", In: in.shape, Out: out.shape, Children: nodes, Range: r, Calls: c.callRanges()}, out
	case n.Repeat != nil:
		nodes, out := c.splice(n.Repeat, e, childNS(key), in)
		return &Node{Kind: KindSeq, Key: key, Label: "repeat", In: in.shape, Out: out.shape, Children: nodes, Range: r, Calls: c.callRanges()}, out
	case n.Concat != nil:
		return c.concat(n.Concat, e, key, in, r)
	case n.Residual != nil:
		return c.residual(n.Residual, e, key, in, r)
	}
	a := n.Apply
	if spec := layerSpecs[a.Name.Name]; spec != nil {
		return c.layer(a, spec, e, key, in, r)
	}
	var node *Node
	out, ok := c.call(a, e, in, func(body *grammar.Node, be *env, label string) flow {
		var f flow
		node, f = c.expand(body, be, key, in, r)
		node.Call = label
		return f
	})
	if !ok {
		return failedNode(key, a.Name.Name, in.shape, r), flow{}
	}
	return node, out
}
