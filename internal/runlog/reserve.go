package runlog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// FileSpec names one file of a run's set: <Dir>/<Prefix><yyyyMMdd_HHmmss>[_N]<Ext>.
type FileSpec struct{ Dir, Prefix, Ext string }

// StampLayout is the time stamp of file names (yyyyMMdd_HHmmss).
const StampLayout = "20060102_150405"

// maxSuffix bounds the search for a free suffix (a full folder, or a bug).
const maxSuffix = 10000

// Reserve creates, empty and owner-only (0600), one file per spec, all with
// the same stamp made from now (formatted in now's own location: pass local
// time). If any name of the set already exists the whole set takes the
// suffix _2, then _3, …, so that the files of one run always share a name
// and nothing is overwritten. Files are created with O_EXCL: a run racing
// for the same names moves on to the next suffix. The paths are returned in
// the order of specs.
func Reserve(now time.Time, specs []FileSpec) ([]string, error) {
	if len(specs) == 0 {
		return nil, errors.New("reserve: no files")
	}
	stamp := now.Format(StampLayout)
	for n := 1; n <= maxSuffix; n++ {
		suffix := ""
		if n > 1 {
			suffix = "_" + strconv.Itoa(n)
		}
		paths := make([]string, len(specs))
		for i, s := range specs {
			paths[i] = filepath.Join(s.Dir, s.Prefix+stamp+suffix+s.Ext)
		}
		taken, err := anyExists(paths)
		if err != nil {
			return nil, err
		}
		if taken {
			continue
		}
		ok, err := createAll(paths)
		if err != nil {
			return nil, err
		}
		if ok {
			return paths, nil
		}
	}
	return nil, fmt.Errorf("reserve %s%s: no free name up to suffix _%d", specs[0].Prefix, stamp, maxSuffix)
}

func anyExists(paths []string) (bool, error) {
	for _, p := range paths {
		_, err := os.Lstat(p)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("reserve %s: %w", p, err)
		}
	}
	return false, nil
}

// createAll creates every path exclusively. It returns false (and removes
// what it created) when another process took one of the names first.
func createAll(paths []string) (bool, error) {
	for i, p := range paths {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			for _, q := range paths[:i] {
				_ = os.Remove(q)
			}
			if errors.Is(err, fs.ErrExist) {
				return false, nil
			}
			return false, fmt.Errorf("reserve %s: %w", p, err)
		}
	}
	return true, nil
}
