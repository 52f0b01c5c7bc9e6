package alter

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
)

func TestColumnMapping(t *testing.T) {
	tests := []struct {
		name     string
		alter    string
		old, new []string
		skip     bool
		want     map[string]string
		err      string // substring of the expected error; "" for success
	}{
		{name: "add column", alter: "ADD COLUMN c INT",
			old: []string{"id", "a"}, new: []string{"id", "a", "c"},
			want: map[string]string{"id": "id", "a": "a"}},
		{name: "case-insensitive, new spelling", alter: "CHANGE a A INT",
			old: []string{"id", "a"}, new: []string{"id", "A"},
			want: map[string]string{"id": "id", "a": "A"}},
		{name: "rename", alter: "CHANGE COLUMN a b INT",
			old: []string{"id", "a"}, new: []string{"id", "b"},
			want: map[string]string{"id": "id", "a": "b"}},
		{name: "rename column then add the old name", alter: "RENAME COLUMN a TO b, ADD COLUMN a INT",
			old: []string{"id", "a"}, new: []string{"id", "b", "a"},
			want: map[string]string{"id": "id", "a": "b"}},
		{name: "swap", alter: "CHANGE a b INT, CHANGE b a INT",
			old: []string{"id", "a", "b"}, new: []string{"id", "b", "a"},
			want: map[string]string{"id": "id", "a": "b", "b": "a"}},
		{name: "rename skipped", alter: "CHANGE COLUMN a b INT", skip: true,
			old: []string{"id", "a"}, new: []string{"id", "b"},
			want: map[string]string{"id": "id"}},
		{name: "drop", alter: "DROP COLUMN a",
			old: []string{"id", "a", "z"}, new: []string{"id", "z"},
			want: map[string]string{"id": "id", "z": "z"}},
		{name: "drop and re-add is not copied", alter: "DROP COLUMN a, ADD COLUMN a BIGINT",
			old: []string{"id", "a"}, new: []string{"id", "a"},
			want: map[string]string{"id": "id"}},
		{name: "drop and rename into its name", alter: "DROP COLUMN b, CHANGE a b INT",
			old: []string{"id", "a", "b"}, new: []string{"id", "b"},
			want: map[string]string{"id": "id", "a": "b"}},
		{name: "rename target missing", alter: "CHANGE a b INT",
			old: []string{"id", "a"}, new: []string{"id", "a"}, err: "has no column b"},
		{name: "MariaDB syntax, columns kept", alter: "ADD COLUMN u UUID, MODIFY c INT INVISIBLE",
			old: []string{"id", "c"}, new: []string{"id", "c", "u"},
			want: map[string]string{"id": "id", "c": "c"}},
		{name: "MariaDB syntax, drop", alter: "ADD COLUMN u UUID, DROP COLUMN c",
			old: []string{"id", "c"}, new: []string{"id", "u"},
			want: map[string]string{"id": "id"}},
		{name: "MariaDB syntax, rename found by scan", alter: "CHANGE COLUMN s u UUID",
			old: []string{"id", "s"}, new: []string{"id", "u"},
			want: map[string]string{"id": "id", "s": "u"}},
		{name: "fallback refusal", alter: "ADD COLUMN u UUID",
			old: []string{"id", "s"}, new: []string{"id", "u", "t"},
			err: "parser could not read the ALTER and column(s) s vanished and t appeared"},
		{name: "fallback with skip", alter: "ADD COLUMN u UUID", skip: true,
			old: []string{"id", "s"}, new: []string{"id", "u", "t"},
			want: map[string]string{"id": "id"}},
		{name: "parsed but unexplained", alter: "ADD COLUMN c INT",
			old: []string{"id", "s"}, new: []string{"id", "c", "t"},
			err: "s vanished and t appeared in the ghost table, which the ALTER does not explain"},
		{name: "nil analysis, same columns", alter: "",
			old: []string{"id", "a"}, new: []string{"id", "a", "b"},
			want: map[string]string{"id": "id", "a": "a"}},
		{name: "nil analysis, vanished and appeared", alter: "",
			old: []string{"id", "a"}, new: []string{"id", "b"}, err: "cannot be told apart"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a *Analysis
			if tc.alter != "" {
				var err error
				if a, err = Parse(tc.alter); err != nil {
					t.Fatal(err)
				}
			}
			got, err := MapColumns(tc.old, tc.new, a, MappingOptions{SkipRenamed: tc.skip})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrColumnMapping) {
					t.Fatalf("MapColumns = %v, %v; want error containing %q", got, err, tc.err)
				}
				var ue *UserError
				if !errors.As(err, &ue) || ue.Hint == "" {
					t.Errorf("error %v is not a *UserError with a hint", err)
				}
				checkOneLine(t, err.Error())
				return
			}
			if err != nil {
				t.Fatalf("MapColumns: %v", err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("MapColumns = %v, want %v", got, tc.want)
			}
			if !tc.skip {
				viaDefault, err := ColumnMapping(tc.old, tc.new, a)
				if err != nil || !maps.Equal(viaDefault, got) {
					t.Errorf("ColumnMapping = %v, %v; want %v", viaDefault, err, got)
				}
			}
		})
	}
}

func TestColumnMappingHint(t *testing.T) {
	a, err := Parse("ADD COLUMN u UUID")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ColumnMapping([]string{"id", "s"}, []string{"id", "t"}, a)
	for _, want := range []string{"CHANGE COLUMN old new", "--skip-renamed-columns", "values of s are lost"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ColumnMapping error %v does not mention %q", err, want)
		}
	}
}

// TestInverseMapping: a revert maps the new table's columns back through the inverse of the
// ALTER: renames reversed, added columns dropped, dropped columns left to their old values.
func TestInverseMapping(t *testing.T) {
	a, err := Parse("ADD COLUMN w INT, DROP COLUMN d, CHANGE COLUMN a b INT, MODIFY v BIGINT")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ColumnMapping([]string{"id", "b", "v", "w"}, []string{"id", "a", "v", "d"}, a.Inverse())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"id": "id", "b": "a", "v": "v"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("inverse mapping %v, want %v", got, want)
	}
}

func TestClauses(t *testing.T) {
	a, err := Parse("ADD COLUMN w INT DEFAULT 7, MODIFY s ENUM('a','b,c') NOT NULL, ADD INDEX i (a, b)")
	if err != nil {
		t.Fatal(err)
	}
	got := a.Clauses()
	want := []string{"ADD COLUMN w INT DEFAULT 7", "MODIFY s ENUM('a','b,c') NOT NULL", "ADD INDEX i (a, b)"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("clauses %q, want %q", got, want)
	}
}
