package faults

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	reRevertDrops  = regexp.MustCompile(`noop: the revert drops the values of column\(s\) w: the old table does not have them`)
	reRevertNoop   = regexp.MustCompile(`noop: \S+ can be reverted; nothing was changed`)
	reReverting    = regexp.MustCompile(`reverting the migration of [^:]+:[0-9:]+: applying the changes made to \S+ since binlog (\S+) to `)
	reKeepingSync  = regexp.MustCompile(`keeping \S+ in sync with \S+ until`)
	reWindowClosed = regexp.MustCompile(`the revert window closed after \S+ without a revert`)
)

// revertArgs are the flags of a --revert run: no ALTER.
func revertArgs(extra map[string]string) map[string]string {
	a := map[string]string{"revert": "", "alter": "-"}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// waitWrites waits until the writers committed n writes sent at or after from.
func waitWrites(t *testing.T, w *writer, from time.Time, n int64) {
	t.Helper()
	eventually(t, 3*time.Minute, "writes after the cut-over", func() bool { return w.okSince(from) >= n })
}

// TestRevert migrates t under writes, keeps writing (10k changes) after the cut-over, and
// reverts while the writers go on: t then has the old schema and holds exactly the rows the
// writers committed, and the migrated table is the old table in its turn. A revert of the
// revert brings the migrated schema back, again with every row. Without --execute the revert
// says what it would drop and changes nothing.
func TestRevert(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(20000)
	w := f.startWriter(m, writerConfig{Rate: 800, Workers: 4})
	f.startMigrating("migrate", nil).succeed(3 * time.Minute)
	swapped := time.Now()
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	if cols := f.columns(f.table); !slices.Contains(cols, "w") {
		t.Fatalf("after the migration %s has columns %v, want w among them", f.table, cols)
	}
	waitWrites(t, w, swapped, 10000)

	noop := f.startGhost("noop", revertArgs(map[string]string{"execute": "-"}))
	noop.succeed(time.Minute)
	for _, re := range []*regexp.Regexp{reRevertDrops, reRevertNoop} {
		if _, ok := noop.find(re); !ok {
			t.Errorf("the noop revert does not say %q:\n%s", re, noop.output())
		}
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())

	g := f.startGhost("revert", revertArgs(nil))
	g.succeed(3 * time.Minute)
	if testing.Verbose() {
		t.Log(g.output())
	}
	if _, ok := g.find(reReverting); !ok {
		t.Errorf("the revert does not say where it streams from:\n%s", g.output())
	}
	waitWrites(t, w, time.Now(), 500) // the writers go on on the reverted table
	res := w.stop()
	checkWriter(f, res)
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	if cols := f.columns(f.table); slices.Contains(cols, "w") {
		t.Errorf("after the revert %s has columns %v, want the old schema (no w)", f.table, cols)
	}
	if cols := f.columns(f.oldT()); !slices.Contains(cols, "w") {
		t.Errorf("after the revert %s has columns %v, want the migrated schema (w)", f.oldT(), cols)
	}
	f.caughtUp()
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, "")

	// The revert of the revert: the migrated table comes back with every row, w's values
	// as they were at the first revert (7 for every row written since the migration).
	rr := f.startGhost("revert-of-revert", revertArgs(nil))
	rr.succeed(3 * time.Minute)
	if cols := f.columns(f.table); !slices.Contains(cols, "w") {
		t.Errorf("after the revert of the revert %s has columns %v, want w among them", f.table, cols)
	}
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, alterAddW)
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	t.Logf("writes after the migration's cut-over: %d; writers: %+v", w.okSince(swapped), res.Stats.Summary(swapped.Add(-time.Hour), time.Now()).Max)
}

