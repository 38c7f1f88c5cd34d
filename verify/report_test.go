package verify

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// page is a parsed report.
type page struct {
	root *html.Node
	text string // all text, white space collapsed
}

func parsePage(t *testing.T, path string) page {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return page{root: root, text: textOf(root)}
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, name) {
			return a.Val, true
		}
	}
	return "", false
}

// textOf is the text under n as a reader sees it: cells and blocks apart,
// an address broken by <wbr> whole; the CSS left out.
func textOf(n *html.Node) string {
	var sb strings.Builder
	walk(n, func(c *html.Node) {
		switch {
		case c.Type == html.TextNode && !(c.Parent != nil && c.Parent.Data == "style"):
			sb.WriteString(c.Data)
		case c.Type == html.ElementNode && !inline[c.Data]:
			sb.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(sb.String()), " ")
}

var inline = map[string]bool{"wbr": true, "span": true, "b": true, "code": true}

// selfContained fails on anything that would fetch or run something: a
// script, an element that loads a resource, any src or href, a URL or an
// @import in the CSS, an event handler attribute.
func (p page) selfContained(t *testing.T) {
	t.Helper()
	walk(p.root, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed", "frame", "audio", "video", "source", "base", "form":
			t.Errorf("the report has a <%s> element", n.Data)
		case "style":
			css := textOf(n)
			if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
				t.Errorf("the report's CSS loads something: %q", css)
			}
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			if k == "src" || k == "href" || k == "srcset" || k == "action" || strings.HasPrefix(k, "on") {
				t.Errorf("<%s %s=%q>: the report must reference nothing", n.Data, a.Key, a.Val)
			}
			if strings.Contains(strings.ToLower(a.Val), "url(") || strings.Contains(strings.ToLower(a.Val), "http") {
				t.Errorf("<%s %s=%q>: an external reference", n.Data, a.Key, a.Val)
			}
		}
	})
}

// legendCounts reads the count per state from the legend table.
func (p page) legendCounts(t *testing.T) map[result.State]int {
	t.Helper()
	got := map[result.State]int{}
	walk(p.root, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "table" {
			return
		}
		if c, _ := attr(n, "class"); c != "legend" {
			return
		}
		walk(n, func(tr *html.Node) {
			if tr.Type != html.ElementNode || tr.Data != "tr" {
				return
			}
			var cells []string
			for td := tr.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode && td.Data == "td" {
					cells = append(cells, textOf(td))
				}
			}
			if len(cells) < 3 {
				t.Errorf("legend row %q", cells)
				return
			}
			n, err := strconv.Atoi(cells[1])
			if err != nil {
				t.Errorf("legend row %q: %v", cells, err)
			}
			got[result.State(cells[2])] = n
		})
	})
	return got
}

// userRows is the text of each row of the "Every user" table, by user.
func (p page) userRows() []string {
	var rows []string
	walk(p.root, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "h2" || !strings.HasPrefix(textOf(n), "Every user") {
			return
		}
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && s.Data == "table" {
				walk(s, func(tr *html.Node) {
					if tr.Type == html.ElementNode && tr.Data == "tr" && tr.Parent.Data == "tbody" {
						rows = append(rows, textOf(tr))
					}
				})
				return
			}
		}
	})
	return rows
}

// sections are the "needs action" groups: heading text -> rows' text.
func (p page) sections() map[string][]string {
	out := map[string][]string{}
	walk(p.root, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "section" {
			return
		}
		var head string
		var rows []string
		walk(n, func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "h3" {
				head = textOf(c)
			}
			if c.Type == html.ElementNode && c.Data == "tr" && c.Parent.Data == "tbody" {
				rows = append(rows, textOf(c))
			}
		})
		out[head] = rows
	})
	return out
}

