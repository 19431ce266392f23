package main

func init() {
	register(&command{name: "params", args: "[--json] [--model NAME] [--input CxHxW] FILE",
		short: "list every parameter's name and shape, as PyTorch's state_dict names them", run: runParams})
}

func runParams(c *cli, args []string) int {
	cmd := lookup("params")
	fs := c.flags(cmd)
	asJSON := fs.Bool("json", false, "print the model's name and its parameters as JSON (docs/json.md)")
	model := fs.String("model", "", "the model to list, when the file has several")
	var input shapeFlag
	fs.Var(&input, "input", "check at another input size `CxHxW`")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	r, err := c.checkFile(pos[0], optionsWith(input.s))
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	c.printDiags(r)
	m, err := selectModel(r, pos[0], *model)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if !m.OK {
		return exitError
	}
	if *asJSON {
		type entry struct {
			Name  string  `json:"name"`
			Shape []int64 `json:"shape"`
		}
		out := struct {
			Version int     `json:"version"`
			Model   string  `json:"model"`
			Params  []entry `json:"params"`
		}{1, m.Name, make([]entry, 0, len(m.Params))}
		for _, p := range m.Params {
			out.Params = append(out.Params, entry{p.Name, p.Shape})
		}
		if err := writeJSON(c.stdout, out); err != nil {
			c.errorf("%v", err)
			return exitError
		}
		return exitOK
	}
	t := &table{align: "ll"}
	for _, p := range m.Params {
		t.add(p.Name, shapeText(p.Shape))
	}
	t.write(c.stdout)
	return exitOK
}
