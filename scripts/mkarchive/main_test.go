package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func inputs(t *testing.T) []string {
	t.Helper()
	d := t.TempDir()
	bin := filepath.Join(d, "lyncmigrate.exe")
	doc := filepath.Join(d, "README.md")
	os.WriteFile(bin, []byte("MZ binary"), 0o600)
	os.WriteFile(doc, []byte("# readme\n"), 0o600)
	return []string{bin, doc}
}

var stamp = time.Unix(1741600000, 0).UTC()

func TestZip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := write(out, "lm_1_windows_amd64", stamp, inputs(t)); err != nil {
		t.Fatal(err)
	}
	r, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []struct {
		name, body string
		mode       os.FileMode
	}{
		{"lm_1_windows_amd64/lyncmigrate.exe", "MZ binary", 0o755},
		{"lm_1_windows_amd64/README.md", "# readme\n", 0o644},
	}
	if len(r.File) != len(want) {
		t.Fatalf("%d entries", len(r.File))
	}
	for i, f := range r.File {
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != want[i].name || string(body) != want[i].body || f.Mode().Perm() != want[i].mode || !f.Modified.Equal(stamp) {
			t.Errorf("entry %d: %s %q %v %v", i, f.Name, body, f.Mode(), f.Modified)
		}
	}
}

func TestTarGzReproducible(t *testing.T) {
	in := inputs(t)
	var archives [][]byte
	for range 2 {
		out := filepath.Join(t.TempDir(), "x.tar.gz")
		if err := write(out, "lm_1_linux_amd64", stamp, in); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(out)
		archives = append(archives, b)
		os.Chtimes(in[0], time.Now(), time.Now()) // disk times must not matter
	}
	if !bytes.Equal(archives[0], archives[1]) {
		t.Fatal("two archives of the same files differ")
	}
	gz, err := gzip.NewReader(bytes.NewReader(archives[0]))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if !h.ModTime.Equal(stamp) || h.Uname != "root" || (strings.HasSuffix(h.Name, ".exe") != (h.Mode == 0o755)) {
			t.Errorf("header %+v", h)
		}
	}
	if strings.Join(names, " ") != "lm_1_linux_amd64/lyncmigrate.exe lm_1_linux_amd64/README.md" {
		t.Errorf("names %q", names)
	}
}

func TestRefusals(t *testing.T) {
	in := inputs(t)
	d := t.TempDir()
	for name, tc := range map[string]struct {
		out, dir string
		files    []string
		want     string
	}{
		"extension": {filepath.Join(d, "x.rar"), "x", in, "want a .zip or .tar.gz"},
		"dir":       {filepath.Join(d, "x.zip"), "a/b", in, "want one folder name"},
		"no files":  {filepath.Join(d, "x.zip"), "x", nil, "no files"},
		"twice":     {filepath.Join(d, "x.zip"), "x", []string{in[0], in[0]}, "two files named"},
		"missing":   {filepath.Join(d, "y.zip"), "x", []string{filepath.Join(d, "nope")}, "nope"},
	} {
		err := write(tc.out, tc.dir, stamp, tc.files)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
		if _, serr := os.Stat(tc.out); serr == nil {
			t.Errorf("%s: a broken archive was left at %s", name, tc.out)
		}
	}
}
