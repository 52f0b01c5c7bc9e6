package faults

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	reWaiting = regexp.MustCompile(`msg="cut-over waiting: connection (\d+) `)
	reKilling = regexp.MustCompile(`msg="--force-cut-over-after: killing a session that blocks the cut-over".* connection=(\d+)`)
	// The checksum's consistent point, before the cut-over, is the first to write a marker.
	reMarkerRetry = regexp.MustCompile(`msg="(cut-over|checksum's consistent point): the in-band marker failed; trying again"`)
	reCleaningUp  = regexp.MustCompile(`msg=state .*state="cleaning up"`)
)

// blockerCase is one run of the blocker scenario.
type blockerCase struct {
	name  string
	extra map[string]string
	force time.Duration // --force-cut-over-after; 0: off
	exact bool          // the server shows metadata locks (the plugin is loaded)
}

// TestCutOverBlocker is the DBA's scenario of a long read transaction at cut-over time: while
// the cut-over is due, a reporting session holds a read transaction on the table for 15 s
// (BEGIN; SELECT ... WHERE id = 1; DO SLEEP(15); COMMIT), --cut-over-lock-timeout-seconds 2,
// 8 writers. ghost must not lock while the blocker lives (with the metadata lock plugin it
// never tries; without, after one timed-out attempt it waits for the transactions open then),
// so no writer waits longer than the lock timeout + 0.5 s, the swap follows the blocker's end
// within seconds, and no row is lost. With --force-cut-over-after 5s the blocker is killed and
// the swap is done within 5 s + the lock timeout.
//
// The subtests run one after another: loading the plugin is server-wide.
func TestCutOverBlocker(t *testing.T) {
	t.Cleanup(func() { topo.Primary.Exec(context.Background(), "UNINSTALL SONAME 'metadata_lock_info'") })
	for _, c := range []blockerCase{
		{name: "transactions"},
		{name: "metadata-locks", exact: true, extra: map[string]string{"allow-setup-metadata-lock-instruments": ""}},
		{name: "force", exact: true, force: 5 * time.Second,
			extra: map[string]string{"allow-setup-metadata-lock-instruments": "", "force-cut-over-after": "5s"}},
	} {
		t.Run(c.name, func(t *testing.T) { testCutOverBlocker(t, c) })
	}
}

func testCutOverBlocker(t *testing.T, c blockerCase) {
	const lockTimeout = 2 * time.Second
	const blockFor = 15 * time.Second
	if !c.exact {
		if err := topo.Primary.Exec(t.Context(), "UNINSTALL SONAME 'metadata_lock_info'"); err != nil && !strings.Contains(err.Error(), "1305") {
			t.Logf("uninstall metadata_lock_info: %v", err)
		}
	}
	f := newFixture(t, topo)
	m := f.createTable(3000)
	// 300 writes/s on 8 connections, open loop: a write's latency counts from when it was due.
	w := f.startWriter(m, writerConfig{Workers: 8, Rate: 300, Avoid: []int64{1}})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	extra := map[string]string{
		"postpone-cut-over-flag-file":   postpone,
		"cut-over-lock-timeout-seconds": strconv.Itoa(int(lockTimeout / time.Second)),
		"default-retries":               "5",
	}
	for k, v := range c.extra {
		extra[k] = v
	}
	g := f.startMigrating("blocker-"+c.name, extra)
	g.waitLine(rePostponed, 2*time.Minute)

	ctx := context.Background()
	conn, err := f.primary.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var holder int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&holder); err != nil {
		t.Fatal(err)
	}
	var v int64
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT v FROM "+f.table+" WHERE id = 1").Scan(&v); err != nil {
		t.Fatal(err)
	}
	blockerDone := make(chan error, 1)
	go func() {
		_, err := conn.ExecContext(ctx, fmt.Sprintf("DO SLEEP(%d)", int(blockFor/time.Second)))
		if err == nil {
			_, err = conn.ExecContext(ctx, "COMMIT")
		}
		blockerDone <- err
	}()
	time.Sleep(1500 * time.Millisecond) // older than ghost's minimum age of a blocker
	start := time.Now()
	remove(t, postpone)

	// The socket's status names the blocker while the cut-over waits for it.
	want := fmt.Sprintf("cut-over waiting: connection %d ", holder)
	eventually(t, 10*time.Second, "status naming the blocker", func() bool { return strings.Contains(g.status(), want) })

	var blockerEnd time.Time
	select {
	case err := <-blockerDone:
		blockerEnd = time.Now()
		if c.force > 0 {
			if err == nil {
				t.Errorf("the blocker committed: it should have been killed by --force-cut-over-after")
			}
		} else if err != nil {
			t.Fatalf("blocker: %v", err)
		}
	case <-time.After(blockFor + 30*time.Second):
		t.Fatal("the blocker never ended")
	}
	g.succeed(defaultRunLimit)
	end := time.Now()
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)

	done, _ := g.find(reCutOverDone)
	attempts := g.findAll(reAttemptFail)
	worst := res.Stats.Longest(start, end)
	t.Logf("%s: blocker %d lived %s after the cut-over was due; cut-over done %s after it ended; %d failed attempts; writers' max latency %s over %d writes",
		c.name, holder, blockerEnd.Sub(start).Round(time.Millisecond), done.at.Sub(blockerEnd).Round(time.Millisecond),
		len(attempts), worst.Round(time.Millisecond), w.okSince(start))
	if limit := lockTimeout + 500*time.Millisecond; worst > limit {
		t.Errorf("a write waited %s while the blocker lived; want at most the lock timeout + 0.5s = %s", worst, limit)
	}
	switch {
	case c.force > 0:
		killed := g.findAll(reKilling)
		if len(killed) == 0 || !slices.ContainsFunc(killed, func(l line) bool { return strings.Contains(l.text, "connection="+strconv.FormatInt(holder, 10)) }) {
			t.Errorf("no log line says connection %d was killed", holder)
		}
		if d := done.at.Sub(start); d > c.force+lockTimeout+2*time.Second {
			t.Errorf("the forced cut-over took %s after it was due; want about %s + %s", d, c.force, lockTimeout)
		}
		if blockerEnd.Sub(start) > c.force+3*time.Second {
			t.Errorf("the blocker lived %s; --force-cut-over-after %s should have killed it", blockerEnd.Sub(start), c.force)
		}
	default:
		if d := done.at.Sub(blockerEnd); d > 4*time.Second {
			t.Errorf("the cut-over came %s after the blocker ended; want within a few seconds", d)
		}
		if blockerEnd.Sub(start) < blockFor-3*time.Second {
			t.Errorf("the blocker ended after %s, before its %s: was it killed?", blockerEnd.Sub(start), blockFor)
		}
	}
	if c.exact && len(attempts) > 0 {
		t.Errorf("%d attempts failed; with metadata locks visible ghost should not lock into the blocker", len(attempts))
	}
	if !c.exact && len(attempts) > 1 {
		t.Errorf("%d attempts failed; after the first timed-out attempt ghost should wait for the open transactions", len(attempts))
	}
	if cols := f.columns(f.table); !slices.Contains(cols, "w") {
		t.Errorf("t has columns %v, want w", cols)
	}
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.assertRows(f.table, res)
}