// checkReport checks a verify run's report against its JSON records: every
// user in the list of every user with their state, the users needing action
// in their state's group with what to do, the counts, nothing external, an
// owner-only file and no temporary file left.
func checkReport(t *testing.T, path string, o outcome, lines []string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("report: %v", err)
	}
	ostest.OwnerOnly(t, path)
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".verify-report-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	p := parsePage(t, path)
	p.selfContained(t)

	counts := p.legendCounts(t)
	for _, s := range result.States {
		if got, want := counts[s], o.summary.States.Of(s); got != want {
			t.Errorf("report: %d users %s, the summary says %d", got, s, want)
		}
	}
	rows := p.userRows()
	if len(rows) != len(o.records) {
		t.Errorf("report: %d rows in the list of every user, want %d", len(rows), len(o.records))
	}
	sections := p.sections()
	for _, r := range o.records {
		var row string
		for _, candidate := range rows {
			if strings.Contains(candidate, r.User) {
				row = candidate
			}
		}
		want := "Input error"
		switch {
		case r.State != "":
			want = title[r.State]
		case r.Outcome == result.NotAttempted:
			want = "Not checked"
		}
		if !strings.Contains(row, want) {
			t.Errorf("report: %s's row %q lacks %q", r.User, row, want)
		}
		if r.Outcome == result.Processed {
			continue
		}
		head := "Not checked"
		if r.State != "" && r.State.Outcome() == r.Outcome {
			head = title[r.State]
		}
		var found bool
		for h, rs := range sections {
			if strings.HasPrefix(h, head+":") {
				for _, x := range rs {
					found = found || strings.Contains(x, r.User)
				}
			}
		}
		if !found {
			t.Errorf("report: %s (%s) is not in the %q group", r.User, r.State, head)
		}
	}
	for _, s := range result.States {
		if s != result.StateMigrated && o.summary.States.Of(s) > 0 && !strings.Contains(p.text, action[s]) {
			t.Errorf("report: what to do for %s is missing", s)
		}
	}
	if !strings.Contains(p.text, fmt.Sprintf("%d of %d users need action", len(o.records)-o.summary.Processed, len(o.records))) &&
		!strings.Contains(p.text, fmt.Sprintf("All %d users are migrated", len(o.records))) {
		t.Errorf("report: no verdict line in %q", p.text[:min(len(p.text), 600)])
	}
}

// sampleRecords are users in every state, and the two kinds of user without
// one, with text that must be escaped.
func sampleRecords() []result.Record {
	srv := func(name string, id int64, homed map[string]int64, listed int64, repl *bool) result.ServerStatus {
		return result.ServerStatus{Server: name, ResourceID: &id, HomedRows: homed, ListedBy: listed, Replicated: repl}
	}
	disabled := func(cn string) *result.ADStatus {
		return &result.ADStatus{Found: true, Address: "sip:" + cn + "@corp.example.com", DN: "CN=" + cn + ",OU=Migrating,DC=corp,DC=example,DC=com"}
	}
	var recs []result.Record
	add := func(user string, s result.State, ad *result.ADStatus, servers ...result.ServerStatus) {
		d := map[result.State]string{
			result.StateMigrated:      "disabled in Active Directory, address kept, no homed data on 2 servers; on the contact lists of 4 users still on Lync (kept on purpose)",
			result.StateNotDisabled:   "still SIP-enabled in Active Directory (msRTCSIP-UserEnabled TRUE): run disableaccount",
			result.StateNotReplicated: `disabled in Active Directory, but ResourceDirectory on sqlbe01.corp.example.com\rtc still says enabled: wait for AD to reach the Lync servers (up to 30 minutes), then run verify again`,
			result.StateNotDeleted:    `disabled in Active Directory; homed data left on fe02.corp.example.com\rtclocal (Contact 12, ContactGroup 2, ResourceDirectory 1): run deleteaccount there`,
			result.StateAddressLost:   "no AD user has this address in msRTCSIP-PrimaryUserAddress, but CN=Lee <Ops>,OU=Migrating,DC=corp,DC=example,DC=com has SIP:lee@corp.example.com in proxyAddresses: restore msRTCSIP-PrimaryUserAddress",
			result.StateNotFound:      "not in Active Directory and not homed on any rtc server: check the input",
		}[s]
		recs = append(recs, result.Record{User: user, Line: len(recs) + 2, State: s, Outcome: s.Outcome(), Detail: string(s) + ": " + d, AD: ad, Servers: servers})
	}
	be, fe := `sqlbe01.corp.example.com\rtc`, `fe02.corp.example.com\rtclocal`
	none := map[string]int64{}
	for i, n := range []string{"ann.archer", "bob.baker", "carol.cole", "dave.dunn", "erin.ezra", "frank.muller", "gina.gold", "hal.hart", "ivy.ince", "jon.james", "kim.kent"} {
		add("sip:"+n+"@corp.example.com", result.StateMigrated, disabled(n), srv(be, int64(1001+i), none, int64(i%5), nil), srv(fe, int64(1001+i), none, 0, nil))
	}
	add("sip:mo.moss@corp.example.com", result.StateNotDisabled, &result.ADStatus{Found: true, Enabled: true, Address: "sip:mo.moss@corp.example.com", HomeServer: "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools", DN: "CN=Mo Moss,OU=Migrating,DC=corp,DC=example,DC=com"},
		srv(be, 1101, map[string]int64{"Contact": 40, "ContactGroup": 3, "ResourceDirectory": 1}, 7, new(true)))
	add("sip:nia.north@corp.example.com", result.StateNotReplicated, disabled("nia.north"), srv(be, 1102, map[string]int64{"Contact": 8, "ResourceDirectory": 1}, 2, new(false)))
	add("sip:otto.ode@corp.example.com", result.StateNotDeleted, disabled("otto.ode"), srv(be, 1103, none, 3, nil), srv(fe, 1103, map[string]int64{"Contact": 12, "ContactGroup": 2, "ResourceDirectory": 1}, 0, nil))
	add("sip:lee@corp.example.com", result.StateAddressLost, &result.ADStatus{Found: true, DN: "CN=Lee <Ops>,OU=Migrating,DC=corp,DC=example,DC=com", ProxyAddress: "SIP:lee@corp.example.com"}, srv(be, 1104, none, 1, nil))
	add("sip:pat.typo@corp.example.com", result.StateNotFound, &result.ADStatus{}, result.ServerStatus{Server: be, HomedRows: none}, result.ServerStatus{Server: fe, HomedRows: none})
	recs = append(recs,
		result.Record{User: `<script>alert("x")</script>@corp.example.com`, Line: 30, Outcome: result.Error, Detail: `is not a SIP address; expected sip:user@domain`},
		result.Record{User: "sip:quinn@corp.example.com", Line: 31, Outcome: result.NotAttempted, Detail: "not checked: the run was interrupted"})
	return recs
}

