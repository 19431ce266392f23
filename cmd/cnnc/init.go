package main

import "io"

func init() {
	register(&command{name: "init", args: "[--seed N] [--model NAME] [--memory-limit SIZE] -o W.safetensors FILE",
		short: "write fresh weights for a model, initialised as the seed's notes do", run: runInit})
}

func runInit(c *cli, args []string) int {
	fs := c.flags(lookup("init"))
	out := fs.String("o", "", "the safetensors file `W.safetensors` to write (- for standard output)")
	seed := fs.Uint64("seed", 1, "the random seed; the same seed gives the same weights")
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	c.addMemoryLimit(fs)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || *out == "" {
		fs.Usage()
		return exitUsage
	}
	m, err := c.compileModel(pos[0], *model)
	if err != nil {
		return c.fail(err)
	}
	w := m.RandomWeights(*seed)
	if err := c.writeOutput(*out, func(f io.Writer) error { return m.WriteWeights(f, w) }); err != nil {
		return c.fail(err)
	}
	return exitOK
}
