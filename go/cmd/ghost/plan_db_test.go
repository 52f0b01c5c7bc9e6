package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/migration"
	"github.com/ghost-osc/ghost/go/target"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// TestPlanCommand: ghost plan exits 0 without risk, 5 with one (a CI gate), 2 when the server
// refuses the ALTER; --format json parses; the database is left as it was.
func TestPlanCommand(t *testing.T) {
	db, name := newTable(t)
	before := state(t, db, name)
	planArgs := func(alter string, more ...string) []string {
		return append(append([]string{"plan"}, baseArgs(topo.Replica, name, "t", alter)...), more...)
	}
	code, stdout, stderr := ghost(planArgs("ADD COLUMN x INT")...)
	if code != 0 || !strings.Contains(stdout, "ALTER as a whole: instant") || !strings.Contains(stdout, "risks: none found") {
		t.Errorf("no risk: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = ghost(planArgs("MODIFY n INT NOT NULL", "--format", "json")...)
	var rep struct {
		Class string
		Risks []struct {
			Code  string
			Count *int64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--format json: %v\n%s", err, stdout)
	}
	if code != migration.ExitRisks || len(rep.Risks) != 1 || rep.Risks[0].Code != "not-null-on-populated" || rep.Risks[0].Count == nil || *rep.Risks[0].Count != 1 {
		t.Errorf("a risk: exit %d, %+v\n%s", code, rep, stderr)
	}
	code, _, stderr = ghost(planArgs("MODIFY nope INT")...)
	if code != migration.ExitRefused || !strings.Contains(stderr, "the server refuses the ALTER") {
		t.Errorf("refused: exit %d, %s", code, stderr)
	}
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("ghost plan changed the database:\nbefore %v\nafter  %v", before, after)
	}
}

// TestAttemptInstantDDL: on a table of 1M rows an ALTER the server runs instantly is done
// with ALGORITHM=INSTANT (no ghost table, no row copied), and one it cannot falls back to the
// copy; the summary says which path was taken. Times are logged, not asserted.
func TestAttemptInstantDDL(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, c CHAR(100) NOT NULL) ENGINE=InnoDB",
		"INSERT INTO t SELECT seq, seq, 'x' FROM seq_1_to_1000000")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN w INT NOT NULL DEFAULT 7"), "--attempt-instant-ddl", "--execute")...)
	instant := time.Since(start)
	if code != 0 || !strings.Contains(stdout, "altered in place with ALGORITHM=INSTANT") || !strings.Contains(stdout, "no rows copied") {
		t.Fatalf("instant: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := tablesOf(t, db, name); got != "t" {
		t.Errorf("tables after the instant ALTER: %s", got)
	}
	var w int
	if err := db.QueryRow("SELECT w FROM t WHERE id = 500000").Scan(&w); err != nil || w != 7 {
		t.Errorf("the new column: %d, %v", w, err)
	}
	start = time.Now()
	code, stdout, stderr = ghost(append(baseArgs(topo.Replica, name, "t", "MODIFY v BIGINT NOT NULL"), "--attempt-instant-ddl", "--execute")...)
	copied := time.Since(start)
	if code != 0 || !strings.Contains(stdout, "instant DDL: not possible here (the server runs this ALTER as copy") || !strings.Contains(stdout, "rows copied: 1000000") {
		t.Fatalf("fallback: exit %d\n%s\n%s", code, stdout, stderr)
	}
	t.Logf("1M rows: ADD COLUMN with ALGORITHM=INSTANT %s; MODIFY v BIGINT by ghost's copy %s", instant.Round(time.Millisecond), copied.Round(time.Millisecond))
}

// TestNoopDropsNothing: a noop with --initially-drop-old-table leaves the old table (it once
// dropped it: a noop changes nothing), and one with --initially-drop-ghost-table over a ghost
// table is refused, the table kept.
func TestNoopDropsNothing(t *testing.T) {
	db, name := newTable(t)
	exec(t, db, "CREATE TABLE _t_del (id INT PRIMARY KEY)")
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--initially-drop-old-table")...)
	if code != 0 || !strings.Contains(stdout, "noop:") {
		t.Errorf("noop: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := tablesOf(t, db, name); got != "t,_t_del" {
		t.Errorf("tables after the noop: %s", got)
	}
	exec(t, db, "CREATE TABLE _t_gho (id INT PRIMARY KEY)")
	code, _, stderr = ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--initially-drop-ghost-table")...)
	if code != migration.ExitRefused || !strings.Contains(stderr, "a noop drops nothing") {
		t.Errorf("noop over a ghost table: exit %d, %s", code, stderr)
	}
	if got := tablesOf(t, db, name); got != "t,_t_del,_t_gho" {
		t.Errorf("tables after the refused noop: %s", got)
	}
}

// TestTargetSchemaRun: --target-schema computes the ALTER, ghost plan shows its plan, and the
// migration with --execute leaves the table exactly as declared; declared again, there is
// nothing to do.
func TestTargetSchemaRun(t *testing.T) {
	db, name := newTable(t)
	file := t.TempDir() + "/t.sql"
	decl := "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v BIGINT DEFAULT NULL, s VARCHAR(20) DEFAULT NULL, n INT DEFAULT NULL, w INT NOT NULL DEFAULT 7, KEY k_v (v)) ENGINE=InnoDB"
	if err := os.WriteFile(file, []byte(decl), 0o644); err != nil {
		t.Fatal(err)
	}
	args := func(more ...string) []string {
		a := baseArgs(topo.Replica, name, "t", "")
		return append(a, append([]string{"--target-schema", file}, more...)...)
	}
	code, stdout, stderr := ghost(append([]string{"plan"}, args()...)...)
	if !strings.Contains(stdout, "--target-schema: ALTER TABLE") || !strings.Contains(stdout, "plan for") || code != migration.ExitRisks {
		t.Errorf("plan: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = ghost(args("--execute")...)
	if code != 0 || !strings.Contains(stdout, "Done: ") {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	exec(t, db, strings.Replace(decl, "CREATE TABLE t ", "CREATE TABLE want ", 1))
	var n, got, want string
	db.QueryRow("SHOW CREATE TABLE t").Scan(&n, &got)
	db.QueryRow("SHOW CREATE TABLE want").Scan(&n, &want)
	if target.Normalise(got) != target.Normalise(want) {
		t.Errorf("after the migration:\n%s\nwant\n%s", got, want)
	}
	exec(t, db, "DROP TABLE want", "DROP TABLE _t_del", "DROP TABLE _t_ghk")
	code, stdout, _ = ghost(args("--execute")...)
	if code != 0 || !strings.Contains(stdout, "already has the definition --target-schema declares") {
		t.Errorf("declared again: exit %d\n%s", code, stdout)
	}

	// A rename: refused as such, done with --approve-renamed-columns, values kept.
	renamed := strings.Replace(decl, "s VARCHAR(20)", "s3 VARCHAR(20)", 1)
	if err := os.WriteFile(file, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = ghost(args("--execute")...)
	if code != migration.ExitRefused || !strings.Contains(stderr, "a rename cannot be told from a drop and an add") {
		t.Errorf("unapproved rename: exit %d, %s", code, stderr)
	}
	code, stdout, stderr = ghost(args("--execute", "--approve-renamed-columns")...)
	if code != 0 {
		t.Fatalf("approved rename: exit %d\n%s\n%s", code, stdout, stderr)
	}
	var s3 string
	if err := db.QueryRow("SELECT s3 FROM t WHERE id = 2").Scan(&s3); err != nil || s3 != "a long value" {
		t.Errorf("after the rename s3 = %q, %v", s3, err)
	}
}

// TestBackfillRefusals: a backfill whose --set the server rejects, or that assigns a column of
// the key it walks, is refused with exit 2 before it changes anything.
func TestBackfillRefusals(t *testing.T) {
	db, name := newTable(t)
	before := state(t, db, name)
	for _, c := range []struct{ set, want string }{
		{"nope = v", "the server refuses the backfill's UPDATE"},
		{"id = id + 1", "--set assigns id, a column of key PRIMARY that the backfill walks"},
	} {
		args := append([]string{"backfill"}, baseArgs(topo.Replica, name, "t", "")...)
		code, _, stderr := ghost(append(args, "--set", c.set, "--execute")...)
		if code != migration.ExitRefused || !strings.Contains(stderr, c.want) {
			t.Errorf("--set %q: exit %d, %s", c.set, code, stderr)
		}
	}
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a refused backfill changed the database:\nbefore %v\nafter  %v", before, after)
	}
}
