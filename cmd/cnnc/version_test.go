package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestWriteVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"go build in a modified checkout", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Path: "github.com/cnnc/cnnc", Version: "v0.0.0-20250102030405-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.time", Value: "2025-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}},
			"cnnc v0.0.0-20250102030405-0123456789ab+dirty\ncommit 0123456789abcdef0123456789abcdef01234567+dirty, 2025-01-02T03:04:05Z\ngo1.26.8 linux/amd64\n"},
		{"a clean tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}},
			"cnnc v1.2.0\ncommit abc\ngo1.26.8 linux/amd64\n"},
		{"go run, without VCS information", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"cnnc (devel)\ngo1.26.8 linux/amd64\n"},
		{"no build information", nil, "cnnc (devel)\n" + runtime.Version() + " linux/amd64\n"},
	} {
		var b bytes.Buffer
		writeVersion(&b, tc.info, "linux/amd64")
		if b.String() != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, b.String(), tc.want)
		}
	}
}
