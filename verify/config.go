package verify

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// Config is everything one verify run needs.
type Config struct {
	Common run.Common
	LDAP   adclient.Config
	SQL    rtcclient.Config // every pool's back end and front end to look at
	Report string           // --report FILE.html: the page for the change board; "" for none
}

// Validate checks the settings of a run — every problem at once, each
// naming its setting (internal/setting) — without connecting: Run calls it
// first, and cmd/lyncmigrate before Run.
func (c Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if c.LDAP.Server == "" {
		errs = append(errs, setting.Errorf("%s", setting.Required(setting.LDAPServer)))
	} else {
		errs = append(errs, c.LDAP.Validate())
	}
	if len(c.SQL.Servers) == 0 {
		errs = append(errs, setting.Errorf("%s: verify reads every pool's rtc database (repeat it for each)", setting.Required(setting.SQLServer)))
	} else {
		errs = append(errs, c.SQL.Validate())
	}
	if c.Report != "" {
		errs = append(errs, checkReportPath(c.Report))
	}
	return errors.Join(errs...)
}

// checkReportPath refuses what would only fail at the end of the run: a
// report not named as an HTML page, a folder that is missing, or a name a
// folder has.
func checkReportPath(path string) error {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".html" && ext != ".htm" {
		return setting.Errorf("%s %s: the report is an HTML page; name it FILE.html", setting.Report, path)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return setting.Errorf("%s %s is a folder: give the name of the HTML file to write", setting.Report, path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return setting.Errorf("%s %s: the folder %s does not exist", setting.Report, path, dir)
	case err != nil:
		return setting.Errorf("%s %s: %v", setting.Report, path, err)
	case !fi.IsDir():
		return setting.Errorf("%s %s: %s is not a folder", setting.Report, path, dir)
	}
	return nil
}
