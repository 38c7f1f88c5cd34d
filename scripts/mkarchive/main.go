// Command mkarchive writes a release archive — .zip or .tar.gz, chosen by the
// output's name — with every file under one top folder, in the order given,
// with a fixed modification time and fixed owners, so that the same inputs
// always give the same bytes (scripts/release.sh; no zip or tar options that
// differ between systems).
//
//	go run ./scripts/mkarchive -o dist/x.zip -dir x -mtime 1700000000 lyncmigrate.exe README.md
//
// A file named lyncmigrate or ending in .exe is stored executable (0755), the
// others 0644.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "archive to write: NAME.zip or NAME.tar.gz")
	dir := flag.String("dir", "", "top folder inside the archive")
	mtime := flag.Int64("mtime", 0, "modification time of every entry, Unix seconds (e.g. the commit's)")
	flag.Parse()
	if err := write(*out, *dir, time.Unix(*mtime, 0).UTC(), flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mkarchive:", err)
		os.Exit(1)
	}
}

// entry is one file to store: its path on disk and its name in the archive.
type entry struct {
	src, name string
	mode      int64
}

func entries(dir string, files []string) ([]entry, error) {
	if dir == "" || strings.ContainsAny(dir, `/\`) {
		return nil, fmt.Errorf("-dir %q: want one folder name", dir)
	}
	if len(files) == 0 {
		return nil, errors.New("no files to archive")
	}
	seen := map[string]bool{}
	var es []entry
	for _, f := range files {
		base := filepath.Base(f)
		if seen[base] {
			return nil, fmt.Errorf("%s: two files named %s", f, base)
		}
		seen[base] = true
		mode := int64(0o644)
		if base == "lyncmigrate" || strings.HasSuffix(base, ".exe") {
			mode = 0o755
		}
		es = append(es, entry{src: f, name: path.Join(dir, base), mode: mode})
	}
	return es, nil
}

func write(out, dir string, mtime time.Time, files []string) (err error) {
	es, err := entries(dir, files)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(out)
		}
	}()
	switch {
	case strings.HasSuffix(out, ".zip"):
		return writeZip(f, es, mtime)
	case strings.HasSuffix(out, ".tar.gz"):
		return writeTarGz(f, es, mtime)
	}
	return fmt.Errorf("-o %s: want a .zip or .tar.gz name", out)
}

func writeZip(w io.Writer, es []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(os.FileMode(e.mode))
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if err := copyFile(dst, e.src); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeTarGz(w io.Writer, es []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	gz.ModTime = mtime
	tw := tar.NewWriter(gz)
	for _, e := range es {
		st, err := os.Stat(e.src)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: e.name, Mode: e.mode, Size: st.Size(), ModTime: mtime,
			Typeflag: tar.TypeReg, Uname: "root", Gname: "root", Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if err := copyFile(tw, e.src); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func copyFile(dst io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}
