package main

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// The product never links the test servers (DESIGN.md).
func TestProductDoesNotLinkTestServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	ostest.SkipOnWindows(t, "runs go list (the Linux build checks both GOOS)")
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command("go", "list", "-deps", ".")
		cmd.Env = append(cmd.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (%s): %v", goos, err)
		}
		for _, pkg := range strings.Fields(string(out)) {
			if pkg == "github.com/lyncmigrate/lyncmigrate" || strings.Contains(pkg, "internal/rtcsim") || strings.Contains(pkg, "internal/testenv") || strings.Contains(pkg, "internal/testad") ||
				strings.Contains(pkg, "internal/exportgen") || strings.Contains(pkg, "internal/ostest") || strings.HasPrefix(pkg, "modernc.org/") {
				t.Errorf("%s build links %s", goos, pkg)
			}
		}
	}
}

// urfave's Required check bypasses OnUsageError and prints help on stdout:
// required settings are checked in validate.go instead.
func TestNoUrfaveRequiredFlags(t *testing.T) {
	for _, c := range allCommands() {
		for _, f := range c.Flags {
			if rf, ok := f.(cli.RequiredFlag); ok && rf.IsRequired() {
				t.Errorf("%s --%s is Required in urfave", c.Name, f.Names()[0])
			}
		}
	}
}

// The package rules of DESIGN.md: a job (a top-level package beside cmd/ and
// internal/) never imports another job; internal/ never imports a job or
// cmd/, tests included.
func TestPackageRules(t *testing.T) {
	ostest.SkipOnWindows(t, "runs go list (the Linux run reads the same source)")
	const module = "github.com/lyncmigrate/lyncmigrate"
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[f[0]] = f[1:]
	}
	isJob := func(pkg string) bool {
		rel, ok := strings.CutPrefix(pkg, module+"/")
		if !ok || strings.Contains(rel, "/") {
			return false
		}
		switch rel {
		case "cmd", "internal", "tools", "scripts":
			return false
		}
		return true
	}
	jobs := 0
	for pkg, deps := range imports {
		rel := strings.TrimPrefix(pkg, module+"/")
		if isJob(pkg) {
			jobs++
		}
		for _, d := range deps {
			switch {
			case isJob(pkg) && isJob(d) && d != pkg:
				t.Errorf("job %s imports job %s", rel, d)
			case strings.HasPrefix(rel, "internal/") && (isJob(d) || strings.HasPrefix(d, module+"/cmd/")):
				t.Errorf("%s imports %s", rel, d)
			}
		}
	}
	if jobs < 3 {
		t.Errorf("%d job packages found; want exportcontacts, disableaccount, deleteaccount at least", jobs)
	}
}

// No product code declares a name that shadows a builtin function (a local
// max hid the builtin in deleteaccount once).
func TestNoBuiltinShadowed(t *testing.T) {
	ostest.SkipOnWindows(t, "runs go list (the Linux run reads the same source)")
	out, err := exec.Command("go", "list", "-deps", "-f", `{{if not .Standard}}{{if eq .Module.Path "github.com/lyncmigrate/lyncmigrate"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{end}}{{end}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	builtins := map[string]bool{}
	for _, b := range []string{"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
		"max", "min", "new", "panic", "print", "println", "real", "recover"} {
		builtins[b] = true
	}
	fset := gotoken.NewFileSet()
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, name := range f[min(1, len(f)):] {
			file, err := parser.ParseFile(fset, filepath.Join(f[0], name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files++
			ast.Inspect(file, func(n ast.Node) bool {
				var ids []*ast.Ident
				switch n := n.(type) {
				case *ast.AssignStmt:
					if n.Tok == gotoken.DEFINE {
						for _, l := range n.Lhs {
							if id, ok := l.(*ast.Ident); ok {
								ids = append(ids, id)
							}
						}
					}
				case *ast.ValueSpec:
					ids = n.Names
				case *ast.FuncDecl:
					if n.Recv == nil {
						ids = append(ids, n.Name)
					}
				case *ast.FuncType: // parameters and results; struct fields are not in scope
					for _, fl := range []*ast.FieldList{n.Params, n.Results} {
						if fl != nil {
							for _, f := range fl.List {
								ids = append(ids, f.Names...)
							}
						}
					}
				case *ast.RangeStmt:
					for _, e := range []ast.Expr{n.Key, n.Value} {
						if id, ok := e.(*ast.Ident); ok && n.Tok == gotoken.DEFINE {
							ids = append(ids, id)
						}
					}
				}
				for _, id := range ids {
					if builtins[id.Name] {
						t.Errorf("%s: %s shadows the builtin", fset.Position(id.Pos()), id.Name)
					}
				}
				return true
			})
		}
	}
	if files < 50 {
		t.Errorf("only %d files read", files)
	}
}

// A job exports its Config (with Validate), Run, constants and the lists of
// values a setting takes (cmd/lyncmigrate normalises against them); the
// rest is the job's own.
func TestJobAPI(t *testing.T) {
	ostest.SkipOnWindows(t, "runs go list (the Linux run reads the same source)")
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{.Dir}}{{range .GoFiles}} {{.}}{{end}}`, "github.com/lyncmigrate/lyncmigrate/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	jobs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		rel := strings.TrimPrefix(f[0], "github.com/lyncmigrate/lyncmigrate/")
		if rel == f[0] || strings.Contains(rel, "/") || rel == "cmd" || rel == "internal" || len(f) < 3 {
			continue
		}
		jobs++
		fset := gotoken.NewFileSet()
		for _, name := range f[2:] {
			file, err := parser.ParseFile(fset, filepath.Join(f[1], name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range file.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Name.IsExported() && d.Recv == nil && d.Name.Name != "Run" {
						t.Errorf("%s exports func %s", rel, d.Name.Name)
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if s.Name.IsExported() && s.Name.Name != "Config" {
								t.Errorf("%s exports type %s", rel, s.Name.Name)
							}
						case *ast.ValueSpec:
							if d.Tok != gotoken.VAR {
								continue
							}
							for i, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								lit, ok := s.Values[i].(*ast.CompositeLit)
								if at, isArray := lit.Type.(*ast.ArrayType); !ok || !isArray || at.Len != nil || !isIdent(at.Elt, "string") {
									t.Errorf("%s exports var %s (not a list of a setting's values)", rel, n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	if jobs < 3 {
		t.Errorf("%d job packages read", jobs)
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
