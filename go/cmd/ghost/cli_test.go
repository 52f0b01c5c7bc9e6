package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"github.com/ghost-osc/ghost/go/migration"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

var serverIDs atomic.Uint32

func init() { serverIDs.Store(4000) }

// ghost runs the command in-process and returns its exit code, stdout and stderr.
func ghost(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"ghost"}, args...), nil, &out, &errb)
	return code, out.String(), errb.String()
}

func baseArgs(s *topology.Server, database, table, alter string) []string {
	id := serverIDs.Add(1)
	return []string{"--host", s.Host, "--port", strconv.Itoa(s.Port), "--user", s.User, "--password", s.Password,
		"--database", database, "--table", table, "--alter", alter,
		"--replica-server-id", strconv.Itoa(int(id)), "--serve-socket-file", ownSocket(id)}
}

// ownSocket is a socket path of one run: the default (/tmp/ghost.<db>.<table>.sock) is shared
// by every run on d.t of this machine, other test binaries' included.
func ownSocket(id uint32) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("ghost-cli-%d-%d.sock", os.Getpid(), id))
}

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// state is what a failed run must not change: the tables of the database with
// their definitions and checksums.
func state(t *testing.T, db *sql.DB, name string) map[string]string {
	t.Helper()
	rows, err := db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var tn, create, cn string
		var sum sql.NullInt64
		if err := db.QueryRow("SHOW CREATE TABLE "+dbconn.QuoteIdent(n)).Scan(&tn, &create); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("CHECKSUM TABLE "+dbconn.QuoteIdent(n)+" EXTENDED").Scan(&cn, &sum); err != nil {
			t.Fatal(err)
		}
		out[n] = fmt.Sprintf("%s\nchecksum %d", create, sum.Int64)
	}
	return out
}

type badInput struct {
	name  string
	setup []string // on the primary, in the test database
	table string   // default t
	alter string
	args  []string // more flags
	// want are words the one stderr line must contain: the cause and what to do.
	want []string
}

