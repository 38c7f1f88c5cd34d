package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// The demo with -windows (make e2e-windows) runs lyncmigrate.exe under Wine against the same
// servers: each step's exe sits in the step's folder and gets no --log-dir, so that its outputs
// land beside it as on a Windows server, while it runs from another working folder; the paths
// on its command line are Windows paths (Z:\…). It adds what Windows can break: the LDAPS-
// refused message (WSAECONNREFUSED), an offline export of a zip made from the same rtc data,
// and CRLF in every output.

// exeName is the exe in each step's folder.
const exeName = "lyncmigrate.exe"

// refusedSentence is the part of adclient's LDAPS-refused message that both builds must print.
const refusedSentence = "LDAPS connection refused: nothing accepts LDAPS on port"

// checkRefused runs disableaccount of both builds against a closed port: each must exit 3 and
// print the same message, up to the system's own words for the refusal (Linux "connect:
// connection refused", Windows "connectex: …"). It returns the message.
func checkRefused(ctx context.Context, exe, linuxBin, dir string) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	list := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(list, []byte("sip:nobody@example.com\r\n"), 0o600); err != nil {
		return "", err
	}
	args := func(path func(string) string) []string {
		return []string{"disableaccount", "-f", path(list), "--ldap-server", addr, "--ldap-bind-dn", "a@example.com", "--log-dir", path(dir)}
	}
	same := func(p string) string { return p }
	builds := []struct {
		name string
		cmd  *exec.Cmd
	}{
		{"linux", exec.CommandContext(ctx, linuxBin, args(same)...)},
		{"windows", lab.WineCommand(ctx, exe, args(lab.WinePath)...)},
	}
	var messages []string
	for _, b := range builds {
		b.cmd.Env = append(os.Environ(), "LYNCMIGRATE_LDAP_PASSWORD=unused")
		var stderr bytes.Buffer
		b.cmd.Stderr = &stderr
		err := b.cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return "", fmt.Errorf("%s build: %w", b.name, err)
		}
		if code := b.cmd.ProcessState.ExitCode(); code != 3 {
			return "", fmt.Errorf("%s build refused on %s: exit %d, want 3:\n%s", b.name, addr, code, stderr.String())
		}
		line, _, _ := strings.Cut(stderr.String(), "\n")
		msg, _, _ := strings.Cut(line, " (dial tcp ")
		if !strings.Contains(msg, refusedSentence) {
			return "", fmt.Errorf("%s build refused on %s does not say %q:\n%s", b.name, addr, refusedSentence, stderr.String())
		}
		messages = append(messages, msg)
	}
	if messages[0] != messages[1] {
		return "", fmt.Errorf("refused on %s, the builds say different things:\nlinux:   %s\nwindows: %s", addr, messages[0], messages[1])
	}
	return messages[1], nil
}

