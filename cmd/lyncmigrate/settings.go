package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// resolver reads each effective setting once — command line (long flag or
// Cisco form), else environment (connection settings only), else default —
// and remembers where it came from, for the audit header and for error
// messages that name what the operator actually typed.
type resolver struct {
	c      *cli.Context
	inv    *invocation
	order  []string
	values map[string]*resolved
	errs   []string // unparsable environment values
}

type resolved struct {
	value  string // as shown in the audit header
	source runlog.Source
	origin string // "--ldap-server", "-s/" or "LYNCMIGRATE_LDAP_SERVER"
}

func newResolver(c *cli.Context, inv *invocation) *resolver {
	return &resolver{c: c, inv: inv, values: map[string]*resolved{}}
}

// lookup decides the source of a flag and returns the environment value when
// that is the source.
func (r *resolver) lookup(name string) (src runlog.Source, envValue string) {
	if r.c.IsSet(name) {
		if _, ok := r.inv.cisco[name]; ok {
			return runlog.SourceCisco, ""
		}
		return runlog.SourceFlag, ""
	}
	if env, ok := envVarFor(name); ok {
		if v, ok := r.inv.sys.lookupEnv(env); ok && strings.TrimSpace(v) != "" {
			return runlog.SourceEnvironment, v
		}
	}
	return runlog.SourceDefault, ""
}

func (r *resolver) record(name, value string, src runlog.Source) {
	origin := "--" + name
	switch src {
	case runlog.SourceCisco:
		origin = r.inv.cisco[name]
	case runlog.SourceEnvironment:
		origin, _ = envVarFor(name)
	}
	if _, seen := r.values[name]; !seen {
		r.order = append(r.order, name)
	}
	r.values[name] = &resolved{value: value, source: src, origin: origin}
}

// str resolves a string flag whose default is the flag's own Value.
func (r *resolver) str(name string) string { return r.strOr(name, r.c.String(name)) }

// strOr resolves a string flag with a default decided at run time.
func (r *resolver) strOr(name, def string) string {
	src, env := r.lookup(name)
	v := def
	switch src {
	case runlog.SourceFlag, runlog.SourceCisco:
		v = r.c.String(name)
	case runlog.SourceEnvironment:
		v = strings.TrimSpace(env)
	}
	r.record(name, v, src)
	return v
}

// strs resolves a repeatable flag; in the environment several values are
// separated by ';' (never ',': "host,port" is one value).
func (r *resolver) strs(name string) []string {
	src, env := r.lookup(name)
	var v []string
	switch src {
	case runlog.SourceFlag, runlog.SourceCisco:
		v = r.c.StringSlice(name)
	case runlog.SourceEnvironment:
		for _, s := range strings.Split(env, envSliceSeparator) {
			if s = strings.TrimSpace(s); s != "" {
				v = append(v, s)
			}
		}
	}
	r.record(name, strings.Join(v, "; "), src)
	return v
}

func (r *resolver) boolean(name string) bool {
	src, env := r.lookup(name)
	v := r.c.Bool(name)
	if src == runlog.SourceEnvironment {
		b, err := strconv.ParseBool(strings.TrimSpace(env))
		if err != nil {
			e, _ := envVarFor(name)
			r.errs = append(r.errs, fmt.Sprintf("%s=%q is not true or false", e, env))
		}
		v = b
	}
	r.record(name, strconv.FormatBool(v), src)
	return v
}

// integer resolves an int flag. None has an environment fallback.
func (r *resolver) integer(name string) int {
	src, _ := r.lookup(name)
	v := r.c.Int(name)
	r.record(name, strconv.Itoa(v), src)
	return v
}

// duration resolves a duration flag. None has an environment fallback.
func (r *resolver) duration(name string) time.Duration {
	src, _ := r.lookup(name)
	v := r.c.Duration(name)
	r.record(name, v.String(), src)
	return v
}

// origin names a setting the way the operator gave it, for error messages.
func (r *resolver) origin(name string) string {
	if v, ok := r.values[name]; ok {
		return v.origin
	}
	return "--" + name
}

// given reports whether a setting came from the command line or the
// environment rather than its default.
func (r *resolver) given(name string) bool {
	v, ok := r.values[name]
	return ok && v.source != runlog.SourceDefault
}

// onCommandLine reports whether a setting was typed on the command line.
func (r *resolver) onCommandLine(name string) bool {
	v, ok := r.values[name]
	return ok && (v.source == runlog.SourceFlag || v.source == runlog.SourceCisco)
}

// fromEnv reports whether a setting came from the environment.
func (r *resolver) fromEnv(name string) bool {
	v, ok := r.values[name]
	return ok && v.source == runlog.SourceEnvironment
}

// drop forgets a setting that does not apply to this run (an environment
// fallback for a connection the run does not make), so that the audit header
// lists only what was used.
func (r *resolver) drop(names ...string) {
	for _, n := range names {
		delete(r.values, n)
	}
}

// settings is the audit list, in resolution order, plus the password sources.
func (r *resolver) settings(extra ...runlog.Setting) []runlog.Setting {
	var out []runlog.Setting
	for _, n := range r.order {
		v, ok := r.values[n]
		if !ok {
			continue
		}
		out = append(out, runlog.Setting{Name: "--" + n, Value: v.value, Source: v.source})
	}
	return append(out, extra...)
}

// required formats "X is required" with every way to give X.
func (r *resolver) required(name string) string {
	what := "--" + name
	if short := shortAlias(name); short != "" {
		what += " (-" + short + ")"
	}
	var also []string
	if letter := ciscoLetterFor(r.inv.command, name); letter != "" {
		also = append(also, "Cisco "+letter)
	}
	if env, ok := envVarFor(name); ok {
		also = append(also, "$"+env)
	}
	if len(also) == 0 {
		return what + " is required"
	}
	return what + " is required (also: " + strings.Join(also, ", ") + ")"
}
