package input

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadAll(t *testing.T) {
	l, err := Load("ALL", nil, Options{Command: Export})
	if err != nil || !l.All || l.File != "ALL" || len(l.Entries) != 0 {
		t.Fatalf("export -f ALL: %v %+v", err, l)
	}
	for _, cmd := range []Command{Disable, Delete} {
		for _, v := range []string{"ALL", "all", "All"} {
			_, err := Load(v, strings.NewReader("sip:ann@foo.com"), Options{Command: cmd})
			if !errors.Is(err, ErrAll) || !strings.Contains(err.Error(), "-f "+v+": "+cmd.String()+" never takes ALL") {
				t.Errorf("%s -f %s: %v", cmd, v, err)
			}
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("missing.txt", nil, Options{Command: Disable})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %v is not fs.ErrNotExist", err)
	}
	if runtime.GOOS != "windows" {
		if got, want := err.Error(), `open users file "missing.txt": no such file or directory`; got != want {
			t.Errorf("message\n got %s\nwant %s", got, want)
		}
	} else if !strings.HasPrefix(err.Error(), `open users file "missing.txt": `) {
		t.Errorf("message %s", err)
	}
	// -f all (lower case) for export is a path; when missing, say how to write ALL.
	_, err = Load("all", nil, Options{Command: Export})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), `"all"`) || !strings.Contains(err.Error(), "write -f ALL in capitals") {
		t.Errorf("export -f all: %v", err)
	}
}

func TestLoadFileAndStdin(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.txt")
	content := "sip:ann@foo.com\r\nann@foo.com\r\n"
	if err := os.WriteFile(path, []byte(content), 0o400); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path, nil, Options{Command: Delete})
	if err != nil || len(l.Entries) != 1 || len(l.Duplicates) != 1 || l.File != path {
		t.Fatalf("file: %v %+v", err, l)
	}
	if got, _ := os.ReadFile(path); string(got) != content {
		t.Errorf("input file changed: %q", got)
	}

	l, err = Load("-", strings.NewReader("sip:ann@foo.com\nbad\n"), Options{Command: Disable})
	if err != nil || len(l.Entries) != 1 || l.File != "stdin" {
		t.Fatalf("stdin: %v %+v", err, l)
	}
	if got := l.Invalid[0].Error(); !strings.HasPrefix(got, `stdin line 2: "bad": `) {
		t.Errorf("stdin message %s", got)
	}
	if _, err := Load("-", nil, Options{Command: Disable}); err == nil {
		t.Error("-f - without stdin accepted")
	}
	if _, err := Load("", nil, Options{Command: Disable}); err == nil || !strings.Contains(err.Error(), "-f FILE") {
		t.Errorf("empty -f: %v", err)
	}
	if _, err := Load(dir, nil, Options{Command: Disable}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("a directory: %v", err)
	}
}
