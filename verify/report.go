package verify

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// The --report page (SPEC 9): one self-contained HTML file — inline CSS, no
// script, nothing fetched from anywhere — that opens from a file share and
// prints on A4. Every text goes through html/template. Memory stays flat in
// the number of users: each user's rows are rendered as the user is
// reported, into temporary files beside the report (one per group of the
// "needs action" part, one for the list of every user), which are copied
// into the page at the end.

//go:embed report.html
var reportHTML string

var reportTemplates = template.Must(template.New("report").Funcs(template.FuncMap{
	"title":      stateTitle,
	"action":     stateAction,
	"outcomeOf":  func(s result.State) result.Outcome { return s.Outcome() },
	"finding":    finding,
	"serverLine": serverLine,
	"wrap":       wrap,
}).Parse(reportHTML))

// wrap escapes s and lets a long address, DN or server name break after
// its separators (<wbr>) rather than anywhere in a word.
func wrap(s string) template.HTML {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(template.HTMLEscapeString(string(r)))
		if strings.ContainsRune(`.@\,=`, r) {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

// stateTitle and stateAction are title and action, and for the users
// without a state (a malformed line, a user not checked) what the report
// says of them.
func stateTitle(s result.State) string {
	if s == unchecked {
		return "No state"
	}
	return title[s]
}

func stateAction(s result.State) string {
	if s == unchecked {
		return uncheckedAction
	}
	return action[s]
}

// uncheckedAction is what to do for users without a state.
const uncheckedAction = "Fix the input line, or run verify again for the users not checked (or not checked on every server)."

// finding is a user's detail without the state's name, which the report
// shows beside it.
func finding(rec result.Record) string {
	return strings.TrimPrefix(rec.Detail, string(rec.State)+": ")
}

// serverLine is one server's part of a user, short.
func serverLine(s result.ServerStatus) string {
	switch {
	case s.Error != "":
		return s.Server + ": not read"
	case s.ResourceID == nil:
		return s.Server + ": not there"
	}
	var parts []string
	if n := len(s.HomedRows); n == 0 {
		parts = append(parts, "nothing homed")
	} else {
		var rows int64
		for _, v := range s.HomedRows {
			rows += v
		}
		parts = append(parts, fmt.Sprintf("%d homed rows (%s)", rows, rowList(s.HomedRows)))
	}
	if s.Replicated != nil && !*s.Replicated {
		parts = append(parts, "not replicated")
	}
	if s.ListedBy > 0 {
		parts = append(parts, "listed by "+users(s.ListedBy))
	}
	return s.Server + ": " + strings.Join(parts, "; ")
}

// group is one part of "needs action": the users of one state, or those
// with no state (a malformed line, a user never checked).
type group struct {
	key    string       // the state, or "unchecked"
	state  result.State // "" for unchecked
	file   *os.File
	w      *bufio.Writer
	count  int
	action string
}

// unchecked is the group of users who have no state (or whose state is
// not proven): a malformed line, a user not checked.
const unchecked = "unchecked"

// report is the page being written.
type report struct {
	path   string
	groups []*group // the states needing action in SPEC 9's order, then unchecked
	all    *group   // every user, in input order
	counts result.StateCounts
	users  int
	err    error // the first write error: the page is then not written
}

// newReport opens the temporary files in the report's folder (owner-only:
// they hold the users' addresses).
func newReport(path string) (*report, error) {
	r := &report{path: path}
	keys := []string{}
	for _, s := range result.States {
		if s != result.StateMigrated {
			keys = append(keys, string(s))
		}
	}
	keys = append(keys, unchecked)
	for _, k := range append(keys, "all") {
		f, err := os.CreateTemp(filepath.Dir(path), ".verify-report-*.tmp")
		if err != nil {
			r.discard()
			return nil, fmt.Errorf("report %s: %w", path, err)
		}
		g := &group{key: k, file: f, w: bufio.NewWriter(f)}
		if k == "all" {
			r.all = g
			continue
		}
		if k == unchecked {
			g.action = uncheckedAction
		} else {
			g.state = result.State(k)
			g.action = action[g.state]
		}
		r.groups = append(r.groups, g)
	}
	return r, nil
}

// reportRow is what the row templates see.
type reportRow struct {
	N   int
	Rec result.Record
}

// add renders one user into its group (when it needs action) and into the
// list of every user.
func (r *report) add(rec result.Record) {
	if r.err != nil {
		return
	}
	r.users++
	r.counts.Add(rec.State)
	key := unchecked
	if rec.State != "" {
		key = string(rec.State)
	}
	for _, g := range r.groups {
		if g.key == key || (rec.State == result.StateMigrated && rec.Outcome != result.Processed && g.key == unchecked) {
			g.count++
			r.render(g.w, "actionRow", reportRow{N: g.count, Rec: rec})
		}
	}
	r.all.count++
	r.render(r.all.w, "userRow", reportRow{N: r.all.count, Rec: rec})
}

func (r *report) render(w io.Writer, name string, data any) {
	if r.err != nil {
		return
	}
	if err := reportTemplates.ExecuteTemplate(w, name, data); err != nil {
		r.err = fmt.Errorf("report %s: %w", r.path, err)
	}
}

// pageInfo is what the page's head and foot show.
type pageInfo struct {
	Title      string
	Started    string
	Finished   string
	Host       string
	OSUser     string
	Identity   string
	DC         string
	Base       string
	Servers    []serverInfo
	Input      string
	Log        string
	Version    string
	Users      int
	Action     int
	Migrated   int
	Counts     []stateCount // the six states, then the users without one when there are any
	Problem    string       // why the run is incomplete; "" when it is not
	Groups     []groupInfo
	ActionNone bool
}

type serverInfo struct {
	Name, Version, Error string
}

type stateCount struct {
	State result.State
	N     int
	Pct   string // its share of the bar
	Wide  bool   // wide enough to print its count inside
}

type groupInfo struct {
	Key, Title, Action string
	State              result.State
	N                  int
}

// finish writes the page: head, each group of users needing action, every
// user, foot — copying the rows from the temporary files — then moves it
// into place (owner-only) and removes the temporary files.
func (r *report) finish(info pageInfo) error {
	defer r.discard()
	for _, g := range append(r.groups, r.all) {
		if err := g.w.Flush(); err != nil && r.err == nil {
			r.err = fmt.Errorf("report %s: %w", r.path, err)
		}
	}
	if r.err != nil {
		return r.err
	}
	info.Users = r.users
	info.Migrated = r.counts.Migrated
	count := func(s result.State, n int) stateCount {
		share := 100 * float64(n) / float64(max(r.users, 1))
		return stateCount{State: s, N: n, Pct: fmt.Sprintf("%.2f", share), Wide: share >= 5}
	}
	stateless := r.users
	for _, s := range result.States {
		info.Counts = append(info.Counts, count(s, r.counts.Of(s)))
		stateless -= r.counts.Of(s)
	}
	if stateless > 0 {
		info.Counts = append(info.Counts, count(unchecked, stateless))
	}
	for _, g := range r.groups {
		info.Action += g.count
		if g.count > 0 {
			gi := groupInfo{Key: g.key, State: g.state, Action: g.action, N: g.count, Title: "Not checked"}
			if g.state != "" {
				gi.Title = title[g.state]
			}
			info.Groups = append(info.Groups, gi)
		}
	}
	info.ActionNone = info.Action == 0

	out, err := os.CreateTemp(filepath.Dir(r.path), ".verify-report-*.html")
	if err != nil {
		return fmt.Errorf("report %s: %w", r.path, err)
	}
	defer os.Remove(out.Name()) // after the rename, nothing is left to remove
	w := bufio.NewWriter(out)
	r.render(w, "head", info)
	for _, g := range info.Groups {
		r.render(w, "groupStart", g)
		r.copy(w, r.group(g.Key))
		r.render(w, "groupEnd", nil)
	}
	r.render(w, "allStart", info)
	r.copy(w, r.all)
	r.render(w, "foot", info)
	if r.err == nil {
		r.err = w.Flush()
	}
	if r.err == nil {
		r.err = out.Sync()
	}
	if cerr := out.Close(); r.err == nil {
		r.err = cerr
	}
	if r.err == nil {
		r.err = os.Rename(out.Name(), r.path)
	}
	if r.err != nil {
		return fmt.Errorf("report %s: %w", r.path, r.err)
	}
	return nil
}

func (r *report) group(key string) *group {
	for _, g := range r.groups {
		if g.key == key {
			return g
		}
	}
	return nil
}

// copy appends a group's rendered rows to the page.
func (r *report) copy(w io.Writer, g *group) {
	if r.err != nil {
		return
	}
	if _, err := g.file.Seek(0, io.SeekStart); err != nil {
		r.err = err
		return
	}
	if _, err := io.Copy(w, g.file); err != nil {
		r.err = err
	}
}

// discard closes and removes the temporary files.
func (r *report) discard() {
	for _, g := range append(r.groups, r.all) {
		if g != nil && g.file != nil {
			g.file.Close()
			os.Remove(g.file.Name())
			g.file = nil
		}
	}
}

// writeReport finishes the report after the run, with what the run found:
// the users never checked are listed as such, and a run that could not read
// everything says so at the top.
func (j *job) writeReport(runErr error) error {
	if j.report == nil {
		return nil
	}
	for _, e := range j.list.Entries[j.reported:] {
		detail := "not checked: the run was interrupted"
		if runErr != nil && !j.sess.Interrupted() {
			detail = "not checked: the run stopped"
		}
		j.report.add(result.Record{User: e.URI, Line: e.Line, Outcome: result.NotAttempted, Detail: detail})
	}
	info := pageInfo{
		Title:    "Where each migrating user stands",
		Started:  stamp(j.started),
		Finished: stamp(j.sess.Now()),
		Host:     j.sess.Host(),
		OSUser:   j.sess.OSUser(),
		Identity: bindIdentity(j.cfg),
		DC:       j.cfg.LDAP.Server,
		Input:    j.list.File,
		Log:      j.sess.LogPath(),
		Version:  j.cfg.Common.Version,
	}
	if j.ad != nil {
		info.DC, info.Base = j.ad.URL(), j.ad.Base()
	}
	for _, name := range j.cfg.SQL.Servers {
		info.Servers = append(info.Servers, serverInfo{Name: name, Error: "not read"})
	}
	for i, s := range j.servers {
		info.Servers[i] = serverInfo{Name: s.name, Version: s.version}
		if err := s.failed(); err != nil {
			info.Servers[i].Error = err.Error()
		}
	}
	var problems []string
	switch {
	case j.sess.Interrupted():
		problems = append(problems, "the run was interrupted")
	case runErr != nil && !errors.As(runErr, new(*unreadServers)):
		problems = append(problems, runErr.Error())
	}
	for _, s := range info.Servers {
		if s.Error != "" && len(j.servers) > 0 {
			problems = append(problems, s.Name+" could not be read ("+s.Error+")")
		}
	}
	info.Problem = strings.Join(problems, "; ")
	return j.report.finish(info)
}

// stamp is a report time: local, with its UTC offset.
func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05 -07:00") }
