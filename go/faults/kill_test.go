package faults

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestKill kills ghost with SIGKILL during the row copy and while the cut-over is held at
// each of its steps, with writers on the primary throughout. Writers never see the table
// missing, no committed write is lost, the table is the original (killed before the
// swap) or the migrated one (killed after the sentry was dropped: the queued RENAME may
// still run), and a rerun told to drop what was left behind completes with every row.
func TestKill(t *testing.T) {
	for _, at := range []string{"copy", "locked", "applied", "rename-queued", "sentry-dropped"} {
		t.Run(at, func(t *testing.T) {
			t.Parallel()
			testKill(t, at)
		})
	}
}

func testKill(t *testing.T, at string) {
	f := newFixture(t, topo)
	const rows, heldID = 5000, 2500
	m := f.createTable(rows)
	w := f.startWriter(m, writerConfig{Avoid: []int64{heldID}})
	extra := map[string]string{"chunk-size": "500"}
	var blocker *sql.Tx
	if at == "copy" {
		// A row lock in the middle of the table stops the copy at a known chunk: the
		// locking copy waits for it (the snapshot copy would read past it).
		blocker = f.holdRow(heldID)
		extra["copy"] = "locking"
	} else {
		extra["test-pause-cut-over-at"] = at
		extra["test-pause-cut-over-for"] = "20s"
	}
	g := f.startMigrating("killed", extra)
	if at == "copy" {
		f.waitCopyQuery(time.Time{})
	} else {
		g.waitLine(rePaused(at), 2*time.Minute)
		if at == "rename-queued" || at == "sentry-dropped" {
			ps, err := processlist(f.primary, "DB = ? AND INFO LIKE 'RENAME TABLE%'", f.db)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || !strings.HasPrefix(ps[0].State, "Waiting for table") {
				t.Errorf("at %s the RENAME should be waiting on the lock; processlist: %+v", at, ps)
			}
		}
	}
	g.kill()
	killed := time.Now()
	if blocker != nil {
		if err := blocker.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// The server finishes what the dead sessions had queued (the RENAME).
	eventually(t, time.Minute, "ghost's statements to end", func() bool {
		ps, err := processlist(f.primary, "DB = ? AND (INFO LIKE 'RENAME%' OR INFO LIKE 'LOCK%' OR INFO LIKE ?)", f.db, "INSERT INTO %"+f.ghostT()+"%")
		return err == nil && len(ps) == 0
	})
	eventually(t, time.Minute, "writes after the kill", func() bool { return w.okSince(killed) >= 50 })
	res := w.stop()
	checkWriter(f, res)

	migrated := slices.Contains(f.columns(f.table), "w")
	switch {
	case at == "sentry-dropped" && migrated:
		t.Logf("killed at %s: the queued RENAME completed; t is the migrated table", at)
		f.assertTables(f.table, f.oldT(), f.changelogT(), f.checkpointT())
		if c := f.columns(f.oldT()); !slices.Equal(c, []string{"id", "v", "s"}) {
			t.Errorf("old table %s has columns %v, want the original's", f.oldT(), c)
		}
	case at == "sentry-dropped":
		t.Logf("killed at %s: the RENAME did not run; t is the original", at)
		f.assertTables(f.table, f.ghostT(), f.changelogT(), f.checkpointT())
	case migrated:
		t.Fatalf("killed at %s, before the sentry was dropped, but t was swapped: columns %v", at, f.columns(f.table))
	case at == "copy":
		f.assertTables(f.table, f.ghostT(), f.changelogT(), f.checkpointT())
	default:
		// The sentry outlives a killed ghost: it is what made the queued RENAME fail.
		f.assertTables(f.table, f.ghostT(), f.changelogT(), f.checkpointT(), f.oldT())
		if c := f.comment(f.oldT()); c != sentryComment {
			t.Errorf("%s left at %s has comment %q, want the sentry's %q", f.oldT(), at, c, sentryComment)
		}
	}
	if !migrated && !slices.Equal(f.columns(f.table), []string{"id", "v", "s"}) {
		t.Errorf("t has columns %v, want the original's", f.columns(f.table))
	}
	f.assertRows(f.table, res)
	t.Logf("killed at %s: writers committed %d writes, errors: %s", at, res.OK, errorSummary(res.Errors))

	// The rerun drops the ghost and changelog tables, and the old table only when told to:
	// a sentry and a real old table look alike by name, so ghost never drops one unasked.
	f.caughtUp()
	w = f.startWriter(res.Model, writerConfig{Avoid: []int64{heldID}})
	hadOld := f.hasTable(f.oldT())
	rerun := f.startMigrating("rerun", map[string]string{"alter": alterAddWRerun, "initially-drop-ghost-table": ""})
	if hadOld {
		msg := rerun.fail(time.Minute)
		if !strings.Contains(msg, f.oldT()) || !strings.Contains(msg, "--initially-drop-old-table") {
			t.Errorf("rerun over a left %s: error %q should name the table and --initially-drop-old-table", f.oldT(), msg)
		}
		if !f.hasTable(f.oldT()) {
			t.Errorf("the refused rerun dropped %s", f.oldT())
		}
		rerun = f.startMigrating("rerun-drop-old", map[string]string{"alter": alterAddWRerun,
			"initially-drop-ghost-table": "", "initially-drop-old-table": ""})
	}
	rerun.succeed(defaultRunLimit)
	res = w.stop()
	checkWriter(f, res)
	if c := f.columns(f.table); !slices.Contains(c, "w") {
		t.Errorf("after the rerun t has columns %v, want w", c)
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.assertRows(f.table, res)
}

// holdRow locks one row of t on the primary in an open transaction, rolled back at the
// end of the test if the test does not end it first.
func (f *fixture) holdRow(id int64) *sql.Tx {
	f.t.Helper()
	tx, err := f.primary.BeginTx(context.Background(), nil)
	if err != nil {
		f.t.Fatal(err)
	}
	var got int64
	if err := tx.QueryRow("SELECT id FROM "+f.table+" WHERE id = ? FOR UPDATE", id).Scan(&got); err != nil {
		tx.Rollback()
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { tx.Rollback() })
	return tx
}

// waitCopyQuery waits for a copy chunk (INSERT INTO _t_gho ... SELECT) sent after since
// that has been running for a while — waiting on a held row — and returns it.
func (f *fixture) waitCopyQuery(since time.Time) proc {
	f.t.Helper()
	var found proc
	eventually(f.t, 2*time.Minute, "a copy chunk waiting on the held row", func() bool {
		ps, err := processlist(f.primary, "DB = ? AND INFO LIKE ? AND TIME_MS > 300", f.db, "INSERT INTO %"+f.ghostT()+"%")
		if err != nil {
			return false
		}
		for _, p := range ps {
			if time.Duration(p.Time*float64(time.Second)) < time.Since(since) {
				found = p
				return true
			}
		}
		return false
	})
	return found
}
