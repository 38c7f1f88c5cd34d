//go:build linux

package lab

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// The test binary is also the launcher and the measured program (LMLAB_TEST_ALLOC=MiB).
func TestMain(m *testing.M) {
	if IsLauncher() {
		os.Exit(Launch())
	}
	if n, err := strconv.Atoi(os.Getenv("LMLAB_TEST_ALLOC")); err == nil {
		touch(n)
		os.Exit(7)
	}
	os.Exit(m.Run())
}

var held []byte

func touch(mib int) {
	held = make([]byte, mib<<20)
	for i := range held {
		held[i] = 1
	}
}

// A child started directly reports at least its parent's peak RSS (Linux keeps the vfork'd
// parent's high-water mark across exec); through the launcher it reports its own.
func TestPeakRSSIsTheProgramsOwn(t *testing.T) {
	touch(160) // the parent: 160 MiB
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(o Options) Run {
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), "LMLAB_TEST_ALLOC=40")
		r, err := Measure(cmd, o)
		if err != nil {
			t.Fatal(err)
		}
		if r.Exit != 7 {
			t.Fatalf("exit %d, want the program's 7 (stderr %s)", r.Exit, r.Stderr)
		}
		return r
	}
	direct := run(Options{})
	launched := run(Options{PeakRSS: true})
	t.Logf("40 MiB program under a 160 MiB parent: direct %d KiB, launched %d KiB", direct.MaxRSSKB, launched.MaxRSSKB)
	if launched.MaxRSSKB < 40<<10 || launched.MaxRSSKB > 100<<10 {
		t.Errorf("launched: peak RSS %d KiB, want the program's 40 MiB and some", launched.MaxRSSKB)
	}
	if direct.MaxRSSKB < 160<<10 {
		t.Logf("direct: %d KiB: this kernel does not pass the parent's peak on (the launcher is then only a precaution)", direct.MaxRSSKB)
	}
}
