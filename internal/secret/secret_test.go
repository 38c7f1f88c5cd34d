package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

type fakeTTY struct {
	tty   bool
	input string
	err   error
	reads int
}

func (f *fakeTTY) IsTerminal() bool { return f.tty }
func (f *fakeTTY) ReadPassword() ([]byte, error) {
	f.reads++
	return []byte(f.input), f.err
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // umask may have narrowed it
		t.Fatal(err)
	}
	return p
}

func TestPasswordSources(t *testing.T) {
	const env = "LYNCMIGRATE_LDAP_PASSWORD"
	tests := []struct {
		name    string
		env     map[string]string
		file    string // content; "" = no file
		prompt  bool
		tty     *fakeTTY
		want    string
		wantErr string
	}{
		{name: "env wins over file", env: map[string]string{env: "fromenv"}, file: "fromfile\n", want: "fromenv"},
		{name: "file first line LF", file: "s3cret\nsecond\n", want: "s3cret"},
		{name: "file CRLF", file: "s3cret\r\n", want: "s3cret"},
		{name: "file no line end", file: "s3cret", want: "s3cret"},
		{name: "file keeps spaces", file: " pass word \n", want: " pass word "},
		{name: "file BOM stripped", file: "\ufeffs3cret\r\n", want: "s3cret"},
		{name: "file empty line", file: "\nsecond\n", wantErr: "first line is empty"},
		{name: "env set but empty", env: map[string]string{env: ""}, wantErr: "LYNCMIGRATE_LDAP_PASSWORD is set but empty"},
		{name: "prompt on terminal", prompt: true, tty: &fakeTTY{tty: true, input: "typed"}, want: "typed"},
		{name: "prompt empty", prompt: true, tty: &fakeTTY{tty: true, input: ""}, wantErr: "empty password entered"},
		{name: "prompt read error", prompt: true, tty: &fakeTTY{tty: true, err: errors.New("boom")}, wantErr: "boom"},
		{name: "no terminal names the three ways", prompt: true, tty: &fakeTTY{tty: false},
			wantErr: "set LYNCMIGRATE_LDAP_PASSWORD, use --ldap-password-file FILE, or run on a terminal"},
		{name: "prompt not allowed", prompt: false, tty: &fakeTTY{tty: true, input: "typed"},
			wantErr: "set LYNCMIGRATE_LDAP_PASSWORD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{EnvName: env, Prompt: tc.prompt, Label: "LDAP password for admin",
				LookupEnv: envMap(tc.env), Stderr: &bytes.Buffer{}, Terminal: tc.tty}
			if o.Terminal == nil {
				o.Terminal = &fakeTTY{}
			}
			if tc.file != "" {
				o.File = writeFile(t, tc.file, 0o600)
			}
			got, err := New(o)()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
				}
				if got != "" {
					t.Fatalf("password %q returned with error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestPromptWritesLabelToStderrAndAsksOnce(t *testing.T) {
	var stderr bytes.Buffer
	tty := &fakeTTY{tty: true, input: "typed"}
	f := New(Options{EnvName: "LYNCMIGRATE_SQL_PASSWORD", Prompt: true, Label: "SQL password for sa",
		LookupEnv: envMap(nil), Stderr: &stderr, Terminal: tty})
	for range 3 {
		if pw, err := f(); pw != "typed" || err != nil {
			t.Fatalf("got %q, %v", pw, err)
		}
	}
	if tty.reads != 1 {
		t.Fatalf("prompted %d times, want once", tty.reads)
	}
	if !strings.HasPrefix(stderr.String(), "SQL password for sa: ") {
		t.Fatalf("stderr = %q", stderr.String())
	}
	if strings.Contains(stderr.String(), "typed") {
		t.Fatal("password echoed to stderr")
	}
}

func TestWorldReadableFileWarns(t *testing.T) {
	ostest.SkipOnWindows(t, "Unix mode bits: Windows reports every file as 0666 (the GOOS seam tests the Windows case on Linux)")
	tests := []struct {
		mode os.FileMode
		goos string
		warn bool
	}{
		{0o600, "linux", false},
		{0o640, "linux", false},
		{0o644, "linux", true},
		{0o604, "darwin", true},
		{0o644, "windows", false}, // NTFS ACLs, not mode bits
	}
	for _, tc := range tests {
		var stderr bytes.Buffer
		p := writeFile(t, "pw\n", tc.mode)
		got, err := New(Options{EnvName: "LYNCMIGRATE_SQL_PASSWORD", File: p, Label: "SQL password",
			LookupEnv: envMap(nil), Stderr: &stderr, GOOS: tc.goos})()
		if err != nil || got != "pw" {
			t.Fatalf("%v %s: got %q, %v", tc.mode, tc.goos, got, err)
		}
		warned := strings.Contains(stderr.String(), "--sql-password-file "+p+" is readable by every user")
		if warned != tc.warn {
			t.Errorf("mode %04o on %s: warned=%v, want %v (stderr %q)", tc.mode, tc.goos, warned, tc.warn, stderr.String())
		}
	}
}

func TestMissingFile(t *testing.T) {
	_, err := New(Options{EnvName: "LYNCMIGRATE_SQL_PASSWORD", File: filepath.Join(t.TempDir(), "nope"),
		Label: "SQL password", LookupEnv: envMap(nil)})()
	if err == nil || !strings.Contains(err.Error(), "--sql-password-file") || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

func TestFileFlagFor(t *testing.T) {
	for env, want := range map[string]string{
		"LYNCMIGRATE_LDAP_PASSWORD": "--ldap-password-file",
		"LYNCMIGRATE_SQL_PASSWORD":  "--sql-password-file",
	} {
		if got := FileFlagFor(env); got != want {
			t.Errorf("FileFlagFor(%s) = %s, want %s", env, got, want)
		}
	}
}

func TestPasswordFuncUsesProcessEnvironment(t *testing.T) {
	t.Setenv("LYNCMIGRATE_TEST_SECRET_PASSWORD", "x1")
	got, err := PasswordFunc("LYNCMIGRATE_TEST_SECRET_PASSWORD", "", false, "test")()
	if err != nil || got != "x1" {
		t.Fatalf("got %q, %v", got, err)
	}
}
