package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Build compiles a main package of the module (e.g. ./cmd/lyncmigrate) to dir/name, so that
// the measured child is the program itself and not `go run`.
func Build(root, pkg, dir, name string) (string, error) {
	return build(root, pkg, dir, name)
}

// BuildWindows compiles a main package for windows/amd64, static as `make windows` builds it,
// to dir/name (e.g. lyncmigrate.exe, run under Wine by RunWine).
func BuildWindows(root, pkg, dir, name string) (string, error) {
	return build(root, pkg, dir, name, "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
}

func build(root, pkg, dir, name string, env ...string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return out, nil
}