func samplePage() pageInfo {
	return pageInfo{
		Title: "Where each migrating user stands", Started: "2024-05-06 09:58:02 +02:00", Finished: "2024-05-06 09:58:09 +02:00",
		Host: "FE01", OSUser: `CORP\lyncadmin`, Identity: `LDAP lyncadmin@corp.example.com; SQL windows`,
		DC: "ldaps://dc1.corp.example.com:636", Base: "DC=corp,DC=example,DC=com",
		Servers: []serverInfo{{Name: `sqlbe01.corp.example.com\rtc`, Version: "Lync Server 2013 / Skype for Business Server"}, {Name: `fe02.corp.example.com\rtclocal`, Version: "Lync Server 2013 / Skype for Business Server"}},
		Input:   `C:\Migration\UserList20240506_091500.txt`, Log: `C:\Tools\VerifyLog20240506_095802.txt`, Version: "1.4.0",
	}
}

// writeSample writes the sample report and returns its path.
func writeSample(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "verify-report.html")
	r, err := newReport(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range sampleRecords() {
		r.add(rec)
	}
	if err := r.finish(samplePage()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportPage(t *testing.T) {
	dir := t.TempDir()
	path := writeSample(t, dir)
	recs := sampleRecords()
	o := outcome{records: map[string]result.Record{}, summary: result.Summary{States: &result.StateCounts{}}}
	for _, r := range recs {
		o.records[strings.ToLower(r.User)] = r
		o.summary.Add(r.Outcome)
		o.summary.States.Add(r.State)
	}
	checkReport(t, path, o, nil)

	b, _ := os.ReadFile(path)
	page := string(b)
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") || !strings.Contains(page, "CN=Lee &lt;Ops&gt;") {
		t.Error("text is not escaped")
	}
	for _, want := range []string{"@page { size: A4", `<meta charset="utf-8">`, `CORP\lyncadmin on FE01`, "ldaps://dc1.corp.example.com:636",
		`sqlbe01.corp.example.com\rtc`, "2024-05-06 09:58:02 +02:00", "7 of 18 users need action; 11 migrated"} {
		if !strings.Contains(page, want) && !strings.Contains(parsePage(t, path).text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The bar: one segment per state with users, widths summing to 100 %.
	var sum float64
	for _, m := range regexp.MustCompile(`class="seg s-[a-z_]+" style="width: ([0-9.]+)%"`).FindAllStringSubmatch(page, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		sum += v
	}
	if sum < 99.9 || sum > 100.1 {
		t.Errorf("bar segments sum to %.2f %%", sum)
	}
	// The groups come in SPEC 9's order, problems before the list of everyone.
	order := []string{"Not disabled in AD: 1", "Not replicated yet: 1", "Homed data left: 1", "SIP address lost: 1", "Not found: 1", "Not checked: 2", "Every user (18)"}
	text := parsePage(t, path).text
	last := -1
	for _, h := range order {
		i := strings.Index(text, h)
		if i < 0 || i < last {
			t.Errorf("%q missing or out of order", h)
		}
		last = i
	}
}

// A report of users who are all migrated says so, and has no "needs
// action" part.
func TestReportAllMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ok.html")
	r, err := newReport(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range sampleRecords()[:3] {
		r.add(rec)
	}
	if err := r.finish(samplePage()); err != nil {
		t.Fatal(err)
	}
	p := parsePage(t, path)
	if !strings.Contains(p.text, "All 3 users are migrated.") || strings.Contains(p.text, "Users needing action") || len(p.sections()) != 0 {
		t.Errorf("page: %s", p.text)
	}
}
