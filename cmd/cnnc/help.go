package main

func init() {
	register(&command{name: "help", args: "[COMMAND]",
		short: "print the commands, or a command's synopsis and flags", run: runHelp})
}

// runHelp prints help on standard output: the overview, or a command's
// help as its -h prints it.
func runHelp(c *cli, args []string) int {
	fs := c.flags(lookup("help"))
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	switch len(pos) {
	case 0:
		usage(c.stdout)
		return exitOK
	case 1:
		if cmd := lookup(pos[0]); cmd != nil {
			return cmd.run(c, []string{"-h"})
		}
		c.errorf("unknown command %q", pos[0])
		usage(c.stderr)
		return exitUsage
	}
	return c.usageError(lookup("help"), "help takes one COMMAND, have %d", len(pos))
}
