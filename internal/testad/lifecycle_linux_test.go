package testad

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
)

// A DC started by test processes stops once the last of them has ended, however it ended.
// In a network namespace of its own (so that its ports are free) two test processes use the
// shared DC: the first starts it and is then killed with SIGKILL (a test binary killed on
// timeout runs no cleanup either); the second finds it running, uses it and ends. After the
// linger (1 s here) the reaper stops the DC: its process is gone.
func TestSharedDCStopsAfterItsLastUser(t *testing.T) {
	need := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this fails)", why)
		}
		t.Skip(why)
	}
	if os.Geteuid() != 0 {
		need("needs root: a network namespace and a Samba DC")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		need("needs unshare (util-linux)")
	}
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "user.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "./internal/testad/testdata/user")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, out)
	}
	dir := filepath.Join(work, "dc")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LMTEST_") {
			env = append(env, kv)
		}
	}
	env = append(env, "LMTEST_AD_SHARED_DIR="+dir, "LMTEST_AD_LINGER=1")

	// One namespace, both users: the first starts the DC and holds it, the second joins.
	script := `set -e
ip link set lo up
LMTEST_USER_HOLD=10m "$1" -test.run=TestUse -test.v >"$2/first.log" 2>&1 &
first=$!
for i in $(seq 600); do grep -q "used the DC" "$2/first.log" && break; kill -0 $first; sleep 0.5; done
"$1" -test.run=TestUse -test.v >"$2/second.log" 2>&1
kill -KILL $first
wait $first || true`
	cmd := exec.Command("unshare", "--net", "bash", "-c", script, "bash", bin, work)
	cmd.Dir = filepath.Join(root, "internal", "testad", "testdata", "user")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	first, _ := os.ReadFile(filepath.Join(work, "first.log"))
	second, _ := os.ReadFile(filepath.Join(work, "second.log"))
	if err != nil {
		t.Fatalf("%v\n%s\nfirst:\n%s\nsecond:\n%s", err, out, first, second)
	}
	if !strings.Contains(string(first), "samba-ad: install") || !strings.Contains(string(second), "--- PASS: TestUse") ||
		!strings.Contains(string(second), "(running)") {
		t.Fatalf("the first user should start the DC and the second find it running:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	pidText, err := os.ReadFile(filepath.Join(dir, "samba.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidText)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			reap, _ := os.ReadFile(filepath.Join(dir, "log", "reap.log"))
			t.Fatalf("the DC (pid %d) still runs 2 minutes after its last user ended; reap.log:\n%s", pid, reap)
		}
		time.Sleep(200 * time.Millisecond)
	}
	reap, _ := os.ReadFile(filepath.Join(dir, "log", "reap.log"))
	if !strings.Contains(string(reap), "stopping pid "+strconv.Itoa(pid)) {
		t.Errorf("reap.log:\n%s", reap)
	}
	t.Logf("first user:\n%s\nsecond user:\n%s\nreap.log:\n%s", first, second, reap)
}
