package rtcclient

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Target is one --sql-server value, parsed. A named instance without a port
// is found through SQL Browser (UDP 1434) by the driver.
type Target struct {
	Host     string
	Instance string // "" for the default instance
	Port     int    // 0: the instance's port from SQL Browser, or 1433
}

// ParseServer reads `host\instance`, `host,port`, `host:port`, `[v6]:port`,
// `host\instance,port` or a bare host. It never splits on anything else: a
// comma is SQL Server's port separator, not a list separator (SPEC 3.7).
func ParseServer(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, fmt.Errorf("empty SQL server name")
	}
	if strings.ContainsAny(s, ";\"'= \t/") {
		return Target{}, fmt.Errorf("SQL server %q: want host\\instance, host,port or host:port", s)
	}
	var t Target
	rest := s
	if i := strings.LastIndexByte(rest, ','); i >= 0 {
		p, err := parsePort(rest[i+1:])
		if err != nil {
			return Target{}, fmt.Errorf("SQL server %q: %w", s, err)
		}
		t.Port, rest = p, rest[:i]
	}
	if i := strings.IndexByte(rest, '\\'); i >= 0 {
		t.Host, t.Instance = rest[:i], rest[i+1:]
		if t.Instance == "" || strings.ContainsAny(t.Instance, `\,:`) {
			return Target{}, fmt.Errorf("SQL server %q: bad instance name", s)
		}
	} else if strings.Count(rest, ":") == 1 || strings.HasPrefix(rest, "[") {
		if t.Port != 0 {
			return Target{}, fmt.Errorf("SQL server %q: two ports", s)
		}
		h, p, err := net.SplitHostPort(rest)
		if err != nil {
			return Target{}, fmt.Errorf("SQL server %q: %w", s, err)
		}
		if t.Port, err = parsePort(p); err != nil {
			return Target{}, fmt.Errorf("SQL server %q: %w", s, err)
		}
		t.Host = h
	} else {
		t.Host = rest // a bare host, or a bare IPv6 address
	}
	if t.Host == "" || strings.ContainsAny(t.Host, `\,`) {
		return Target{}, fmt.Errorf("SQL server %q: missing host", s)
	}
	return t, nil
}

func parsePort(p string) (int, error) {
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("bad port %q", p)
	}
	return n, nil
}

// server is the ADO `server=` value: host[\instance][,port].
func (t Target) server() string {
	s := t.Host
	if t.Instance != "" {
		s += `\` + t.Instance
	}
	if t.Port != 0 {
		s += "," + strconv.Itoa(t.Port)
	}
	return s
}

// String is the canonical name of the server, as logs and JSON records show it.
func (t Target) String() string { return t.server() }
