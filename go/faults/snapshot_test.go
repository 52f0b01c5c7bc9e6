package faults

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// rowLockWaits is the primary's count of InnoDB row lock waits since it started.
func (f *fixture) rowLockWaits() int64 {
	f.t.Helper()
	var name, v string
	if err := f.primary.QueryRowContext(context.Background(), "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'").Scan(&name, &v); err != nil {
		f.t.Fatal(err)
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// TestConsistentCopyInterleaving: writers hammer the rows of the chunks being copied (updates,
// deletes, re-inserts, 1500 writes/s on 8 connections) while chunks of 20,000 rows read them on
// two threads, with each copy; then once more with key moves (UPDATE ... SET id) with the
// snapshot copy. Each result equals the writers' rows and the native ALTER of their twin, row
// for row. Without key moves the writers never wait for each other's rows, so every row lock
// wait on the primary (Innodb_row_lock_waits; a topology of its own, so no other test's writes
// count) is one the copy caused: none with --copy=snapshot, some with --copy=locking.
func TestConsistentCopyInterleaving(t *testing.T) {
	t.Parallel()
	tp := topotest.Private(t, topology.Options{})
	for _, run := range []struct {
		mode  string
		moves bool
	}{{"snapshot", false}, {"locking", false}, {"snapshot", true}} {
		mode := run.mode
		f := newFixture(t, tp)
		m := f.createTable(60000)
		before := f.rowLockWaits()
		w := f.startWriter(m, writerConfig{Rate: 1500, Workers: 8, MoveKeys: run.moves})
		time.Sleep(time.Second)
		start := time.Now()
		g := f.startMigrating(mode, map[string]string{"copy": mode, "chunk-size": "20000", "target-chunk-time": "0", "threads": "2",
			"nice-ratio": "1"})
		g.succeed(3 * time.Minute)
		done := time.Now()
		res := w.stop()
		waits := f.rowLockWaits() - before
		checkWriter(f, res)
		f.caughtUp()
		f.assertRows(f.table, res)
		f.assertNativeTwin(f.table, res, alterAddW)
		during := res.Stats.Summary(start, done)
		pre := res.Stats.Summary(start.Add(-time.Second), start)
		t.Logf("--copy=%s (key moves %v): %d row lock waits; writers p99 before %s, during the migration %s (max %s), %d writes",
			mode, run.moves, waits, pre.P99, during.P99, during.Max, res.OK)
		if run.moves {
			continue // moves into the same gaps wait for each other
		}
		if mode == "snapshot" && waits != 0 {
			t.Errorf("--copy=snapshot: the writers waited for %d row locks", waits)
		}
		if mode == "locking" && waits == 0 {
			t.Logf("--copy=locking: no row lock wait seen (the writes missed the chunks being read)")
		}
	}
}
