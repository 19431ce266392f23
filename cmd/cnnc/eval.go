package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

func init() {
	register(&command{name: "eval", args: "[--weights W] [--batch N] [--limit N] [--json] [--model NAME] [--memory-limit SIZE] MODEL --images IDX --labels IDX",
		short: "measure a model's top-1 accuracy on an IDX data set such as FashionMNIST", run: runEval})
}

func runEval(c *cli, args []string) int {
	fs := c.flags(lookup("eval"))
	images := fs.String("images", "", "the IDX `FILE` of images (gzipped or not)")
	labelsPath := fs.String("labels", "", "the IDX `FILE` of labels (gzipped or not)")
	weights := fs.String("weights", "", "the weights `W.safetensors` (default: the model's weights option)")
	batch := fs.Int("batch", 100, "samples per forward pass (at most the samples evaluated)")
	limit := fs.Int("limit", 0, "evaluate only the first `N` samples")
	asJSON := fs.Bool("json", false, "print the accuracy as JSON (docs/json.md)")
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	c.addMemoryLimit(fs)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !c.validBatch(*batch) {
		return exitUsage
	}
	if len(pos) != 1 || *images == "" || *labelsPath == "" || *limit < 0 {
		fs.Usage()
		return exitUsage
	}
	m, err := c.loadModel(pos[0], *model, *weights)
	if err != nil {
		return c.fail(err)
	}
	// The data set is read a batch at a time (evaldata.go): a gzip bomb
	// declaring millions of images costs what is evaluated.
	data, err := openEvalData(*images, *labelsPath)
	if err != nil {
		return c.fail(err)
	}
	defer data.close()
	in := m.Input
	if in[0] != 1 || int(in[1]) != data.rows || int(in[2]) != data.cols {
		return c.fail(fmt.Errorf("model %s takes %s; the images are 1x%dx%d", m.Name, in.Dims(), data.rows, data.cols))
	}
	n := data.count
	if *limit > 0 && *limit < n {
		n = *limit
	}
	classes := int(m.Output.Numel())
	labels, err := data.labels(n, classes)
	if err != nil {
		return c.fail(err)
	}
	b := min(*batch, n)
	size := data.rows * data.cols
	if err := c.checkBatch(m, b, int64(b*size)); err != nil {
		return c.fail(err)
	}
	pix := make([]uint8, b*size)
	x := make([]float32, b*size)
	out := make([]float32, b*classes)
	correct := 0
	bar := newProgress(c.stderr, n, *asJSON || !isTerminal(c.stderr))
	for start := 0; start < n; start += b {
		k := min(b, n-start)
		if err := data.images(pix[:k*size], start+k == data.count); err != nil {
			return c.fail(err)
		}
		for i, v := range pix[:k*size] {
			x[i] = float32(v) / 255
		}
		m.Normalize(x[:k*size])
		if err := m.Run(context.Background(), out[:k*classes], x[:k*size], k); err != nil {
			return c.fail(err)
		}
		for i := range k {
			if argmax(out[i*classes:(i+1)*classes]) == int(labels[start+i]) {
				correct++
			}
		}
		bar.update(start+k, float64(correct)/float64(start+k))
	}
	bar.done()
	acc := float64(correct) / float64(n)
	if *asJSON {
		writeJSON(c.stdout, map[string]any{"version": 1, "accuracy": acc, "n": n})
		return exitOK
	}
	fmt.Fprintf(c.stdout, "top-1 accuracy %.2f%% (%d of %d)\n", 100*acc, correct, n)
	return exitOK
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// isTerminal reports whether w is a terminal, where a redrawn progress
// bar reads well (in a log it is noise).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// A progress bar on standard error, redrawn at most ten times a second.
type progress struct {
	w     io.Writer
	total int
	quiet bool
	last  time.Time
	start time.Time
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	return &progress{w: w, total: total, quiet: quiet, start: time.Now()}
}

func (p *progress) update(done int, acc float64) {
	if p.quiet || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * done / p.total
	bar := ""
	for i := range width {
		switch {
		case i < filled:
			bar += "="
		case i == filled:
			bar += ">"
		default:
			bar += " "
		}
	}
	rate := float64(done) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r[%s] %d/%d  top-1 %.2f%%  %.0f images/s", bar, done, p.total, 100*acc, rate)
}

func (p *progress) done() {
	if !p.quiet {
		fmt.Fprintln(p.w)
	}
}
