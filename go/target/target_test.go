package target_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/target"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

const base = "CREATE TABLE t (\n" +
	"  id INT NOT NULL AUTO_INCREMENT,\n" +
	"  name VARCHAR(64) NOT NULL,\n" +
	"  v INT NULL DEFAULT 3,\n" +
	"  note TEXT,\n" +
	"  created DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n" +
	"  PRIMARY KEY (id),\n" +
	"  KEY k_name (name),\n" +
	"  UNIQUE KEY u_v (v)\n" +
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"

// replace returns base with one part replaced.
func replace(old, new string) string {
	if !strings.Contains(base, old) {
		panic(old)
	}
	return strings.Replace(base, old, new, 1)
}

// TestTargetSchema: for every declared table, the computed ALTER applied to the table gives
// exactly the declared definition (Diff checks that on an empty copy; the test applies it to
// the real table too and compares).
func TestTargetSchema(t *testing.T) {
	cases := []struct{ name, target string }{
		{"add column", replace("  PRIMARY KEY", "  w INT NOT NULL DEFAULT 7,\n  PRIMARY KEY")},
		{"add column first", replace("  id INT", "  w INT NULL,\n  id INT")},
		{"add column in the middle", replace("  v INT", "  w BIGINT UNSIGNED NULL,\n  v INT")},
		{"drop column", replace("  note TEXT,\n", "")},
		{"widen a type", replace("v INT NULL DEFAULT 3", "v BIGINT NULL DEFAULT 3")},
		{"not null", replace("v INT NULL DEFAULT 3", "v INT NOT NULL DEFAULT 3")},
		{"change a default", replace("DEFAULT 3", "DEFAULT 5")},
		{"drop a default", replace(" DEFAULT 3", "")},
		{"longer varchar", replace("VARCHAR(64)", "VARCHAR(255)")},
		{"column charset", replace("name VARCHAR(64) NOT NULL", "name VARCHAR(64) CHARACTER SET latin1 NOT NULL")},
		{"column comment", replace("note TEXT", "note TEXT COMMENT 'free text'")},
		{"reorder columns", replace("  name VARCHAR(64) NOT NULL,\n  v INT NULL DEFAULT 3,\n", "  v INT NULL DEFAULT 3,\n  name VARCHAR(64) NOT NULL,\n")},
		{"add index", replace("  UNIQUE KEY", "  KEY k_created (created),\n  UNIQUE KEY")},
		{"drop index", replace("  KEY k_name (name),\n", "")},
		{"change index columns", replace("KEY k_name (name)", "KEY k_name (name, v)")},
		{"unique to plain", replace("UNIQUE KEY u_v (v)", "KEY u_v (v)")},
		{"add fulltext", replace("  UNIQUE KEY", "  FULLTEXT KEY ft_note (note),\n  UNIQUE KEY")},
		{"table comment", base + " COMMENT='people'"},
		{"row format", base + " ROW_FORMAT=DYNAMIC"},
		{"partitioning", strings.Replace(replace("  UNIQUE KEY u_v (v)\n", ""), "  KEY k_name (name),\n", "  KEY k_name (name)\n", 1) + " PARTITION BY HASH (id) PARTITIONS 4"},
		{"MariaDB INET6 column", replace("  PRIMARY KEY", "  addr INET6 NULL,\n  PRIMARY KEY")},
		{"MariaDB UUID column", replace("  PRIMARY KEY", "  ext UUID NULL,\n  PRIMARY KEY")},
		{"check constraint", replace("  UNIQUE KEY u_v (v)\n", "  UNIQUE KEY u_v (v),\n  CONSTRAINT v_pos CHECK (v > 0)\n")},
		{"several at once", replace("  KEY k_name (name),\n", "  w INT NOT NULL DEFAULT 1,\n") + " COMMENT='x'"},
		{"drop two columns", replace("  note TEXT,\n  created DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n", "")},
	}
	if len(cases) < 20 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, name := topotest.NewDatabase(t, topo)
			if _, err := db.Exec(base); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("INSERT INTO t (name, v, note) VALUES ('a', 1, 'x'), ('b', 2, 'y')"); err != nil {
				t.Fatal(err)
			}
			orig := sqlgen.Table{Schema: name, Name: "t"}
			clause, err := target.Diff(context.Background(), db, orig, c.target, "_t", false)
			if err != nil {
				t.Fatalf("diff: %v", err)
			}
			// Applied to the real table (with rows) it gives the declared definition too.
			if _, err := db.Exec("ALTER TABLE t " + clause); err != nil {
				t.Fatalf("ALTER TABLE t %s: %v", clause, err)
			}
			if _, err := db.Exec(strings.Replace(c.target, "CREATE TABLE t ", "CREATE TABLE want ", 1)); err != nil {
				t.Fatal(err)
			}
			var n, got, want string
			db.QueryRow("SHOW CREATE TABLE t").Scan(&n, &got)
			db.QueryRow("SHOW CREATE TABLE want").Scan(&n, &want)
			if target.Normalise(got) != target.Normalise(want) {
				t.Errorf("ALTER %s gives\n%s\nwant\n%s", clause, got, want)
			}
			t.Logf("%s", clause)
		})
	}
}

// TestTargetSchemaRefusals: the same table is not an ALTER; a rename is refused; a file that
// is not a CREATE TABLE, or one the server refuses, is refused with its line.
func TestTargetSchemaRefusals(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	if _, err := db.Exec(base); err != nil {
		t.Fatal(err)
	}
	orig := sqlgen.Table{Schema: name, Name: "t"}
	if _, err := target.Diff(context.Background(), db, orig, base, "_t", false); !errors.Is(err, target.ErrSame) {
		t.Errorf("the same definition: %v", err)
	}
	for _, c := range []struct{ target, want string }{
		{replace("  note TEXT,", "  remark TEXT,"), "column(s) note disappear and remark appear: a rename cannot be told from a drop and an add"},
		{"ALTER TABLE t ADD COLUMN x INT", "the file does not hold a CREATE TABLE statement"},
		{replace("INT NULL DEFAULT 3", "NOSUCHTYPE"), "the server refuses the declared table"},
		{strings.Replace(base, "COLLATE=utf8mb4_general_ci", "COLLATE=utf8mb4_unicode_ci", 1), "the table's default character set or collation changes"},
	} {
		_, err := target.Diff(context.Background(), db, orig, c.target, "_t", false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
	// Approved, the one rename is a CHANGE (the migration then copies its values).
	clause, err := target.Diff(context.Background(), db, orig, replace("  note TEXT,", "  remark TEXT,"), "_t", true)
	if err != nil || !strings.Contains(clause, "CHANGE COLUMN `note` `remark` text") {
		t.Errorf("approved rename: %q, %v", clause, err)
	}
	var left int
	db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> 't'", name).Scan(&left)
	if left != 0 {
		t.Errorf("%d scratch tables left", left)
	}
}
