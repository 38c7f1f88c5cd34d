package lab

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

// Linux gives a child the peak RSS of the process it was forked from: Go starts children with
// vfork, so the child's mm before its exec is the parent's, and exec keeps that high-water mark
// in ru_maxrss. A child of the bench would report at least the bench's own peak. So a measured
// program is started through a launcher — this same executable, which has done nothing and is
// a few MiB — and the launcher reports its child's ru_maxrss on file descriptor 3.
const launchEnv = "LMLAB_LAUNCH"

// IsLauncher reports whether this process was started as a launcher; main calls Launch then.
func IsLauncher() bool { return os.Getenv(launchEnv) != "" }

// Launch runs os.Args[1:] with this process's standard files, forwards SIGINT and SIGTERM,
// writes "<maxrss KiB>" to file descriptor 3 and returns the child's exit code.
func Launch() int {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "launcher: no program")
		return 2
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, launchEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = launchAttr()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		return 127
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	report := os.NewFile(3, "report")
	fmt.Fprintln(report, maxRSSKB(cmd.ProcessState))
	report.Close()
	return cmd.ProcessState.ExitCode()
}

// viaLauncher rewrites cmd to run through the launcher; report is read after Wait.
func viaLauncher(cmd *exec.Cmd) (report *os.File, err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Args = append([]string{self}, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	cmd.Path = self
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, launchEnv+"=1")
	cmd.ExtraFiles = []*os.File{w}
	return r, nil
}

// readReport reads the launcher's "<maxrss KiB>" line.
func readReport(r *os.File) (int64, error) {
	defer r.Close()
	b := make([]byte, 64)
	n, _ := r.Read(b)
	v, err := strconv.ParseInt(strings.TrimSpace(string(b[:n])), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("launcher report %q: %w", b[:n], err)
	}
	return v, nil
}
