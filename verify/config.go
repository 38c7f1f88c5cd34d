package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Config is everything one verify run needs.
type Config struct {
	Common run.Common
	LDAP   adclient.Config
	SQL    rtcclient.Config // every pool's back end and front end to look at
	Report string           // --report FILE.html: the page for the change board; "" for none
}

// Validate checks what can be checked without a network; any error is a
// usage error (exit 2), before a log or a connection exists.
func (c Config) Validate() error {
	var errs []error
	if len(c.SQL.Servers) == 0 {
		errs = append(errs, errors.New("no rtc database server given: verify reads every pool's rtc database (--sql-server, repeatable)"))
	} else if err := c.SQL.Validate(); err != nil {
		errs = append(errs, err)
	}
	seen := map[string]bool{}
	for _, name := range c.SQL.Servers {
		t, err := rtcclient.ParseServer(name)
		if err != nil {
			continue // named by SQL.Validate
		}
		k := strings.ToLower(t.String())
		if seen[k] {
			errs = append(errs, fmt.Errorf("rtc database server %s given twice", name))
		}
		seen[k] = true
	}
	if err := c.LDAP.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Report != "" {
		if err := checkReportPath(c.Report); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkReportPath refuses a report path whose folder is missing or that is
// a folder: found after the run, that would lose the page.
func checkReportPath(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("the report %s is a folder: give the name of the HTML file to write", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the report %s: the folder %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("the report %s: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("the report %s: %s is not a folder", path, dir)
	}
	return nil
}
