package fsutil

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// failing writes s and then fails, as a full disk would.
func failing(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, s)
		return errors.New("no space left on device")
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// entries lists dir, to see that no temporary file stays behind.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileModes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "new.cnn")
	if err := WriteFile(p, text("a\n")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 || read(t, p) != "a\n" {
		t.Errorf("a new file: mode %v, %q", st.Mode(), read(t, p))
	}
	for _, mode := range []fs.FileMode{0o600, 0o755, 0o640} {
		os.Chmod(p, mode)
		if err := WriteFile(p, text("b\n")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != mode {
			t.Errorf("mode %v became %v", mode, st.Mode().Perm())
		}
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("left behind: %v", got)
	}
}

func TestWriteFileKeepsOldOnError(t *testing.T) {
	for _, linked := range []bool{false, true} {
		dir := t.TempDir()
		p := filepath.Join(dir, "w.safetensors")
		os.WriteFile(p, []byte("the old, good file"), 0o644)
		if linked {
			os.Link(p, filepath.Join(dir, "other"))
		}
		err := WriteFile(p, failing("half"))
		if err == nil || err.Error() != "no space left on device" {
			t.Errorf("linked %v: error %v", linked, err)
		}
		if got := read(t, p); got != "the old, good file" {
			t.Errorf("linked %v: the old file became %q", linked, got)
		}
		if got := entries(t, dir); len(got) != 1+btoi(linked) {
			t.Errorf("linked %v: left behind: %v", linked, got)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestWriteFileLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.cnn")
	os.WriteFile(target, []byte("old\n"), 0o644)
	os.Chmod(target, 0o600)

	// A symbolic link stays a link; its target is rewritten.
	link := filepath.Join(dir, "link.cnn")
	os.Symlink("target.cnn", link)
	if err := WriteFile(link, text("via link\n")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Lstat(link); st.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link became a regular file")
	}
	if got := read(t, target); got != "via link\n" {
		t.Errorf("target holds %q", got)
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o600 {
		t.Errorf("target's mode became %v", st.Mode().Perm())
	}

	// A dangling link names the file to create.
	dangling := filepath.Join(dir, "dangling.cnn")
	os.Symlink("created.cnn", dangling)
	if err := WriteFile(dangling, text("new\n")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "created.cnn")); got != "new\n" {
		t.Errorf("created.cnn holds %q", got)
	}

	// Hard links all see the new text.
	hard := filepath.Join(dir, "hard.cnn")
	os.Link(target, hard)
	if err := WriteFile(hard, text("both\n")); err != nil {
		t.Fatal(err)
	}
	if read(t, target) != "both\n" || read(t, hard) != "both\n" {
		t.Errorf("hard links: %q and %q", read(t, target), read(t, hard))
	}

	// A link to itself is an error, not a loop.
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if err := WriteFile(loop, text("x")); err == nil {
		t.Error("a link to itself was written")
	}
}

// TestWriteFilePredictableName places a link where cnnc fmt -w once wrote
// its temporary file, FILE.cnnc-fmt.tmp: nothing may be written through it.
func TestWriteFilePredictableName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.cnn")
	victim := filepath.Join(dir, "victim")
	os.WriteFile(p, []byte("old\n"), 0o644)
	os.WriteFile(victim, []byte("untouched"), 0o644)
	os.Symlink(victim, p+".cnnc-fmt.tmp")
	if err := WriteFile(p, text("new\n")); err != nil {
		t.Fatal(err)
	}
	if read(t, victim) != "untouched" || read(t, p) != "new\n" {
		t.Errorf("victim %q, file %q", read(t, victim), read(t, p))
	}
}

func TestWriteFileRefused(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro.cnn")
	os.WriteFile(ro, []byte("old\n"), 0o644)
	os.Chmod(ro, 0o444)
	err := WriteFile(ro, text("new\n"))
	if !errors.Is(err, ErrReadOnly) || err.Error() != ro+" is read-only" {
		t.Errorf("read-only: %v", err)
	}
	if read(t, ro) != "old\n" {
		t.Error("a read-only file was rewritten")
	}
	for _, h := range hostilePaths(t, dir) {
		t.Run(h.Name, func(t *testing.T) {
			within(t, func() {
				err := WriteFile(h.Path, text("x"))
				if !errors.Is(err, ErrNotRegular) {
					t.Errorf("%v, want ErrNotRegular", err)
				}
			})
		})
	}
}

// TestWriteFileOwner runs as root: a file of another user stays theirs.
func TestWriteFileOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file away")
	}
	p := filepath.Join(t.TempDir(), "m.cnn")
	os.WriteFile(p, []byte("old\n"), 0o644)
	os.Chmod(p, 0o664)
	if err := os.Chown(p, 1234, 5678); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(p, text("new\n")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	s := st.Sys().(*syscall.Stat_t)
	if s.Uid != 1234 || s.Gid != 5678 || st.Mode().Perm() != 0o664 {
		t.Errorf("owner %d:%d mode %v, want 1234:5678 -rw-rw-r--", s.Uid, s.Gid, st.Mode().Perm())
	}
}
