package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real jobs behind the CLI, on failure paths that need no server: a
// server that refuses the connection (exit 3) and a users file with a "*"
// line (exit 2, before any connection). Where the log was opened, its summary
// block and closing banner are written, and the summary also goes to stderr
// (SPEC 3.3: "always written, also after … a fatal error").
func TestRealJobsOnFailure(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users.txt")
	star := filepath.Join(dir, "star.txt")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(users, "sip:ann@foo.com\r\nsip:bob@foo.com\r\n")
	write(star, "sip:ann@foo.com\r\nsip:*@foo.com\r\n")
	const secretPW = "S3cr3t-pw!"
	env := map[string]string{
		"LYNCMIGRATE_LDAP_BIND_DN": "admin@foo.com", "LYNCMIGRATE_LDAP_PASSWORD": secretPW,
		"LYNCMIGRATE_SQL_USER": "sa", "LYNCMIGRATE_SQL_PASSWORD": secretPW,
	}
	refused := []string{"-s/127.0.0.1:1"} // nothing listens on port 1
	tests := []struct {
		name    string
		args    []string
		code    int
		stderr  string
		summary []string // summary lines that must be in the log and on stderr; nil: no log expected
		logGlob string
	}{
		{"disable, connection refused", append([]string{"disableaccount", "-f", users}, refused...), 3,
			"connect to ldaps://127.0.0.1:1", []string{"0 users successfully processed", "2 users not attempted"}, "DisableAccountLog*.txt"},
		{"delete, connection refused", []string{"deleteaccount", "-s/127.0.0.1,1", "-f", users}, 3,
			"127.0.0.1,1", []string{"0 users successfully processed", "2 users not attempted"}, "DeleteAccountLog*.txt"},
		{"export, connection refused", append([]string{"exportcontacts", "-i/127.0.0.1,1", "-f", users}, refused...), 3,
			"127.0.0.1,1", []string{"0 users successfully processed", "2 users not attempted", "Largest contact list size: 0"}, "ExportContactsLog*.txt"},
		{"disable, wildcard line", append([]string{"disableaccount", "-f", star}, refused...), 2,
			`star.txt line 2: "sip:*@foo.com"`, []string{"0 users successfully processed"}, "DisableAccountLog*.txt"},
		{"delete, wildcard line", []string{"deleteaccount", "-s/127.0.0.1,1", "-f", star}, 2, `star.txt line 2: "sip:*@foo.com"`, nil, ""},
		{"verify, AD refused", []string{"verify", "--ldap-server", "127.0.0.1:1", "--sql-server", "127.0.0.1,1", "-f", users, "--report", filepath.Join(dir, "r.html")}, 3,
			"connect to ldaps://127.0.0.1:1", []string{"0 users successfully processed", "2 users not attempted", "0 users migrated", "0 users not_found"}, "VerifyLog*.txt"},
		{"verify, wildcard line", []string{"verify", "--ldap-server", "127.0.0.1:1", "--sql-server", "127.0.0.1,1", "-f", star}, 2,
			`star.txt line 2: "sip:*@foo.com"`, []string{"0 users successfully processed", "0 users migrated"}, "VerifyLog*.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logDir := t.TempDir()
			var stdout, stderr bytes.Buffer
			sys := newSystem(strings.NewReader(""), &stdout, &stderr)
			sys.goos = "linux"
			sys.terminal = fakeTTY{}
			sys.lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			code := execute(append([]string{"lyncmigrate"}, append(tc.args, "--log-dir", logDir)...), sys)
			if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
				t.Fatalf("exit %d (want %d), stderr:\n%s", code, tc.code, stderr.String())
			}
			if tc.summary == nil {
				return
			}
			logs, _ := filepath.Glob(filepath.Join(logDir, tc.logGlob))
			if len(logs) != 1 {
				t.Fatalf("logs %v in %s, want one %s", logs, logDir, tc.logGlob)
			}
			b, err := os.ReadFile(logs[0])
			if err != nil {
				t.Fatal(err)
			}
			log := string(b)
			for _, l := range append([]string{"Summary:"}, tc.summary...) {
				if !strings.Contains(log, "[INFO]  "+l+"\r\n") {
					t.Errorf("log lacks %q:\n%s", l, log)
				}
				if !strings.Contains(stderr.String(), "\n"+l+"\n") && !strings.HasPrefix(stderr.String(), l+"\n") {
					t.Errorf("stderr lacks %q:\n%s", l, stderr.String())
				}
			}
			if !strings.HasSuffix(log, " -----<<\r\n") || !strings.Contains(log, "<<----- ") {
				t.Errorf("no closing banner at the end of the log:\n%s", log)
			}
			if strings.Contains(log, secretPW) || strings.Contains(stderr.String(), secretPW) {
				t.Errorf("the password reached the log or stderr:\n%s", log)
			}
		})
	}
}
