package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ghost-osc/ghost/"

// imports maps each package directory under go/ (e.g. "migration", "cmd/ghost") to
// the internal packages its non-test files import.
func imports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel("..", filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		if out[dir] == nil {
			out[dir] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, module+"go/") {
				out[dir][strings.TrimPrefix(p, module+"go/")] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportRules(t *testing.T) {
	graph := imports(t)
	if len(graph) < 10 {
		t.Fatalf("found only %d packages; is the test run from go/archtest?", len(graph))
	}
	leaves := []string{"alter", "config", "status", "hooks", "control", "dbconn", "hint", "throttle", "metrics"}
	for _, leaf := range leaves {
		if _, ok := graph[leaf]; !ok {
			t.Errorf("leaf package %s not found", leaf)
		}
		for dep := range graph[leaf] {
			t.Errorf("%s must import nothing internal, imports %s", leaf, dep)
		}
	}
	for pkg, deps := range graph {
		for dep := range deps {
			if dep == "migration" && !strings.HasPrefix(pkg, "cmd/") {
				t.Errorf("only commands may import migration; %s does", pkg)
			}
			if dep == "config" && pkg != "cmd/ghost" && pkg != "migration" {
				t.Errorf("only cmd/ghost and migration may import config; %s does (take a small Config instead)", pkg)
			}
			if strings.HasPrefix(dep, "cmd/") {
				t.Errorf("%s imports command %s", pkg, dep)
			}
		}
	}
}
