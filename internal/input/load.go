package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// StdinName is how messages name the users file read from "-".
const StdinName = "stdin"

// Load reads the -f value: a path (opened read-only), "-" for stdin, or the
// exact word ALL, which exportcontacts takes as "every SIP-enabled user" and
// the other two refuse. Any error is an input error (exit 2).
func Load(path string, stdin io.Reader, opts Options) (*List, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if strings.EqualFold(path, "ALL") {
		if opts.Command != Export {
			// Refused in any case: a file named "all" is far less likely than
			// an operator reusing an export command line.
			return nil, fmt.Errorf("%w: -f %s: %s never takes ALL; give a file of SIP addresses (for example the UserList file exportcontacts writes). Nothing was changed",
				ErrAll, path, opts.Command)
		}
		if path == "ALL" {
			return &List{File: path, All: true}, nil
		}
	}
	switch path {
	case "":
		return nil, errors.New("no users file given: use -f FILE, or -f - to read standard input")
	case "-":
		if stdin == nil {
			return nil, errors.New("-f -: no standard input to read users from")
		}
		return Parse(stdin, StdinName, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below, as given
		}
		if errors.Is(err, fs.ErrNotExist) && strings.EqualFold(path, "ALL") {
			return nil, fmt.Errorf("open users file %q: %w (to export every user, write -f ALL in capitals)", path, err)
		}
		return nil, fmt.Errorf("open users file %q: %w", path, err)
	}
	defer f.Close() // read-only: nothing to flush
	return Parse(f, path, opts)
}
