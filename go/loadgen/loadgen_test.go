package loadgen

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
)

// topo is the package's primary (no replica: the generator only writes).
var topo *topology.Topology

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t, err := topology.Start(ctx, topology.Options{NoReplica: true})
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: start topology: %v\n", err)
		os.Exit(1)
	}
	topo = t
	code := m.Run()
	if err := t.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: stop topology: %v\n", err)
		code = max(code, 1)
	}
	os.Exit(code)
}

// newTable creates database name with a sysbench-like sbtest1 of rows rows and returns a pool on it.
func newTable(t *testing.T, name string, rows int) *sql.DB {
	t.Helper()
	ctx := t.Context()
	if err := topo.Primary.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = topo.Primary.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name) })
	db, err := topo.Primary.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mustExec(t, db, `CREATE TABLE sbtest1 (
		id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		k INT NOT NULL DEFAULT 0,
		c CHAR(120) NOT NULL DEFAULT '',
		pad CHAR(60) NOT NULL DEFAULT '',
		KEY k_1 (k))`)
	if rows == 0 {
		return db
	}
	var b strings.Builder
	b.WriteString("INSERT INTO sbtest1 (k, c, pad) VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d, 'c%d', 'pad')", i%97, i)
	}
	mustExec(t, db, b.String())
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, db *sql.DB, q string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestRunAgainstRealTable writes at a fixed rate while the table gets a new column and then
// disappears for a moment; the writes that hit the gap are counted as 1146, the others succeed,
// and the table's row count agrees with what the generator says it did.
func TestRunAgainstRealTable(t *testing.T) {
	const initial = 2000
	db := newTable(t, "loadgen_run", initial)
	g, err := New(Config{
		DSN:      topo.Primary.DSN("loadgen_run"),
		Rate:     400,
		Workers:  4,
		Duration: 3 * time.Second,
		Window:   250 * time.Millisecond,
		Seed:     42,
	})
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := g.Run(t.Context())
		done <- outcome{res, err}
	}()
	<-g.Started()
	start := g.Stats().Start()

	// A schema change mid-run: the generator names only columns that exist before and after.
	time.Sleep(time.Until(start.Add(time.Second)))
	mustExec(t, db, "ALTER TABLE sbtest1 ADD COLUMN x INT")
	// A two-step swap leaves a gap in which writers get ERROR 1146.
	time.Sleep(time.Until(start.Add(1500 * time.Millisecond)))
	gapFrom := time.Now()
	mustExec(t, db, "RENAME TABLE sbtest1 TO sbtest1_away")
	time.Sleep(300 * time.Millisecond)
	mustExec(t, db, "RENAME TABLE sbtest1_away TO sbtest1")
	gapTo := time.Now()

	out := <-done
	if out.err != nil {
		t.Fatal(out.err)
	}
	res := out.res
	st := res.Stats
	all := st.All()
	t.Logf("result %+v; all: %d writes, %d ok, errors %v, p50 %v p99 %v max %v", res, all.Writes, all.OK,
		all.Errors, all.P50, all.P99, all.Max)

	if res.StoppedBy != "duration" {
		t.Errorf("stopped by %q; want duration", res.StoppedBy)
	}
	if res.Due < 1150 || res.Due > 1201 || res.Sent != res.Due {
		t.Errorf("due %d, sent %d; want about 1200 each", res.Due, res.Sent)
	}
	if all.Writes != res.Sent {
		t.Errorf("recorded %d writes; sent %d", all.Writes, res.Sent)
	}
	errs := st.Errors()
	if errs[ErrNoSuchTable] == 0 {
		t.Errorf("no 1146 errors recorded during the gap: %v", errs)
	}
	for code, n := range errs {
		if code != ErrNoSuchTable {
			t.Errorf("%d unexpected errors with code %s", n, code)
		}
	}
	// The 1146s belong to writes scheduled in (or queued into) the gap, nowhere else. A write
	// runs at most all.Max after its scheduled time, so one scheduled earlier than that before
	// the gap cannot have met it.
	queued := max(100*time.Millisecond, all.Max)
	if before := st.Summary(start, gapFrom.Add(-queued)); before.Failed() != 0 {
		t.Errorf("before the gap: %v", before.Errors)
	}
	if after := st.Summary(gapTo.Add(100*time.Millisecond), res.End); after.Failed() != 0 {
		t.Errorf("after the gap: %v", after.Errors)
	}
	if gap := st.Summary(gapFrom, gapTo); gap.Errors[ErrNoSuchTable] == 0 {
		t.Errorf("in the gap: %+v", gap)
	}
	// Latencies are sane, not fast: how fast a shared CI host serves the writes is not this
	// test's business (a slow host has pushed p50 past 100 ms), but a latency longer than the
	// whole run means it was measured from the wrong moment.
	if all.P50 <= 0 || all.Max > res.End.Sub(start)+time.Second || all.Max < all.P99 || all.P99 < all.P50 {
		t.Errorf("latencies p50 %v p99 %v max %v", all.P50, all.P99, all.Max)
	}

	// The table agrees with the generator's own accounting.
	tot := st.Totals()
	for _, k := range Kinds() {
		if tot[k.String()].OK == 0 {
			t.Errorf("no successful %s", k)
		}
	}
	wantRows := initial + tot["insert"].Affected - tot["delete"].Affected
	if got := count(t, db, "SELECT COUNT(*) FROM sbtest1"); got != wantRows {
		t.Errorf("table has %d rows; the generator accounts for %d (%+v)", got, wantRows, tot)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM sbtest1 WHERE id < 0"); got > tot["move-key"].Affected || got == 0 {
		t.Errorf("%d rows with moved keys; generator moved %d", got, tot["move-key"].Affected)
	}
	if series := st.Series(); len(series) != 12 {
		t.Errorf("%d windows of 250ms in a 3s run; want 12", len(series))
	}
}

// TestStopEndsRunEarly checks that Stop ends a long run promptly and that a second run on the
// same table moves keys without colliding with the first run's moved rows.
func TestStopEndsRunEarly(t *testing.T) {
	db := newTable(t, "loadgen_stop", 100)
	for round := range 2 {
		g, err := New(Config{
			DSN:      topo.Primary.DSN("loadgen_stop"),
			Rate:     200,
			Workers:  2,
			Duration: time.Minute,
			Mix:      Mix{MoveKey: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(500*time.Millisecond, g.Stop)
		begin := time.Now()
		res, err := g.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begin); took > 5*time.Second {
			t.Errorf("round %d: Stop took %v to end the run", round, took)
		}
		if res.StoppedBy != "stop" {
			t.Errorf("round %d: stopped by %q", round, res.StoppedBy)
		}
		if errs := res.Stats.Errors(); len(errs) > 0 {
			t.Errorf("round %d: errors %v", round, errs)
		}
		if res.Sent < 50 {
			t.Errorf("round %d: only %d writes sent in 500ms at 200/s", round, res.Sent)
		}
	}
	if got := count(t, db, "SELECT COUNT(*) FROM sbtest1"); got != 100 {
		t.Errorf("moving keys changed the row count to %d", got)
	}
}

func TestRunFailsWithoutTable(t *testing.T) {
	newTable(t, "loadgen_missing", 0)
	g, err := New(Config{DSN: topo.Primary.DSN("loadgen_missing"), Table: "nope", Rate: 10, Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "1146") {
		t.Errorf("Run on a missing table: %v; want an error 1146", err)
	}
}
