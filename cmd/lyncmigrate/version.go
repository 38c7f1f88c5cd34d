package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at build time: go build -ldflags "-X main.version=v1.2.3 -X main.commit=abc1234".
// Empty means: take them from the build information the go tool embeds.
var (
	version string
	commit  string
)

// buildVersion returns the version and commit of this binary.
func buildVersion() (v, c string) {
	bi, ok := debug.ReadBuildInfo()
	return resolveVersion(version, commit, bi, ok)
}

// resolveVersion prefers the -ldflags values, then the module version and
// vcs.revision stamped by the go tool, then "devel" and "unknown".
func resolveVersion(ldVersion, ldCommit string, bi *debug.BuildInfo, ok bool) (v, c string) {
	v, c = ldVersion, ldCommit
	if ok && bi != nil {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		if c == "" {
			var rev string
			var dirty bool
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					dirty = s.Value == "true"
				}
			}
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if rev != "" && dirty {
				rev += "-dirty"
			}
			c = rev
		}
	}
	if v == "" {
		v = "devel"
	}
	if c == "" {
		c = "unknown"
	}
	return v, c
}

// versionLine is what --version prints.
func versionLine(v, c, goos string) string {
	return fmt.Sprintf("lyncmigrate %s (commit %s, %s/%s, %s)",
		v, c, goos, runtime.GOARCH, strings.TrimSpace(runtime.Version()))
}
