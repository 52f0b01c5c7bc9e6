package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

// DefaultTable is the table a case migrates unless its `table` file names another.
const DefaultTable = "t"

// DefaultAlter is the ALTER a case runs unless its `alter` file gives one: a plain rebuild.
const DefaultAlter = "ENGINE=InnoDB"

// DefaultWritesInterval is the pause between two write transactions of a case.
const DefaultWritesInterval = 50 * time.Millisecond

// TablePlaceholder is replaced in writes.sql by the quoted name of the table, then of its twin.
const TablePlaceholder = loadgen.TablePlaceholder

// Case is one folder of localtests/. See docs/localtests.md for the meaning of every file.
type Case struct {
	Name string // folder name; also the subtest name, usable in -run patterns
	Dir  string

	Table  string // table to migrate (file `table`, default DefaultTable)
	Create string // create.sql: run on the primary in the case's database
	Before string // before.sql: run after create.sql, before the twin is made
	After  string // after.sql: run after ghost and the writes have stopped, before the checks
	Writes string // writes.sql: DML with {{t}}, run against the table and its twin in one transaction
	// WritesInterval is the pause between write transactions (file `writes_interval`, a Go duration).
	WritesInterval time.Duration

	Alter     string   // the ALTER clause (file `alter`, default DefaultAlter)
	ExtraArgs []string // extra ghost flags (file `extra_args`, split like a shell would)

	// ExpectFailure, when not empty, is text ghost's stderr must contain; ghost must then fail.
	ExpectFailure string

	// OrigColumns and GhostColumns, when given, are compared instead of all columns: the
	// original rows (the twin before the ALTER) against the migrated table.
	OrigColumns  []string
	GhostColumns []string
	// OrderBy, when given, orders both sides of the row comparison (an ORDER BY list);
	// otherwise rows are compared as sorted sets.
	OrderBy string
	// SQLMode, when HasSQLMode, is the sql_mode of create.sql, the writes and the twin's ALTER.
	SQLMode    string
	HasSQLMode bool
	// IgnoreVersions skips the case when it matches the server's version string.
	IgnoreVersions *regexp.Regexp
	// CheckAutoIncrement keeps AUTO_INCREMENT=N in the compared SHOW CREATE TABLE
	// (file `check_auto_increment`).
	CheckAutoIncrement bool
}

// caseName is what a case folder may be called: usable as a -run pattern as it is.
var caseName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// knownFiles are the files a case folder may hold; anything else is a mistake (a typo
// would otherwise silently change what the case tests). *.md files are free text.
var knownFiles = map[string]bool{
	"create.sql": true, "before.sql": true, "after.sql": true, "writes.sql": true, "writes_interval": true,
	"table": true, "alter": true, "extra_args": true, "expect_failure": true,
	"orig_columns": true, "ghost_columns": true, "order_by": true, "sql_mode": true,
	"ignore_versions": true, "check_auto_increment": true,
}

