package adclient

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSIPFilter(t *testing.T) {
	tests := []struct {
		uris []string
		want string
	}{
		{[]string{"sip:ann@foo.com"},
			`(&(objectCategory=person)(objectClass=user)(msRTCSIP-PrimaryUserAddress=sip:ann@foo.com))`},
		{[]string{"sip:ann@foo.com", "sip:Bob@Foo.com"},
			`(&(objectCategory=person)(objectClass=user)(|(msRTCSIP-PrimaryUserAddress=sip:ann@foo.com)(msRTCSIP-PrimaryUserAddress=sip:Bob@Foo.com)))`},
		// Filter metacharacters in a value are escaped, never interpreted:
		// "*" would be a wildcard matching every user.
		{[]string{`sip:a*)(objectClass=*)\x@foo.com`},
			`(&(objectCategory=person)(objectClass=user)(msRTCSIP-PrimaryUserAddress=sip:a\2a\29\28objectClass=\2a\29\5cx@foo.com))`},
		{[]string{"sip:nul\x00@foo.com"},
			`(&(objectCategory=person)(objectClass=user)(msRTCSIP-PrimaryUserAddress=sip:nul\00@foo.com))`},
	}
	for _, tt := range tests {
		if got := SIPFilter(tt.uris); got != tt.want {
			t.Errorf("SIPFilter(%q)\n got %s\nwant %s", tt.uris, got, tt.want)
		}
	}
	if got, want := ProxySIPFilter([]string{"sip:ann@foo.com", "sip:b*@foo.com"}),
		`(&(objectCategory=person)(objectClass=user)(|(proxyAddresses=sip:ann@foo.com)(proxyAddresses=sip:b\2a@foo.com)))`; got != want {
		t.Errorf("ProxySIPFilter\n got %s\nwant %s", got, want)
	}
	if SIPEnabledFilter != `(&(objectCategory=person)(objectClass=user)(msRTCSIP-UserEnabled=TRUE))` {
		t.Errorf("SIPEnabledFilter = %s", SIPEnabledFilter)
	}
}

func TestChunks(t *testing.T) {
	seq := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	}
	tests := []struct {
		n, size int
		lens    []int
	}{
		{0, 200, nil},
		{1, 200, []int{1}},
		{200, 200, []int{200}},
		{201, 200, []int{200, 1}},
		{500, 200, []int{200, 200, 100}},
	}
	for _, tt := range tests {
		in := seq(tt.n)
		got := Chunks(in, tt.size)
		var lens []int
		var flat []int
		for _, c := range got {
			lens = append(lens, len(c))
			flat = append(flat, c...)
		}
		if !reflect.DeepEqual(lens, tt.lens) {
			t.Errorf("Chunks(%d, %d) lengths %v; want %v", tt.n, tt.size, lens, tt.lens)
		}
		if tt.n > 0 && !reflect.DeepEqual(flat, in) {
			t.Errorf("Chunks(%d, %d) lost or reordered elements", tt.n, tt.size)
		}
	}
	// Appending to a chunk must not overwrite the next one.
	in := seq(4)
	c := Chunks(in, 2)
	_ = append(c[0], 99)
	if c[1][0] != 2 {
		t.Errorf("append to a chunk overwrote the next: %v", c)
	}
}

func TestAccountDisabled(t *testing.T) {
	for _, tt := range []struct {
		uac  string
		want bool
	}{{"512", false}, {"514", true}, {"546", true}, {"66048", false}, {"", false}, {"x", false}} {
		e := Entry{Attrs: map[string][]string{"userAccountControl": {tt.uac}}}
		if got := AccountDisabled(e); got != tt.want {
			t.Errorf("AccountDisabled(uac %q) = %v; want %v", tt.uac, got, tt.want)
		}
	}
}

func TestEntryValuesCaseInsensitive(t *testing.T) {
	e := Entry{DN: "CN=a", Attrs: map[string][]string{"msRTCSIP-UserEnabled": {"TRUE"}}}
	for _, name := range []string{"msRTCSIP-UserEnabled", "msrtcsip-userenabled", "MSRTCSIP-USERENABLED"} {
		if got := e.Value(name); got != "TRUE" {
			t.Errorf("Value(%q) = %q", name, got)
		}
	}
	if e.Values("displayName") != nil {
		t.Error("absent attribute has values")
	}
}

func TestWithAttr(t *testing.T) {
	base := make([]string, 1, 4)
	base[0] = "displayName"
	a := withAttr(base, "msRTCSIP-PrimaryUserAddress")
	b := withAttr(base, "userAccountControl")
	if fmt.Sprint(a) != "[displayName msRTCSIP-PrimaryUserAddress]" || fmt.Sprint(b) != "[displayName userAccountControl]" {
		t.Errorf("withAttr shares the caller's array: %v %v", a, b)
	}
	if got := withAttr(a, "MSRTCSIP-PRIMARYUSERADDRESS"); len(got) != 2 {
		t.Errorf("withAttr added a name already there: %v", got)
	}
}

// A failed batch lookup names its filter without burying the cause.
func TestShortFilter(t *testing.T) {
	uris := make([]string, FilterChunk)
	for i := range uris {
		uris[i] = fmt.Sprintf("sip:user%03d@example.com", i)
	}
	long := SIPFilter(uris)
	got := shortFilter(long)
	if len(got) > 160 || !strings.HasPrefix(got, "(&(objectCategory=person)") || !strings.HasSuffix(got, fmt.Sprintf("… (%d characters)", len(long))) {
		t.Errorf("shortFilter of %d characters = %q", len(long), got)
	}
	if f := SIPFilter(uris[:1]); shortFilter(f) != f {
		t.Errorf("a short filter was cut: %q", shortFilter(f))
	}
	if got := shortFilter(strings.Repeat("é", 100)); !utf8.ValidString(got) {
		t.Errorf("cut inside a character: %q", got)
	}
}
