package faults

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// EnvBinary names a ghost binary to test instead of building one.
const EnvBinary = "GHOST_FAULTS_BINARY"

var (
	// topo is the package's shared topology; tests that stop replication, purge or
	// rotate binary logs, or look at every connection of a server start their own.
	topo     *topology.Topology
	ghostBin string
	// serverIDs hands out --replica-server-id values: every binlog reader connected
	// to a server at once needs its own (the servers themselves are 1 and 2).
	serverIDs atomic.Uint32
	// tableSeq names each fixture's table uniquely across databases: ghost must not
	// confuse same-named tables of other databases (TestDirectAlter/other-database
	// checks that), and the other tests should not depend on it.
	tableSeq atomic.Int32
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	serverIDs.Store(7100)
	dir, err := os.MkdirTemp("", "ghost-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if ghostBin, err = topotest.BuildGhost(dir, EnvBinary); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	return topotest.Main(m, &topo)
}

// fixture is one test's database on a topology, with pools on both servers and a
// short directory for ghost's socket and flag files.
type fixture struct {
	t       *testing.T
	topo    *topology.Topology
	db      string
	table   string // the migrated table: t<n>
	primary *sql.DB
	replica *sql.DB
	dir     string
}

func newFixture(t *testing.T, tp *topology.Topology) *fixture {
	t.Helper()
	primary, name := topotest.NewDatabase(t, tp)
	replica, err := tp.Replica.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	// A unix socket path holds at most 108 bytes: keep the directory short.
	dir, err := os.MkdirTemp("", "gf")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return &fixture{t: t, topo: tp, db: name, table: fmt.Sprintf("t%d", tableSeq.Add(1)), primary: primary, replica: replica, dir: dir}
}

// Names of the tables ghost creates for the fixture's table.
func (f *fixture) ghostT() string      { return "_" + f.table + "_gho" }
func (f *fixture) changelogT() string  { return "_" + f.table + "_ghc" }
func (f *fixture) oldT() string        { return "_" + f.table + "_del" }
func (f *fixture) checkpointT() string { return "_" + f.table + "_ghk" }

func (f *fixture) ctx(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func (f *fixture) exec(db *sql.DB, q string, args ...any) {
	f.t.Helper()
	ctx, cancel := f.ctx(2 * time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", firstWords(q), err)
	}
}

func firstWords(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 80 {
		q = q[:80] + "..."
	}
	return q
}

// caughtUp waits until the replica has applied everything the primary wrote.
func (f *fixture) caughtUp() {
	f.t.Helper()
	ctx, cancel := f.ctx(2 * time.Minute)
	defer cancel()
	if err := f.topo.WaitReplicaCaughtUp(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// tables lists the tables of the test's database on the primary.
func (f *fixture) tables() []string {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	return topotest.Strings(ctx, f.t, f.primary, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", f.db)
}

func (f *fixture) hasTable(name string) bool { return slices.Contains(f.tables(), name) }

// columns lists a table's columns on the primary, in order.
func (f *fixture) columns(table string) []string {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	rows, err := f.primary.QueryContext(ctx, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", f.db, table)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func (f *fixture) comment(table string) string {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	var c string
	if err := f.primary.QueryRowContext(ctx, "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", f.db, table).Scan(&c); err != nil {
		f.t.Fatalf("comment of %s: %v", table, err)
	}
	return c
}

// assertTables checks the exact set of tables in the test's database.
func (f *fixture) assertTables(want ...string) {
	f.t.Helper()
	slices.Sort(want)
	got := f.tables()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		f.t.Errorf("tables in %s: %v, want %v", f.db, got, want)
	}
}

// proc is a row of information_schema.PROCESSLIST.
type proc struct {
	ID      int64
	User    string
	DB      string
	Command string
	State   string
	Info    string
	Time    float64
}

// processlist returns the connections of a server matching a condition (SQL over
// PROCESSLIST's columns).
func processlist(db *sql.DB, cond string, args ...any) ([]proc, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q := "SELECT ID, COALESCE(USER, ''), COALESCE(DB, ''), COALESCE(COMMAND, ''), COALESCE(STATE, ''), COALESCE(INFO, ''), COALESCE(TIME_MS, 0) / 1000 " +
		"FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
	if cond != "" {
		q += " AND (" + cond + ")"
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []proc
	for rows.Next() {
		var p proc
		if err := rows.Scan(&p.ID, &p.User, &p.DB, &p.Command, &p.State, &p.Info, &p.Time); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// eventually polls cond until it holds, failing the test after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// columnType is a column's COLUMN_TYPE on the primary.
func (f *fixture) columnType(table, column string) string {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	var c string
	if err := f.primary.QueryRowContext(ctx, "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?", f.db, table, column).Scan(&c); err != nil {
		f.t.Fatalf("type of %s.%s: %v", table, column, err)
	}
	return c
}
