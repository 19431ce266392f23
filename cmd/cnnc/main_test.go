package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in the test scripts")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cnnc": main,
	})
}

// TestScripts runs the CLI scripts of testdata/script, each in a directory
// holding a copy of models/ and testdata/; go test -update rewrites the
// expected output of failing cmp commands.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"cmpmem": cmpMem},
		// [fashionmnist] holds where Debian's dataset-fashion-mnist is installed.
		Condition: func(cond string) (bool, error) {
			if cond != "fashionmnist" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
			return err == nil, nil
		},
		Setup: func(env *testscript.Env) error {
			for _, dir := range []string{"models", "testdata"} {
				if err := copyTree(filepath.Join("..", "..", dir), filepath.Join(env.WorkDir, dir)); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func copyTree(from, to string) error {
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
