package runlog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    Level
		wantErr bool
	}{
		{"error", LevelError, false},
		{"ERROR", LevelError, false},
		{"Info", LevelInfo, false},
		{"", LevelInfo, false},
		{"debug", LevelDebug, false},
		{" DeBuG ", LevelDebug, false},
		{"warn", 0, true},
		{"verbose", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLevelsFilter(t *testing.T) {
	tests := []struct {
		level Level
		want  string
	}{
		{LevelError, "[ERROR] e\r\n"},
		{LevelInfo, "[ERROR] e\r\n[WARN]  w\r\n[INFO]  i\r\n"},
		{LevelDebug, "[ERROR] e\r\n[WARN]  w\r\n[INFO]  i\r\n[DEBUG] d\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			for _, viaBlock := range []bool{false, true} {
				var buf bytes.Buffer
				l := New(&buf, Options{Level: tt.level, Now: newClock().Now})
				buf.Reset() // drop the banner
				if viaBlock {
					b := l.Block()
					b.Errorf("e")
					b.Warnf("w")
					b.Infof("i")
					b.Debugf("d")
					b.Commit()
				} else {
					l.Errorf("e")
					l.Warnf("w")
					l.Infof("i")
					l.Debugf("d")
				}
				if buf.String() != tt.want {
					t.Errorf("block=%v: got %q, want %q", viaBlock, buf.String(), tt.want)
				}
			}
		})
	}
}

// Each line reaches the file when it is written, not at Close: a crash
// loses nothing already logged.
func TestUnbufferedAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.txt")
	l, err := Create(Options{Path: path, Version: "v", Level: LevelInfo, Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	l.Infof("hello")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("[INFO]  hello\r\n")) {
		t.Errorf("line not on disk before Close: %q", b)
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Error("BOM written")
	}
	ostest.OwnerOnly(t, path)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
	l.Infof("after close")
	b, _ = os.ReadFile(path)
	if strings.Count(string(b), "<<-----") != 1 || strings.Contains(string(b), "after close") {
		t.Errorf("after Close: %q", b)
	}
}

// Create appends to an existing file rather than truncating it.
func TestCreateNeverTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.txt")
	if err := os.WriteFile(path, []byte("earlier\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Create(Options{Path: path, Version: "v", Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	b, _ := os.ReadFile(path)
	if !bytes.HasPrefix(b, []byte("earlier\r\n>>----- ")) {
		t.Errorf("got %q", b)
	}
}

func TestCreateError(t *testing.T) {
	if _, err := Create(Options{Path: filepath.Join(t.TempDir(), "no", "such", "log.txt")}); err == nil {
		t.Error("want an error for a missing folder")
	}
}

// The secret values never reach the file: not in the header, not in a
// message, not in a block, not in a multi-line message.
func TestSecretNeverWritten(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{Level: LevelDebug, Now: newClock().Now})
	l.WriteHeader(Header{Settings: []Setting{
		{Name: "sql-password", Value: "hunter22", Source: SourceEnvironment, Secret: true},
		{Name: "sql-user", Value: "rtcadmin", Source: SourceFlag},
	}})
	l.AddSecret("prompted-pw")
	l.AddSecret("")
	l.Debugf("connect user=rtcadmin;password=hunter22")
	l.Errorf("login failed for %s\nwith prompted-pw", "rtcadmin")
	b := l.Block()
	b.Debugf("retry with hunter22")
	b.Commit()
	_ = l.Close()
	out := buf.String()
	for _, s := range []string{"hunter22", "prompted-pw"} {
		if strings.Contains(out, s) {
			t.Errorf("secret %q in the log:\n%s", s, out)
		}
	}
	for _, want := range []string{
		"[INFO]  Setting sql-password = <redacted> (environment)\r\n",
		"[INFO]  Setting sql-user = rtcadmin (flag)\r\n",
		"[DEBUG] connect user=rtcadmin;password=<redacted>\r\n",
		"[ERROR] with <redacted>\r\n",
		"[DEBUG] retry with <redacted>\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// A setting value cannot start a line of its own (log forging).
func TestSettingValueStaysOnItsLine(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{Now: newClock().Now})
	l.WriteHeader(Header{Settings: []Setting{{Name: "ldap-base", Value: "DC=x\r\n[ERROR] forged", Source: SourceFlag}}})
	if !strings.Contains(buf.String(), "[INFO]  Setting ldap-base = DC=x\\r\\n[ERROR] forged (flag)\r\n") {
		t.Errorf("got %q", buf.String())
	}
}

// Every line ends in CRLF: no bare LF, no bare CR.
func assertCRLF(t *testing.T, b []byte) {
	t.Helper()
	if n, m := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != m || bytes.Count(b, []byte("\r")) != m {
		t.Errorf("line ends: %d LF, %d CRLF, %d CR", n, m, bytes.Count(b, []byte("\r")))
	}
}

// Concurrent blocks and lines never interleave: each block's lines stay
// together and in order.
func TestConcurrentBlocks(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{Level: LevelDebug, Now: newClock().Now})
	const workers, users, lines = 8, 50, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for u := range users {
				b := l.Block()
				for i := range lines {
					b.Debugf("w%d-u%d step %d", w, u, i)
				}
				b.Commit()
				l.Infof("single w%d-u%d", w, u)
			}
		})
	}
	wg.Wait()
	_ = l.Close()
	assertCRLF(t, buf.Bytes())
	all := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
	blocks := 0
	for i := 0; i < len(all); i++ {
		if !strings.HasPrefix(all[i], "[DEBUG] ") {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(all[i], "[DEBUG] "), " ")
		for j := range lines {
			if want := fmt.Sprintf("[DEBUG] %s step %d", id, j); i+j >= len(all) || all[i+j] != want {
				t.Fatalf("line %d: got %q, want %q", i+j, all[i+j], want)
			}
		}
		i += lines - 1
		blocks++
	}
	if blocks != workers*users {
		t.Errorf("%d blocks, want %d", blocks, workers*users)
	}
	if n := strings.Count(buf.String(), "[INFO]  single "); n != workers*users {
		t.Errorf("%d single lines, want %d", n, workers*users)
	}
}

func TestGoldensAreCRLF(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if len(files) < 3 {
		t.Fatalf("goldens missing: %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		assertCRLF(t, b)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteErrorReported(t *testing.T) {
	l := New(failWriter{}, Options{Now: newClock().Now})
	l.Infof("x")
	if err := l.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close() = %v, want the write error", err)
	}
}
