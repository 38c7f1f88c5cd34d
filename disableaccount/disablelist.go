package disableaccount

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// target is one attribute of the disable list and the value it ends with.
type target struct {
	Attr  string
	After []string // nil: the attribute is removed
	// Absent means done: a user without the attribute is not SIP-enabled,
	// so setting it would be a change for nothing.
	SkipIfAbsent bool
}

// disableList is what disabling a user writes (SPEC 5). *(Reconstructed:
// Cisco never documented what its tool wrote; this is the one place to
// correct.)* msRTCSIP-UserEnabled FALSE turns the account off; removing the
// home servers makes Lync stop treating the user as homed, so that its User
// Replicator does not bring the homed data back.
var disableList = []target{
	{Attr: adclient.AttrUserEnabled, After: []string{"FALSE"}, SkipIfAbsent: true},
	{Attr: adclient.AttrPrimaryHomeServer},
	{Attr: adclient.AttrTargetHomeServer},
}

// neverChanged are attributes a disable must not touch, with the reason:
// IM and Presence maps the directory URI to msRTCSIP-PrimaryUserAddress and
// the Lync address book needs it (SPEC 5); the others are the object's
// identity, which clearing could only break.
var neverChanged = map[string]string{
	strings.ToLower(adclient.AttrPrimaryUserAddress): "IM and Presence and the Lync address book need it",
	"objectclass":       "the object's class",
	"objectcategory":    "the object's class",
	"cn":                "the object's name",
	"name":              "the object's name",
	"distinguishedname": "the object's name",
	"samaccountname":    "the account's logon name",
	"userprincipalname": "the account's logon name",
	"objectguid":        "the object's identity",
	"objectsid":         "the object's identity",
}

// attrName is an LDAP display name. OIDs are refused: the attributes that
// are never changed are known by name, and msRTCSIP-PrimaryUserAddress given
// as 1.2.840.113556.1.6.24.1.1 must not slip past that check.
var attrName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// targets is the disable list plus each --clear ATTR (removed). The errors,
// one per refused value, are setting errors (Config.Validate).
func targets(cleared []string) ([]target, error) {
	ts := slices.Clone(disableList)
	var errs []error
	for _, a := range cleared {
		a = strings.TrimSpace(a)
		why, never := neverChanged[strings.ToLower(a)]
		switch {
		case !attrName.MatchString(a):
			errs = append(errs, setting.Errorf("%s %q: not an attribute name (give its LDAP display name, e.g. msRTCSIP-Line)", setting.Clear, a))
		case never:
			errs = append(errs, setting.Errorf("%s %s: this attribute is never changed (%s)", setting.Clear, a, why))
		case slices.ContainsFunc(ts, func(t target) bool { return strings.EqualFold(t.Attr, a) }):
			errs = append(errs, setting.Errorf("%s %s: given twice, or already in the disable list (%s)", setting.Clear, a, listNames(disableList)))
		default:
			ts = append(ts, target{Attr: a})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ts, nil
}

func listNames(ts []target) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Attr)
	}
	return strings.Join(s, ", ")
}

func attrNames(ts []target) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Attr)
	}
	return s
}

// plan is what disabling e changes: one Change per attribute whose value
// differs from the target. Empty: nothing to do (skipped).
func plan(e adclient.Entry, ts []target) []result.Change {
	var out []result.Change
	for _, t := range ts {
		before := e.Values(t.Attr)
		if len(before) == 0 && (t.SkipIfAbsent || t.After == nil) {
			continue
		}
		if sameValues(before, t.After) {
			continue
		}
		out = append(out, result.Change{Attribute: t.Attr, Before: slices.Clone(before), After: slices.Clone(t.After)})
	}
	return out
}

// sameValues compares value sets; AD compares these syntaxes (Boolean, DN,
// Unicode string) case-insensitively.
func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, x := range a {
		found := false
		for j, y := range b {
			if !used[j] && strings.EqualFold(x, y) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// mods turns changes into one modify request's replaces.
func mods(changes []result.Change) []adclient.Mod {
	m := make([]adclient.Mod, len(changes))
	for i, c := range changes {
		m[i] = adclient.Mod{Op: adclient.Replace, Attr: c.Attribute, Values: c.After}
	}
	return m
}

// backupRecord holds the values before the changes.
func backupRecord(user, dn string, changes []result.Change) ldifRecord {
	r := ldifRecord{User: user, DN: dn}
	for _, c := range changes {
		r.Mods = append(r.Mods, replaceMod{Attr: c.Attribute, Values: c.Before})
	}
	return r
}

// describe is "attr: before -> after" for the log.
func describe(c result.Change) string {
	return fmt.Sprintf("%s: %s -> %s", c.Attribute, showValues(c.Before), showValues(c.After))
}

func showValues(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	return strings.Join(v, "; ")
}
