package disableaccount_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// End-to-end tests of the product binary, named as Cisco's tool so that it
// runs the command from its name (SPEC 3.1).

var binary struct {
	once sync.Once
	path string
	err  error
}

// TestMain removes the binary the end-to-end tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// disableExe builds ./cmd/lyncmigrate once as DisableAccount.exe.
func disableExe(t *testing.T) string {
	t.Helper()
	ostest.SkipOnWindows(t, "builds the binary with go build (make e2e-windows runs the Windows exe end to end)")
	binary.once.Do(func() {
		root, err := lyncmigrate.Root()
		if err != nil {
			binary.err = err
			return
		}
		dir, err := os.MkdirTemp("", "lyncmigrate-e2e-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "DisableAccount.exe")
		cmd := exec.Command("go", "build", "-o", binary.path, "./cmd/lyncmigrate")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = errors.New("go build ./cmd/lyncmigrate: " + err.Error() + "\n" + string(out))
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

type exeResult struct {
	code           int
	stdout, stderr string
	dir            string
}

// runExe runs the binary in dir with the product's environment variables
// replaced by env (stdin is not a terminal: nobody is prompted).
func runExe(t *testing.T, dir string, env map[string]string, args ...string) exeResult {
	t.Helper()
	cmd := exec.Command(disableExe(t), args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LYNCMIGRATE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return exeResult{code: code, stdout: stdout.String(), stderr: stderr.String(), dir: dir}
}

func readLog(t *testing.T, dir string) string {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(dir, "DisableAccountLog*.txt"))
	if len(logs) != 1 {
		t.Fatalf("%d logs in %s; want 1", len(logs), dir)
	}
	b, err := os.ReadFile(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Cisco's runbook line with a file that is not there: exit 2, the file
// named, the log written with its summary, nothing connected.
func TestE2ECiscoSyntaxMissingFile(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LYNCMIGRATE_LDAP_BIND_DN": "admin@example.com", "LYNCMIGRATE_LDAP_PASSWORD": "Pw-e2e-123!"}
	r := runExe(t, dir, env, "-s/ad.example.com", "-f/missing.txt", "-l/debug")
	if r.code != 2 {
		t.Fatalf("exit %d; want 2\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "missing.txt") {
		t.Errorf("stderr does not name missing.txt:\n%s", r.stderr)
	}
	// The CLI may stop before the job starts a log; if one was written, it
	// carries the summary and never the password.
	if logs, _ := filepath.Glob(filepath.Join(dir, "DisableAccountLog*.txt")); len(logs) > 0 {
		log := readLog(t, dir)
		if !strings.Contains(log, "[INFO]  Summary:\r\n") || strings.Contains(log, "Pw-e2e-123!") {
			t.Errorf("log:\n%s", log)
		}
	}
	if strings.Contains(r.stderr+r.stdout, "Pw-e2e-123!") {
		t.Error("the password leaked")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "DisableAccountBackup*")); len(left) > 0 {
		t.Errorf("backup file left: %v", left)
	}

	// Without connection settings in the environment (the runbook line as
	// Cisco's admins typed it) it is still exit 2, naming the file.
	r = runExe(t, t.TempDir(), nil, "-s/ad.example.com", "-f/missing.txt", "-l/debug")
	if r.code != 2 || !strings.Contains(r.stderr, "missing.txt") {
		t.Errorf("without bind settings: exit %d; want 2 naming missing.txt\n%s", r.code, r.stderr)
	}
}

// The binary against the Samba DC: Cisco's flags plus the TLS settings, the
// password from the environment, then --undo.
func TestE2EDisableAndUndo(t *testing.T) {
	e := testenv.AD(t)
	// Named for this process: other runs of this package may share the DC.
	tag := strconv.Itoa(os.Getpid())
	ou := testenv.SeedOU(t, "disable-e2e-"+tag)
	testenv.AddUsers(t, ou, []testenv.SeedUser{
		{CN: "e1", SAM: "e2e" + tag + "-e1", SIP: "sip:e1@e2e-" + tag + ".example.com", Enabled: new(true), HomeServer: true},
		{CN: "e2", SAM: "e2e" + tag + "-e2", SIP: "sip:e2@e2e-" + tag + ".example.com", Enabled: new(true), HomeServer: true},
	})
	before := testenv.DumpLDIF(t, ou)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.txt"), []byte("sip:e1@e2e-"+tag+".example.com\r\nsip:E2@e2e-"+tag+".example.com\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LYNCMIGRATE_LDAP_BIND_DN": e.BindDN, "LYNCMIGRATE_LDAP_PASSWORD": e.Password}
	host := strings.TrimPrefix(e.URL, "ldaps://")
	r := runExe(t, dir, env, "-s/", host, "-f/", "users.txt", "-l/debug", "--ldap-ca-file", e.CAFile, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	if strings.Count(r.stdout, `"outcome":"processed"`) != 2 || !strings.Contains(r.stdout, `"summary"`) {
		t.Errorf("JSON:\n%s", r.stdout)
	}
	after := testenv.DumpLDIF(t, ou)
	if after == before || strings.Contains(after, "msRTCSIP-PrimaryHomeServer") || !strings.Contains(after, "msRTCSIP-UserEnabled: FALSE") {
		t.Errorf("not disabled:\n%s", after)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "DisableAccountBackup*.ldif"))
	if len(backups) != 1 {
		t.Fatalf("backups %v", backups)
	}
	bak, _ := os.ReadFile(backups[0])
	if strings.Contains(readLog(t, dir)+r.stderr+r.stdout+string(bak), e.Password) {
		t.Error("the password leaked at -l debug")
	}

	undoDir := t.TempDir()
	r = runExe(t, undoDir, env, "--ldap-server", host, "--ldap-ca-file", e.CAFile, "--undo", backups[0])
	if r.code != 0 {
		t.Fatalf("--undo: exit %d\n%s", r.code, r.stderr)
	}
	if got := testenv.DumpLDIF(t, ou); got != before {
		t.Errorf("--undo did not restore the directory:\n got %s\nwant %s", got, before)
	}
}
