package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cnnc/cnnc"
)

// defaultRunBatch is how many samples cnnc run computes at once unless
// told: enough for the batch to pay, and far from 10,000 images of
// ResNet-18 in one batch (52 GB).
const defaultRunBatch = 8

// runBatches runs m over every sample of the inputs, batch samples at a
// time, decoding each input only when its samples are due, and returns
// the outputs in order with each sample's name. Unless explicit, a batch
// that does not fit the memory limit is halved until it does.
func (c *cli) runBatches(ctx context.Context, m *cnnc.Model, paths []string, batch int, explicit bool) ([]float32, []string, error) {
	// The samples of each input: an .npy file's header says; an image is one.
	counts := make([]int, len(paths))
	total := 0
	for i, p := range paths {
		counts[i] = 1
		if strings.EqualFold(filepath.Ext(p), ".npy") {
			f, err := m.OpenInput(p)
			if err != nil {
				return nil, nil, err
			}
			counts[i] = f.N
			f.Close()
		}
		total += counts[i]
	}
	in, outSize := int(m.Input.Numel()), int(m.Output.Numel())
	kept := satMul(int64(total), int64(outSize)*4) // every output, until printed
	b := min(batch, total)
	for !explicit && b > 1 && c.checkBatch(m, b, kept) != nil {
		b /= 2
	}
	if err := c.checkBatch(m, b, kept); err != nil {
		return nil, nil, err
	}
	out := make([]float32, total*outSize)
	names := make([]string, 0, total)
	x := make([]float32, b*in)
	var cur *cnnc.InputFile
	defer func() {
		if cur != nil {
			cur.Close()
		}
	}()
	next, left := 0, 0 // the next input to open; samples left in cur
	for done := 0; done < total; {
		k := min(b, total-done)
		for got := 0; got < k; {
			if left == 0 {
				if cur != nil {
					cur.Close()
				}
				f, err := m.OpenInput(paths[next])
				if err != nil {
					return nil, nil, err
				}
				if f.N != counts[next] {
					f.Close()
					return nil, nil, fmt.Errorf("%s changed while cnnc ran: %d samples, then %d", paths[next], counts[next], f.N)
				}
				cur, left = f, f.N
				for i := range f.N {
					name := paths[next]
					if f.N > 1 {
						name = fmt.Sprintf("%s[%d]", name, i)
					}
					names = append(names, name)
				}
				next++
			}
			take := min(k-got, left)
			if err := cur.Read(x[got*in : (got+take)*in]); err != nil {
				return nil, nil, err
			}
			got, left = got+take, left-take
		}
		if err := m.Run(ctx, out[done*outSize:(done+k)*outSize], x[:k*in], k); err != nil {
			return nil, nil, err
		}
		done += k
	}
	return out, names, nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