// LoadCases reads every case folder under dir, sorted by name.
func LoadCases(dir string) ([]*Case, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	var cases []*Case
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := LoadCase(filepath.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, errors.Join(errs...)
}

// LoadCase reads one case folder.
func LoadCase(dir string) (*Case, error) {
	c := &Case{Name: filepath.Base(dir), Dir: dir, Table: DefaultTable, Alter: DefaultAlter, WritesInterval: DefaultWritesInterval}
	fail := func(format string, args ...any) (*Case, error) {
		return nil, fmt.Errorf("case %s: %s", c.Name, fmt.Sprintf(format, args...))
	}
	if !caseName.MatchString(c.Name) {
		return fail("folder name must match %s (it is used as a -run pattern)", caseName)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fail("%v", err)
	}
	files := map[string]string{}
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".md") {
			continue
		}
		if e.IsDir() || !knownFiles[n] {
			return fail("unknown file %q (see docs/localtests.md)", n)
		}
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return fail("%v", err)
		}
		files[n] = string(b)
	}
	one := func(name string) (string, bool) {
		v, ok := files[name]
		return strings.TrimSpace(v), ok
	}
	var ok bool
	if c.Create, ok = files["create.sql"]; !ok || strings.TrimSpace(c.Create) == "" {
		return fail("create.sql is missing or empty")
	}
	c.Before, c.After, c.Writes = files["before.sql"], files["after.sql"], files["writes.sql"]
	if c.Writes != "" && !strings.Contains(c.Writes, TablePlaceholder) {
		return fail("writes.sql does not use %s", TablePlaceholder)
	}
	if v, ok := one("writes_interval"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fail("writes_interval: want a Go duration such as 50ms, got %q", v)
		}
		c.WritesInterval = d
	}
	if v, ok := one("table"); ok {
		if v == "" {
			return fail("table is empty")
		}
		c.Table = v
	}
	if v, ok := one("alter"); ok {
		if v == "" {
			return fail("alter is empty")
		}
		c.Alter = v
	}
	if v, ok := one("extra_args"); ok {
		if c.ExtraArgs, err = SplitArgs(v); err != nil {
			return fail("extra_args: %v", err)
		}
	}
	if v, ok := one("expect_failure"); ok {
		if v == "" {
			return fail("expect_failure is empty: give text the error must contain")
		}
		c.ExpectFailure = v
	}
	if v, ok := one("orig_columns"); ok {
		if c.OrigColumns, err = SplitColumns(v); err != nil {
			return fail("orig_columns: %v", err)
		}
	}
	if v, ok := one("ghost_columns"); ok {
		if c.GhostColumns, err = SplitColumns(v); err != nil {
			return fail("ghost_columns: %v", err)
		}
	}
	switch {
	case c.GhostColumns == nil && c.OrigColumns != nil:
		c.GhostColumns = c.OrigColumns
	case c.OrigColumns == nil && c.GhostColumns != nil:
		c.OrigColumns = c.GhostColumns
	}
	if len(c.OrigColumns) != len(c.GhostColumns) {
		return fail("orig_columns has %d columns, ghost_columns %d", len(c.OrigColumns), len(c.GhostColumns))
	}
	c.OrderBy, _ = one("order_by")
	c.SQLMode, c.HasSQLMode = one("sql_mode")
	if v, ok := one("ignore_versions"); ok {
		if c.IgnoreVersions, err = regexp.Compile(v); err != nil {
			return fail("ignore_versions: %v", err)
		}
	}
	_, c.CheckAutoIncrement = files["check_auto_increment"]
	return c, nil
}

// SplitArgs splits s into words as a POSIX shell would for plain words, 'single' and
// "double" quotes and backslash escapes outside single quotes. It expands nothing.
func SplitArgs(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case ch == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated double quote")
			}
			inWord = true
		case ch == '\\':
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
			inWord = true
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// SplitColumns splits a comma-separated list of column names; names may be
// backquoted (a doubled backquote is a backquote) to hold commas or spaces.
func SplitColumns(s string) ([]string, error) {
	var cols []string
	i := 0
	for {
		for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
			i++
		}
		var name strings.Builder
		if i < len(s) && s[i] == '`' {
			i++
			for {
				if i >= len(s) {
					return nil, errors.New("unterminated backquote")
				}
				if s[i] == '`' {
					if i+1 < len(s) && s[i+1] == '`' {
						name.WriteByte('`')
						i += 2
						continue
					}
					i++
					break
				}
				name.WriteByte(s[i])
				i++
			}
			for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
				i++
			}
		} else {
			j := strings.IndexByte(s[i:], ',')
			if j < 0 {
				j = len(s) - i
			}
			name.WriteString(strings.TrimSpace(s[i : i+j]))
			i += j
		}
		if name.Len() == 0 {
			return nil, errors.New("empty column name")
		}
		cols = append(cols, name.String())
		if i >= len(s) {
			return cols, nil
		}
		if s[i] != ',' {
			return nil, fmt.Errorf("expected a comma after %q", name.String())
		}
		i++
	}
}