// writeExportZip writes what Export-CsUserData exports of the owners' contact lists (SPEC 4:
// DocItemSet.xml, names base64 of UTF-8) from rtcsim's tables, so that the offline export of
// the zip must give the rtc export's CSV. owners are user@host, in the order to write them.
func writeExportZip(ctx context.Context, rtc *lab.RTC, owners []string, path string) error {
	db, err := sql.Open("sqlserver", rtc.DSN())
	if err != nil {
		return err
	}
	defer db.Close()
	type group struct{ number, name, uri string }
	type contact struct {
		buddy, name string
		groups      []string
	}
	uah := map[int64]string{}
	groups := map[int64][]group{}
	contacts := map[int64][]*contact{}
	byPair := map[[2]int64]*contact{}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	queries := []struct {
		q  string
		n  int
		fn func([]any)
	}{
		{"SELECT ResourceId, UserAtHost FROM Resource", 2, func(v []any) { uah[asInt(v[0])] = str(v[1]) }},
		{"SELECT OwnerId, GroupNumber, DisplayName, ExternalUri FROM ContactGroup ORDER BY OwnerId, GroupNumber", 4, func(v []any) {
			groups[asInt(v[0])] = append(groups[asInt(v[0])], group{str(v[1]), str(v[2]), str(v[3])})
		}},
		{"SELECT OwnerId, BuddyId, DisplayName FROM Contact ORDER BY OwnerId, BuddyId", 3, func(v []any) {
			c := &contact{buddy: strconv.FormatInt(asInt(v[1]), 10), name: str(v[2])}
			contacts[asInt(v[0])] = append(contacts[asInt(v[0])], c)
			byPair[[2]int64{asInt(v[0]), asInt(v[1])}] = c
		}},
		{"SELECT OwnerId, BuddyId, GroupNumber FROM ContactGroupAssoc ORDER BY OwnerId, BuddyId, GroupNumber", 3, func(v []any) {
			if c := byPair[[2]int64{asInt(v[0]), asInt(v[1])}]; c != nil {
				c.groups = append(c.groups, str(v[2]))
			}
		}},
	}
	for _, q := range queries {
		if err := eachRow(ctx, db, q.q, q.n, q.fn); err != nil {
			return err
		}
	}
	ids := map[string]int64{}
	for id, u := range uah {
		ids[strings.ToLower(u)] = id
	}

	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\r\n" +
		`<DocItemSet xmlns="urn:schema:Microsoft.Rtc.Management.ScopeFramework.2008" Version="3">` + "\r\n")
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, owner := range owners {
		id, ok := ids[strings.ToLower(owner)]
		if !ok {
			return fmt.Errorf("export zip: %s is not in the rtc database", owner)
		}
		fmt.Fprintf(&b, `<DocItem Name="urn:lcd:%s"><Data><HomedResource xmlns="urn:schema:Microsoft.Rtc.Management.UserData.2012">`+"\r\n<ContactGroups>", xmlAttr(owner))
		for _, g := range groups[id] {
			fmt.Fprintf(&b, `<ContactGroup Number="%s" DisplayName="%s" ExternalUri="%s" />`, g.number, b64(g.name), b64(g.uri))
		}
		b.WriteString("</ContactGroups>\r\n<Contacts>")
		for _, c := range contacts[id] {
			buddy, _ := strconv.ParseInt(c.buddy, 10, 64)
			fmt.Fprintf(&b, `<Contact Buddy="%s" DisplayName="%s" Groups="%s" />`, xmlAttr(uah[buddy]), b64(c.name), strings.Join(c.groups, " "))
		}
		b.WriteString("</Contacts></HomedResource></Data></DocItem>\r\n")
	}
	b.WriteString("</DocItemSet>\r\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	if w, err := zw.Create("DocItemSet.xml"); err != nil {
		f.Close()
		return err
	} else if _, err := w.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func xmlAttr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// sameExport compares the CSV rows of two exports' ExportedContacts files (the header first,
// then the rows in any order) and says how they differ, or "" when they hold the same rows.
func sameExport(a, b *step) string {
	read := func(s *step) ([]string, error) {
		for _, f := range s.files {
			if strings.HasPrefix(filepath.Base(f), "ExportedContacts") && !strings.Contains(filepath.Base(f), "Rejected") {
				raw, err := os.ReadFile(f)
				if err != nil {
					return nil, err
				}
				lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
				if len(lines) > 1 {
					slices.Sort(lines[1:])
				}
				return lines, nil
			}
		}
		return nil, fmt.Errorf("%s wrote no ExportedContacts CSV", s.name)
	}
	x, err := read(a)
	if err != nil {
		return err.Error()
	}
	y, err := read(b)
	if err != nil {
		return err.Error()
	}
	if slices.Equal(x, y) {
		return ""
	}
	return fmt.Sprintf("%s and %s wrote different contacts (%d and %d lines): %s", a.name, b.name, len(x), len(y), diff(x, y))
}

// checkCRLF lists the steps' outputs with a line that does not end CRLF (SPEC: every file the
// tool writes is CRLF, as Cisco's were).
func checkCRLF(steps []*step) []string {
	var bad []string
	for _, s := range steps {
		for _, f := range s.files {
			raw, err := os.ReadFile(f)
			if err != nil {
				bad = append(bad, err.Error())
				continue
			}
			if lf, crlf := bytes.Count(raw, []byte("\n")), bytes.Count(raw, []byte("\r\n")); lf != crlf {
				bad = append(bad, fmt.Sprintf("%s: %d of %d lines do not end CRLF", f, lf-crlf, lf))
			}
		}
	}
	return bad
}

// copyFile copies the exe into a step's folder (a hard link when it can).
func copyFile(from, to string) error {
	if os.Link(from, to) == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// wineVersion is `wine --version`, for the reader.
func wineVersion() string {
	out, err := exec.Command("wine", "--version").Output()
	if err != nil {
		return "wine"
	}
	return strings.TrimSpace(string(out))
}
