package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// person is one line of testdata/demo/users.csv.
type person struct {
	Login       string // the SIP address's user part
	DisplayName string
	Migrates    bool
}

// SIP is the person's address in a run's SIP domain.
func (p person) SIP(domain string) string { return "sip:" + p.Login + "@" + domain }

// loadPeople reads testdata/demo/users.csv (comment lines start with #; a header line).
func loadPeople(path string) ([]person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = 3
	var out []person
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if first {
			continue // header
		}
		switch rec[2] {
		case "migrate", "stay":
		default:
			return nil, fmt.Errorf("%s: %s: role %q, want migrate or stay", path, rec[0], rec[2])
		}
		out = append(out, person{Login: rec[0], DisplayName: rec[1], Migrates: rec[2] == "migrate"})
	}
	return out, nil
}

// adUsers are the people as AD user objects: sAMAccountName = prefix + login (unique in the
// domain, whichever other run seeds the same DC).
func adUsers(people []person, prefix, domain string) []lab.User {
	out := make([]lab.User, len(people))
	for i, p := range people {
		out[i] = lab.User{SAM: prefix + p.Login, DisplayName: p.DisplayName, SIP: p.SIP(domain)}
	}
	return out
}

// writeSeed writes the rtc seed with the run's SIP domain in place of @DOMAIN@.
func writeSeed(from, to, domain string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, []byte(strings.ReplaceAll(string(b), "@DOMAIN@", domain)), 0o600)
}

// fixture is a file of testdata/demo.
func fixture(root, name string) string { return filepath.Join(root, "testdata", "demo", name) }
