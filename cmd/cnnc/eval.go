package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cnnc/cnnc/tensorio"
)

func init() {
	register(&command{name: "eval", args: "[--weights W] [--batch N] [--limit N] [--json] [--model NAME] MODEL --images IDX --labels IDX",
		short: "measure a model's top-1 accuracy on an IDX data set such as FashionMNIST", run: runEval})
}

func runEval(c *cli, args []string) int {
	fs := c.flags(lookup("eval"))
	images := fs.String("images", "", "the IDX `FILE` of images (gzipped or not)")
	labelsPath := fs.String("labels", "", "the IDX `FILE` of labels (gzipped or not)")
	weights := fs.String("weights", "", "the weights `W.safetensors` (default: the model's weights option)")
	batch := fs.Int("batch", 100, "samples per forward pass")
	limit := fs.Int("limit", 0, "evaluate only the first `N` samples")
	asJSON := fs.Bool("json", false, "print the accuracy as JSON (docs/json.md)")
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || *images == "" || *labelsPath == "" || *batch < 1 || *limit < 0 {
		fs.Usage()
		return exitUsage
	}
	m, err := c.loadModel(pos[0], *model, *weights)
	if err != nil {
		return c.fail(err)
	}
	pix, n, rows, cols, err := tensorio.ReadIDXImagesFile(*images)
	if err != nil {
		return c.fail(err)
	}
	labels, err := tensorio.ReadIDXLabelsFile(*labelsPath)
	if err != nil {
		return c.fail(err)
	}
	if len(labels) != n {
		return c.fail(fmt.Errorf("%s has %d images but %s has %d labels", *images, n, *labelsPath, len(labels)))
	}
	in := m.Input
	if in[0] != 1 || int(in[1]) != rows || int(in[2]) != cols {
		return c.fail(fmt.Errorf("model %s takes %s; the images are 1x%dx%d", m.Name, in.Dims(), rows, cols))
	}
	classes := int(m.Output.Numel())
	if *limit > 0 && *limit < n {
		n = *limit
	}
	size := rows * cols
	x := make([]float32, *batch*size)
	out := make([]float32, *batch*classes)
	correct := 0
	bar := newProgress(c.stderr, n, *asJSON || !isTerminal(c.stderr))
	for start := 0; start < n; start += *batch {
		b := min(*batch, n-start)
		for i, v := range pix[start*size : (start+b)*size] {
			x[i] = float32(v) / 255
		}
		m.Normalize(x[:b*size])
		if err := m.Run(context.Background(), out[:b*classes], x[:b*size], b); err != nil {
			return c.fail(err)
		}
		for i := range b {
			if argmax(out[i*classes:(i+1)*classes]) == int(labels[start+i]) {
				correct++
			}
		}
		bar.update(start+b, float64(correct)/float64(start+b))
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
