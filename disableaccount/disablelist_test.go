package disableaccount

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

func TestTargets(t *testing.T) {
	tests := []struct {
		clear  []string
		attrs  string // the attributes, in order; "" = error
		errHas string
	}{
		{nil, "msRTCSIP-UserEnabled msRTCSIP-PrimaryHomeServer msRTCSIP-TargetHomeServer", ""},
		{[]string{"msRTCSIP-Line", " msRTCSIP-LineServer "}, "msRTCSIP-UserEnabled msRTCSIP-PrimaryHomeServer msRTCSIP-TargetHomeServer msRTCSIP-Line msRTCSIP-LineServer", ""},
		// By OID, msRTCSIP-PrimaryUserAddress would pass a check by name.
		{[]string{"1.2.840.113556.1.6.24.1.1"}, "", "not an attribute name"},
		{[]string{"1.2.840.113556.1.6.24.1.88"}, "", "LDAP display name"},
		{[]string{"msRTCSIP-PrimaryUserAddress"}, "", "never changed (IM and Presence"},
		{[]string{"msrtcsip-primaryuseraddress"}, "", "never changed"},
		{[]string{"sAMAccountName"}, "", "never changed"},
		{[]string{"msRTCSIP-UserEnabled"}, "", "already in the disable list"},
		{[]string{"msRTCSIP-Line", "msrtcsip-line"}, "", "given twice"},
		{[]string{"bad name"}, "", "not an attribute name"},
		{[]string{"x,y"}, "", "not an attribute name"},
		{[]string{""}, "", "not an attribute name"},
	}
	for _, tt := range tests {
		ts, err := targets(tt.clear)
		if tt.attrs == "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("targets(%q) = %v; want error containing %q", tt.clear, err, tt.errHas)
			}
			continue
		}
		if err != nil {
			t.Errorf("targets(%q): %v", tt.clear, err)
			continue
		}
		if got := strings.Join(attrNames(ts), " "); got != tt.attrs {
			t.Errorf("targets(%q) = %s; want %s", tt.clear, got, tt.attrs)
		}
	}
	// The declared list is not modified by --clear.
	if len(disableList) != 3 {
		t.Errorf("disableList grew to %d", len(disableList))
	}
}

func TestPlan(t *testing.T) {
	const pool = "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,DC=x"
	ts, err := targets([]string{"msRTCSIP-Line"})
	if err != nil {
		t.Fatal(err)
	}
	entry := func(kv ...string) adclient.Entry {
		e := adclient.Entry{DN: "CN=u", Attrs: map[string][]string{adclient.AttrPrimaryUserAddress: {"sip:u@x.com"}}}
		for i := 0; i < len(kv); i += 2 {
			e.Attrs[kv[i]] = append(e.Attrs[kv[i]], kv[i+1])
		}
		return e
	}
	ch := func(attr string, before, after []string) result.Change {
		return result.Change{Attribute: attr, Before: before, After: after}
	}
	tests := []struct {
		name string
		e    adclient.Entry
		want []result.Change
	}{
		{"enabled and homed", entry("msRTCSIP-UserEnabled", "TRUE", "msRTCSIP-PrimaryHomeServer", pool), []result.Change{
			ch("msRTCSIP-UserEnabled", []string{"TRUE"}, []string{"FALSE"}),
			ch("msRTCSIP-PrimaryHomeServer", []string{pool}, nil)}},
		{"attribute names in another case", entry("msrtcsip-userenabled", "TRUE", "MSRTCSIP-TARGETHOMESERVER", pool), []result.Change{
			ch("msRTCSIP-UserEnabled", []string{"TRUE"}, []string{"FALSE"}),
			ch("msRTCSIP-TargetHomeServer", []string{pool}, nil)}},
		{"already disabled", entry("msRTCSIP-UserEnabled", "FALSE"), nil},
		{"never enabled", entry(), nil},
		{"disabled but still homed", entry("msRTCSIP-UserEnabled", "FALSE", "msRTCSIP-TargetHomeServer", pool), []result.Change{
			ch("msRTCSIP-TargetHomeServer", []string{pool}, nil)}},
		{"no UserEnabled but homed: not set to FALSE", entry("msRTCSIP-PrimaryHomeServer", pool), []result.Change{
			ch("msRTCSIP-PrimaryHomeServer", []string{pool}, nil)}},
		{"--clear attribute", entry("msRTCSIP-UserEnabled", "TRUE", "msRTCSIP-Line", "tel:+1"), []result.Change{
			ch("msRTCSIP-UserEnabled", []string{"TRUE"}, []string{"FALSE"}),
			ch("msRTCSIP-Line", []string{"tel:+1"}, nil)}},
	}
	for _, tt := range tests {
		got := plan(tt.e, ts)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: plan = %+v; want %+v", tt.name, got, tt.want)
		}
		for _, c := range got {
			if strings.EqualFold(c.Attribute, adclient.AttrPrimaryUserAddress) {
				t.Errorf("%s: the plan changes the PrimaryUserAddress", tt.name)
			}
		}
		// The modify request is exactly the plan, as replaces.
		for i, m := range mods(got) {
			if m.Op != adclient.Replace || m.Attr != got[i].Attribute || !reflect.DeepEqual(m.Values, got[i].After) {
				t.Errorf("%s: mod %d = %+v", tt.name, i, m)
			}
		}
	}
}