// TestRevertKeepInSync keeps the old table in sync after the cut-over and reverts on the
// socket while open-loop writers run: the swap back keeps every row, and the writers' worst
// latency across it is measured (logged, not asserted: timing is the bench's business).
func TestRevertKeepInSync(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(20000)
	w := f.startWriter(m, writerConfig{Rate: 500, Workers: 4})
	g := f.startMigrating("migrate", map[string]string{"keep-old-table-in-sync": "5m"})
	g.waitLine(reKeepingSync, 3*time.Minute)
	if cols := f.columns(f.table); !slices.Contains(cols, "w") {
		t.Fatalf("after the cut-over %s has columns %v, want w among them", f.table, cols)
	}
	if s := g.status(); !strings.Contains(s, "postponing") && !strings.Contains(s, "sync") {
		t.Errorf("status while keeping the old table in sync: %q", s)
	}
	waitWrites(t, w, time.Now(), 3000)
	asked := time.Now()
	if reply := g.send("revert"); !strings.HasPrefix(reply, "Reverting") {
		t.Fatalf("revert on the socket answered %q", reply)
	}
	g.succeed(2 * time.Minute)
	done := time.Now()
	waitWrites(t, w, done, 500)
	res := w.stop()
	checkWriter(f, res)
	if cols := f.columns(f.table); slices.Contains(cols, "w") {
		t.Errorf("after the revert %s has columns %v, want the old schema (no w)", f.table, cols)
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.caughtUp()
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, "")
	around := res.Stats.Summary(asked.Add(-time.Second), done.Add(time.Second))
	t.Logf("swap back: %s from the command to the exit; writers across it: %d ok, p99 %s, max %s",
		done.Sub(asked).Round(time.Millisecond), around.OK, around.P99, around.Max)
}

// TestRevertRefused: a revert with nothing to revert is refused with its line and changes
// nothing; a revert window that closes without a revert leaves the table migrated and the
// record revertable; and a value written since the swap that the old schema cannot hold
// stops the revert before its cut-over, t in place with every row.
func TestRevertRefused(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(2000)
	none := f.startGhost("nothing", revertArgs(nil))
	if line := none.fail(time.Minute); !strings.Contains(line, "--revert: nothing to revert: table") || !strings.Contains(line, "does not exist") {
		t.Errorf("revert without a migration: %q", line)
	}
	f.assertTables(f.table)

	g := f.startMigrating("migrate", map[string]string{"alter": "MODIFY s VARCHAR(200) NOT NULL", "keep-old-table-in-sync": "3s"})
	g.succeed(3 * time.Minute)
	if _, ok := g.find(reWindowClosed); !ok {
		t.Errorf("the window's end is not said:\n%s", g.output())
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	long := strings.Repeat("x", 150)
	f.exec(f.primary, "UPDATE "+f.table+" SET s = ? WHERE id = 5", long)
	f.exec(f.primary, "UPDATE "+f.table+" SET v = v + 1 WHERE id = 6")
	m[6] = row{V: m[6].V + 1, S: m[6].S}
	m[5] = row{V: m[5].V, S: long}

	r := f.startGhost("lossy", revertArgs(nil))
	line := r.fail(2 * time.Minute)
	if testing.Verbose() {
		t.Log(r.output())
	}
	if !strings.Contains(line, "revert refused: a change made to") || !strings.Contains(line, "does not fit the old table") {
		t.Errorf("lossy revert: %q", line)
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.assertRows(f.table, writerResult{Model: m})
	if typ := f.columnType(f.table, "s"); typ != "varchar(200)" {
		t.Errorf("after the refused revert %s.s is %s, want varchar(200)", f.table, typ)
	}

	// The swap record goes with its old table: a new migration refuses both until told to
	// drop them.
	again := f.startGhost("new-migration", map[string]string{"alter": "ADD COLUMN z INT"})
	if line := again.fail(time.Minute); !strings.Contains(line, "holds the swap record of the migration of") || !strings.Contains(line, "--initially-drop-old-table") {
		t.Errorf("a new migration over a swap record: %q", line)
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.startGhost("new-migration-dropping", map[string]string{"alter": "ADD COLUMN z INT", "initially-drop-old-table": "", "ok-to-drop-table": ""}).succeed(2 * time.Minute)
	f.assertTables(f.table)
	f.assertRows(f.table, writerResult{Model: m})
}