var badInputs = []badInput{
	{
		name:  "checksum snapshot max age too short",
		alter: "ADD COLUMN x INT",
		args:  []string{"--checksum-snapshot-max-age", "1ms"},
		want:  []string{"--checksum-snapshot-max-age must be 0 (one consistent point) or between 100ms and 24h, got 1ms"},
	},
	{
		name:  "snapshot max age too short",
		alter: "ADD COLUMN x INT",
		args:  []string{"--snapshot-max-age", "10ms"},
		want:  []string{"--snapshot-max-age must be 0 (no bound) or between 100ms and 1h, got 10ms"},
	},
	{
		name:  "missing table",
		table: "nope",
		alter: "ADD COLUMN x INT",
		want:  []string{"table DB.nope does not exist", "check --database and --table"},
	},
	{
		name:  "invalid ALTER",
		alter: "ADD COLUMN x INT NOT NULL BOGUS",
		want:  []string{"the ALTER fails on the ghost table", "Error 1064", "fix the --alter statement", "original table was not touched"},
	},
	{
		name:  "no usable key",
		setup: []string{"DROP TABLE t", "CREATE TABLE t (a INT NOT NULL, b INT, KEY a_idx (a))", "INSERT INTO t VALUES (1, 1), (1, 2)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"no unique key that ghost can use", "add a PRIMARY KEY or a UNIQUE key on NOT NULL columns"},
	},
	{
		name:  "nullable unique key holding NULLs",
		setup: []string{"DROP TABLE t", "CREATE TABLE t (u INT NULL, v INT, UNIQUE KEY u_uidx (u))", "INSERT INTO t VALUES (NULL, 1), (NULL, 2), (3, 3)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"no unique key that ghost can use", "u_uidx: a column allows NULL", "add a PRIMARY KEY"},
	},
	{
		name:  "unapproved rename",
		alter: "CHANGE COLUMN v w INT",
		want:  []string{"renames", "v", "w", "--approve-renamed-columns", "--skip-renamed-columns"},
	},
	{
		name:  "RENAME TO",
		alter: "RENAME TO t2",
		want:  []string{"RENAME", "t2", "run RENAME TABLE separately after the migration"},
	},
	{
		name:  "triggers",
		setup: []string{"CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.v = NEW.v + 1"},
		alter: "ADD COLUMN x INT",
		want:  []string{"has triggers (t_bi)", "drop them"},
	},
	{
		name:  "foreign key parent",
		setup: []string{"CREATE TABLE child (id INT PRIMARY KEY, t_id INT, CONSTRAINT child_t FOREIGN KEY (t_id) REFERENCES t (id))", "INSERT INTO child VALUES (1, 1)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"referenced by foreign keys", "child_t", "drop those constraints"},
	},
	{
		name: "foreign key child",
		setup: []string{"CREATE TABLE parent (id INT PRIMARY KEY)", "INSERT INTO parent SELECT id FROM t",
			"ALTER TABLE t ADD CONSTRAINT t_parent FOREIGN KEY (id) REFERENCES parent (id)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"has foreign keys (t_parent)", "drop the constraints"},
	},
	{
		name:  "new UNIQUE over duplicates",
		alter: "ADD UNIQUE KEY v_uidx (v)",
		want:  []string{"unique key does not hold", "Duplicate entry", "v_uidx", "remove the duplicate rows or drop the new UNIQUE key"},
	},
	{
		name:  "truncating MODIFY",
		alter: "MODIFY s VARCHAR(3)",
		want:  []string{"cannot hold a value", "Data too long for column 's'", "widen the type in --alter or fix the data"},
	},
	{
		name:  "NOT NULL over NULLs",
		alter: "MODIFY n INT NOT NULL",
		want:  []string{"NOT NULL column would receive NULL", "'n'", "update the NULLs first or give the column a DEFAULT"},
	},
	{
		name:  "wrong password",
		alter: "ADD COLUMN x INT",
		args:  []string{"--password", "wrong"},
		want:  []string{"access denied", `"ghost"`, "check --user and --password"},
	},
	{
		name:  "ghost table already present",
		setup: []string{"CREATE TABLE _t_gho (id INT PRIMARY KEY)", "INSERT INTO _t_gho VALUES (42)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"_t_gho already exists", "--initially-drop-ghost-table"},
	},
	{
		name:  "changelog table already present",
		setup: []string{"CREATE TABLE _t_ghc (id INT PRIMARY KEY)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"_t_ghc already exists", "--initially-drop-ghost-table"},
	},
	{
		name:  "forced ghost table name already present",
		setup: []string{"CREATE TABLE _ft_gho (id INT PRIMARY KEY)"},
		alter: "ADD COLUMN x INT",
		args:  []string{"--force-table-names", "ft"},
		want:  []string{"_ft_gho already exists", "--initially-drop-ghost-table"},
	},
	{
		name:  "refused gh-ost flag",
		alter: "ADD COLUMN x INT",
		args:  []string{"--skip-strict-mode"},
		want:  []string{"--skip-strict-mode is not supported yet"},
	},
	{
		name:  "--tungsten without --assume-master-host",
		alter: "ADD COLUMN x INT",
		args:  []string{"--tungsten"},
		want:  []string{"--tungsten needs --assume-master-host"},
	},
	{
		name:  "--resume with nothing to resume",
		alter: "ADD COLUMN x INT",
		args:  []string{"--resume"},
		want:  []string{"--resume: nothing to resume: there is no checkpoint table", "run without --resume"},
	},
	{
		name: "revert without a swap record",
		args: []string{"--revert"},
		want: []string{"--revert: nothing to revert: table", "_t_ghk", "does not exist", "migrating again with the reverse ALTER"},
	},
	{
		name:  "revert with an ALTER",
		alter: "ADD COLUMN x INT",
		args:  []string{"--revert"},
		want:  []string{"--revert takes the ALTER from the migration it reverts", "drop --alter"},
	},
	{
		name:  "old table without revert",
		alter: "ADD COLUMN x INT",
		args:  []string{"--old-table", "_t_del"},
		want:  []string{"--old-table names the table a --revert brings back", "it needs --revert"},
	},
	{
		name:  "old table already present",
		setup: []string{"CREATE TABLE _t_del (id INT PRIMARY KEY)"},
		alter: "ADD COLUMN x INT",
		want:  []string{"_t_del already exists", "--initially-drop-old-table"},
	},
}

const baseTable = "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT, s VARCHAR(20), n INT NULL) ENGINE=InnoDB"
const baseRows = "INSERT INTO t VALUES (1, 10, 'short', 1), (2, 10, 'a long value', NULL), (3, 30, 'x', 3)"

// TestBadInput: every refusal exits 1 with one stderr line that names the cause and
// what to do, and leaves the database exactly as it was: no ghost or changelog table,
// the original unchanged.
func TestBadInput(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			db, name := topotest.NewDatabase(t, topo)
			exec(t, db, baseTable, baseRows)
			exec(t, db, tc.setup...)
			if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			before := state(t, db, name)
			table := tc.table
			if table == "" {
				table = "t"
			}
			args := append(baseArgs(topo.Replica, name, table, tc.alter), "--execute")
			args = append(args, tc.args...)
			start := time.Now()
			code, stdout, stderr := ghost(args...)
			checkRefusal(t, code, stdout, stderr, tc.want, name)
			after := state(t, db, name)
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the database changed:\nbefore %v\nafter  %v", before, after)
			}
			t.Logf("%s in %s", strings.TrimSpace(stderr), time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestRunLockHeld: while another session holds the table's run lock (as a running ghost
// does), ghost refuses at once, naming the connection, and changes nothing.
func TestRunLockHeld(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, baseTable, baseRows)
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got int
	if err := conn.QueryRowContext(t.Context(), "SELECT GET_LOCK(?, 0)", "ghost."+name+".t").Scan(&got); err != nil || got != 1 {
		t.Fatalf("take the run lock: %d, %v", got, err)
	}
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := state(t, db, name)
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--execute")...)
	checkRefusal(t, code, stdout, stderr, []string{"another ghost is migrating " + name + ".t", "holds lock", "wait for it to end"}, name)
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the database changed:\nbefore %v\nafter  %v", before, after)
	}
}

func checkRefusal(t *testing.T, code int, stdout, stderr string, want []string, database string) {
	t.Helper()
	if code != migration.ExitRefused {
		t.Errorf("exit code %d, want %d (refused)", code, migration.ExitRefused)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "ghost: error: ") {
		t.Fatalf("stderr is not one 'ghost: error: ' line:\n%s\nstdout:\n%s", stderr, stdout)
	}
	for _, w := range want {
		w = strings.ReplaceAll(w, "DB", database)
		if !strings.Contains(lines[0], w) {
			t.Errorf("stderr %q does not contain %q", lines[0], w)
		}
	}
}

// TestBinlogNotRow runs against a server of its own (the shared topology must keep ROW):
// binlog_format=STATEMENT is refused with the fix named.
func TestBinlogNotRow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	solo, err := topology.Start(ctx, topology.Options{NoReplica: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := solo.Stop(); err != nil {
			t.Error(err)
		}
	})
	if err := solo.Primary.Exec(ctx, "CREATE DATABASE d"); err != nil {
		t.Fatal(err)
	}
	db, err := solo.Primary.Open("d")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, baseTable, baseRows, "SET GLOBAL binlog_format = 'STATEMENT'")
	before := state(t, db, "d")
	// --assume-rbr skips gh-ost's replication restart, not the format check.
	code, stdout, stderr := ghost(append(baseArgs(solo.Primary, "d", "t", "ADD COLUMN x INT"), "--execute", "--allow-on-master", "--assume-rbr")...)
	checkRefusal(t, code, stdout, stderr, []string{"binlog_format is STATEMENT", "ghost reads row events", "SET GLOBAL binlog_format = 'ROW'"}, "d")
	if after := state(t, db, "d"); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the database changed:\nbefore %v\nafter  %v", before, after)
	}
	// The same server in ROW format migrates: the refusal was the format, nothing else.
	exec(t, db, "SET GLOBAL binlog_format = 'ROW'")
	code, stdout, stderr = ghost(append(baseArgs(solo.Primary, "d", "t", "ADD COLUMN x INT"), "--execute", "--allow-on-master")...)
	if code != 0 {
		t.Fatalf("exit %d after switching to ROW:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Done: d.t migrated; rows copied: 3") {
		t.Errorf("stdout has no summary:\n%s", stdout)
	}
}

// TestSuccess: a good ALTER exits 0, prints the noop notice without --execute and the
// summary with it, and the table has the new definition with its rows.
func TestSuccess(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, baseTable, baseRows)
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := state(t, db, name)
	code, stdout, stderr := ghost(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT NOT NULL DEFAULT 5")...)
	if code != 0 || stderr != "" {
		t.Fatalf("noop: exit %d, stderr %q", code, stderr)
	}
	if want := fmt.Sprintf("noop: %s.t can be migrated with this ALTER; nothing was changed. Run again with --execute to migrate.\n", name); !strings.HasSuffix(stdout, want) {
		t.Errorf("noop stdout %q, want it to end with %q", stdout, want)
	}
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a noop run changed the database:\nbefore %v\nafter  %v", before, after)
	}
	code, stdout, stderr = ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT NOT NULL DEFAULT 5"), "--execute", "--ok-to-drop-table")...)
	if code != 0 || stderr != "" {
		t.Fatalf("execute: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprintf("Done: %s.t migrated; rows copied: 3", name)) {
		t.Errorf("stdout has no summary:\n%s", stdout)
	}
	var got []string
	rows, err := db.Query("SELECT CONCAT_WS(',', id, v, s, IFNULL(n, 'NULL'), x) FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	if want := "1,10,short,1,5 2,10,a long value,NULL,5 3,30,x,3,5"; strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, " "), want)
	}
	var tables string
	db.QueryRow("SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name).Scan(&tables)
	if tables != "t" {
		t.Errorf("tables after the migration: %s", tables)
	}
}
