package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

func init() {
	register(&command{name: "version", args: "",
		short: "print cnnc's module version, the commit it was built from and the Go version", run: runVersion})
}

// version is the module version the binary was built at, as Go records
// it: a tag (v1.2.0), a pseudo-version with +dirty when the work tree had
// changes, or (devel).
var version = buildVersion(debug.ReadBuildInfo())

func runVersion(c *cli, args []string) int {
	fs := c.flags(lookup("version"))
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(lookup("version"), "version takes no arguments")
	}
	info, _ := debug.ReadBuildInfo()
	writeVersion(c.stdout, info, runtime.GOOS+"/"+runtime.GOARCH)
	return exitOK
}

func buildVersion(info *debug.BuildInfo, ok bool) string {
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

// writeVersion prints the module version, the commit and its time with
// +dirty for a modified work tree (when the build recorded them: go build
// in a checkout does, go run and go test do not) and the Go version:
//
//	cnnc v0.1.1-0.20250102030405-0123456789ab+dirty
//	commit 0123456789abcdef0123456789abcdef01234567+dirty, 2025-01-02T03:04:05Z
//	go1.26.8 linux/amd64
func writeVersion(w io.Writer, info *debug.BuildInfo, platform string) {
	fmt.Fprintln(w, "cnnc", buildVersion(info, info != nil))
	goVersion := runtime.Version()
	if info != nil {
		var rev, when, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" {
			line := "commit " + rev + dirty
			if when != "" {
				line += ", " + when
			}
			fmt.Fprintln(w, line)
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
	}
	fmt.Fprintln(w, goVersion, platform)
}