func TestSameValues(t *testing.T) {
	for _, tt := range []struct {
		a, b []string
		want bool
	}{
		{nil, nil, true}, {[]string{"TRUE"}, []string{"true"}, true}, {[]string{"a", "b"}, []string{"B", "A"}, true},
		{[]string{"a"}, nil, false}, {[]string{"a", "a"}, []string{"a", "b"}, false}, {[]string{"x"}, []string{"y"}, false},
	} {
		if got := sameValues(tt.a, tt.b); got != tt.want {
			t.Errorf("sameValues(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tt := range []struct {
		c    result.Change
		want string
	}{
		{result.Change{Attribute: "msRTCSIP-UserEnabled", Before: []string{"TRUE"}, After: []string{"FALSE"}}, "msRTCSIP-UserEnabled: TRUE -> FALSE"},
		{result.Change{Attribute: "msRTCSIP-PrimaryHomeServer", Before: []string{"CN=p"}}, "msRTCSIP-PrimaryHomeServer: CN=p -> (none)"},
		{result.Change{Attribute: "otherTelephone", Before: []string{"1", "2"}}, "otherTelephone: 1; 2 -> (none)"},
	} {
		if got := describe(tt.c); got != tt.want {
			t.Errorf("describe = %q; want %q", got, tt.want)
		}
	}
}

// Concurrent appends all reach the file, whole, each before Append returns.
func TestBackupConcurrentAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.ldif")
	bf, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	b := newBackup(bf, ldifHeader("v", "now"))
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := ldifRecord{User: fmt.Sprintf("sip:u%d@x.com", i), DN: fmt.Sprintf("CN=u%d,DC=x", i),
				Mods: []replaceMod{{Attr: "msRTCSIP-UserEnabled", Values: []string{"TRUE"}}, {Attr: "msRTCSIP-PrimaryHomeServer"}}}
			if err := b.Append(r); err != nil {
				t.Error(err)
			}
			// Durable before returning: the record is in the file now.
			data, _ := os.ReadFile(path)
			if !strings.Contains(string(data), "dn: "+r.DN+"\r\n") {
				t.Errorf("record of %s not in the file after Append", r.DN)
			}
		})
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	recs, err := parseLDIF(f, path)
	if err != nil || len(recs) != n {
		t.Fatalf("%d records, %v; want %d", len(recs), err, n)
	}
	if err := b.Append(recs[0]); err == nil {
		t.Error("Append after Close succeeded")
	}
	ostest.OwnerOnly(t, path)
}

// --undo refuses a record that would write an attribute a disable never
// changes, by name in any case or by OID.
func TestRefusedAttr(t *testing.T) {
	tests := []struct {
		attrs []string
		attr  string // "" = accepted
		why   string
	}{
		{[]string{"msRTCSIP-UserEnabled", "msRTCSIP-PrimaryHomeServer"}, "", ""},
		{[]string{"msRTCSIP-UserEnabled", "msrtcsip-primaryuseraddress"}, "msrtcsip-primaryuseraddress", "never changed"},
		{[]string{"1.2.840.113556.1.6.24.1.1"}, "1.2.840.113556.1.6.24.1.1", "not an LDAP display name"},
		{[]string{"sAMAccountName"}, "sAMAccountName", "never changed"},
	}
	for _, tt := range tests {
		r := ldifRecord{DN: "CN=a,DC=x"}
		for _, a := range tt.attrs {
			r.Mods = append(r.Mods, replaceMod{Attr: a})
		}
		attr, why := refusedAttr(r)
		if attr != tt.attr || !strings.Contains(why, tt.why) {
			t.Errorf("refusedAttr(%q) = %q, %q; want %q, %q", tt.attrs, attr, why, tt.attr, tt.why)
		}
	}
}

// Cisco's "Enabled : True" line shows an AD Boolean as .NET printed it.
func TestCiscoBool(t *testing.T) {
	for in, want := range map[string]string{"TRUE": "True", "true": "True", "FALSE": "False", "": "False", "yes": "False"} {
		if got := ciscoBool(in); got != want {
			t.Errorf("ciscoBool(%q) = %q; want %q", in, got, want)
		}
	}
}