// TestMarkerRowLocked and TestMarkerNeverArrives make the cut-over's in-band marker fail in
// the two ways it can: the changelog row cannot be written (a session holds its lock), and the
// marker never comes back through the binlog ghost reads (the replica stopped applying, with
// --max-lag-millis high enough that lag does not throttle first). Either must end in an error
// exit after the marker's retries, with the original table in place and ghost's tables
// removed, never in "Done".
func TestMarkerRowLocked(t *testing.T) {
	t.Parallel()
	testMarkerFailure(t, "locked")
}

// TestMarkerNeverArrives is not parallel: it stops the replica every test of the package reads.
func TestMarkerNeverArrives(t *testing.T) {
	testMarkerFailure(t, "stopped")
}

func testMarkerFailure(t *testing.T, how string) {
	f := newFixture(t, topo)
	m := f.createTable(2000)
	w := f.startWriter(m, writerConfig{})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	extra := map[string]string{
		"postpone-cut-over-flag-file":   postpone,
		"cut-over-lock-timeout-seconds": "1",
	}
	if how == "stopped" {
		extra["max-lag-millis"] = "600000"
	}
	g := f.startMigrating("marker-"+how, extra)
	g.waitLine(rePostponed, 2*time.Minute)

	ctx := context.Background()
	var release func()
	switch how {
	case "locked":
		// The state row (id 2) does not exist until the first marker: a locking read of it
		// takes the gap lock that the marker's INSERT must wait for.
		tx, err := f.primary.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		release = func() { tx.Rollback() }
		var n int
		if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM `%s` WHERE id >= 2 FOR UPDATE", f.changelogT())).Scan(&n); err != nil {
			t.Fatal(err)
		}
	case "stopped":
		if err := f.topo.Replica.Exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.topo.Replica.Exec(context.Background(), "START SLAVE SQL_THREAD") })
	}
	remove(t, postpone)
	if release != nil {
		// The cleanup's DROP of the changelog table waits for the lock too: let it go once
		// ghost has given up.
		g.waitLine(reCleaningUp, 2*time.Minute)
		release()
	}
	msg := g.fail(3 * time.Minute)
	if !strings.Contains(msg, "cannot confirm that every change reached the ghost table") {
		t.Errorf("error %q should say the marker failed", msg)
	}
	if strings.Contains(g.output(), "Done:") {
		t.Errorf("ghost printed Done without a swap")
	}
	if n := len(g.findAll(reMarkerRetry)); n != markerTries-1 {
		t.Errorf("%d marker retries logged, want %d", n, markerTries-1)
	}
	if how == "stopped" {
		if err := f.topo.Replica.Exec(ctx, "START SLAVE SQL_THREAD"); err != nil {
			t.Fatal(err)
		}
	}
	res := w.stop()
	checkWriter(f, res)
	if c := f.columns(f.table); !slices.Equal(c, []string{"id", "v", "s"}) {
		t.Errorf("t has columns %v, want the original's", c)
	}
	f.caughtUp()
	f.assertTables(f.table)
	f.assertRows(f.table, res)
}

// markerTries is go/migration's markerFailures.
const markerTries = 3
