package e2e

import (
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"--a --b=1", []string{"--a", "--b=1"}},
		{"  --alter 'ADD COLUMN c INT'\n--x", []string{"--alter", "ADD COLUMN c INT", "--x"}},
		{`--q="say \"hi\" \\ \$x" 'it'\''s'`, []string{`--q=say "hi" \ $x`, "it's"}},
		{`a\ b c`, []string{"a b", "c"}},
		{`''`, []string{""}},
	} {
		got, err := SplitArgs(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'open`, `"open`} {
		if _, err := SplitArgs(bad); err == nil {
			t.Errorf("SplitArgs(%q) succeeded", bad)
		}
	}
}

func TestSplitColumns(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"id", []string{"id"}},
		{" id, a ,b\n", []string{"id", "a", "b"}},
		{"`my col`, `a,b`, `we``ird`", []string{"my col", "a,b", "we`ird"}},
	} {
		got, err := SplitColumns(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitColumns(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "a,,b", "`open", "`a` b"} {
		if _, err := SplitColumns(bad); err == nil {
			t.Errorf("SplitColumns(%q) succeeded", bad)
		}
	}
}

func writeCase(t *testing.T, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, content := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadCaseDefaults(t *testing.T) {
	c, err := LoadCase(writeCase(t, "plain", map[string]string{"create.sql": "CREATE TABLE t (id INT PRIMARY KEY);"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "plain" || c.Table != DefaultTable || c.Alter != DefaultAlter || c.WritesInterval != DefaultWritesInterval ||
		c.ExpectFailure != "" || c.HasSQLMode || c.OrigColumns != nil || c.CheckAutoIncrement || c.IgnoreVersions != nil {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestLoadCaseFiles(t *testing.T) {
	c, err := LoadCase(writeCase(t, "full_1-x", map[string]string{
		"create.sql":           "CREATE TABLE `o` (id INT PRIMARY KEY);",
		"table":                "o\n",
		"alter":                " ADD COLUMN c INT \n",
		"extra_args":           "--chunk-size=10 --approve-renamed-columns\n",
		"expect_failure":       "boom\n",
		"orig_columns":         "id, a\n",
		"sql_mode":             "\n",
		"order_by":             "id DESC\n",
		"ignore_versions":      `^5\.`,
		"check_auto_increment": "",
		"writes.sql":           "UPDATE {{t}} SET a = @r;",
		"writes_interval":      "10ms",
		"README.md":            "free text",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Table != "o" || c.Alter != "ADD COLUMN c INT" || c.ExpectFailure != "boom" || c.OrderBy != "id DESC" ||
		!slices.Equal(c.ExtraArgs, []string{"--chunk-size=10", "--approve-renamed-columns"}) ||
		!slices.Equal(c.OrigColumns, []string{"id", "a"}) || !slices.Equal(c.GhostColumns, c.OrigColumns) ||
		!c.HasSQLMode || c.SQLMode != "" || !c.CheckAutoIncrement || c.WritesInterval != 10*time.Millisecond ||
		!c.IgnoreVersions.MatchString("5.7.44") || c.IgnoreVersions.MatchString("10.11.6") {
		t.Errorf("unexpected case: %+v", c)
	}
}

func TestLoadCaseRejects(t *testing.T) {
	create := "CREATE TABLE t (id INT PRIMARY KEY);"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no-create", map[string]string{"alter": "FORCE"}, "create.sql"},
		{"typo", map[string]string{"create.sql": create, "expect_faillure": "x"}, "unknown file"},
		{"Upper", map[string]string{"create.sql": create}, "folder name"},
		{"no-placeholder", map[string]string{"create.sql": create, "writes.sql": "UPDATE t SET a = 1;"}, "{{t}}"},
		{"columns", map[string]string{"create.sql": create, "orig_columns": "a, b", "ghost_columns": "a"}, "orig_columns has 2"},
		{"regexp", map[string]string{"create.sql": create, "ignore_versions": "("}, "ignore_versions"},
		{"empty-failure", map[string]string{"create.sql": create, "expect_failure": "\n"}, "expect_failure is empty"},
	} {
		_, err := LoadCase(writeCase(t, tc.name, tc.files))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestCasesLoad keeps every folder of localtests/ readable.
func TestCasesLoad(t *testing.T) {
	root, err := topotest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadCases(filepath.Join(root, "localtests"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if _, err := os.Stat(filepath.Join(c.Dir, "README.md")); err != nil {
			t.Errorf("case %s has no README.md", c.Name)
		}
	}
}
