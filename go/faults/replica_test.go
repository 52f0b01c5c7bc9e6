package faults

import (
	"context"
	"fmt"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	reThrottledLag = regexp.MustCompile(`State: throttled, lag=`)
	reLag          = regexp.MustCompile(`; Lag: ([0-9.]+)s`)
	reCopied       = regexp.MustCompile(`^Copy: (\d+)/`)
	reBacklogFull  = regexp.MustCompile(`Backlog: (\d+)/(\d+)`)
)

// TestReplicaStopped stops the replica's SQL thread (the replica ghost reads) twice: during
// the copy, which then stops and says why in the status line ("throttled, lag="), and
// after it, when the cut-over must wait: ghost never starts a cut-over while the replica
// lags more than --max-lag-millis, and swaps only after START SLAVE.
func TestReplicaStopped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topotest.Private(t, topology.Options{}))
	const heldID = 2500
	m := f.createTable(5000)
	w := f.startWriter(m, writerConfig{Avoid: []int64{heldID}})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	// A held row stops the copy at a known chunk until the replica lags. (Starting ghost
	// with its throttle flag file in place would be simpler, but see TestStartThrottled.)
	blocker := f.holdRow(heldID)
	g := f.startMigrating("lag", map[string]string{
		"postpone-cut-over-flag-file": postpone,
		"max-lag-millis":              "1000",
		"chunk-size":                  "500",
		"copy":                        "locking", // it waits for the held row
	})
	f.waitCopyQuery(time.Time{})

	// During the copy.
	f.exec(f.replica, "STOP SLAVE SQL_THREAD")
	stopped := true
	defer func() {
		if stopped {
			f.exec(f.replica, "START SLAVE SQL_THREAD")
		}
	}()
	// Well above the maximum: the throttle decision is collected from the lag every
	// 100ms and may trail the status line on a busy machine.
	eventually(t, time.Minute, "replica lag above 2s in the status line", func() bool {
		return lagOf(g.status()) > 2
	})
	if err := blocker.Commit(); err != nil {
		t.Fatal(err)
	}
	var st string
	eventually(t, time.Minute, "status: throttled, lag=", func() bool {
		st = g.status()
		return reThrottledLag.MatchString(st)
	})
	t.Logf("replica stopped during the copy: %s", st)
	before := copied(t, st)
	time.Sleep(2 * time.Second)
	if st2 := g.status(); copied(t, st2) != before || !reThrottledLag.MatchString(st2) {
		t.Errorf("copy went on while the replica lagged: %q then %q", st, st2)
	}
	if _, ok := g.awaitLine(reThrottledLag, 10*time.Second); !ok {
		t.Errorf("no status line on stdout says throttled, lag=")
	}
	f.exec(f.replica, "START SLAVE SQL_THREAD")
	stopped = false
	g.waitLine(rePostponed, 2*time.Minute)

	// At the cut-over.
	f.exec(f.replica, "STOP SLAVE SQL_THREAD")
	stopped = true
	eventually(t, time.Minute, "replica lag above 2s in the status line", func() bool {
		return lagOf(g.status()) > 2
	})
	remove(t, postpone)
	eventually(t, time.Minute, "the cut-over to wait for the lag", func() bool {
		st = g.status()
		return reThrottledLag.MatchString(st)
	})
	t.Logf("replica stopped at the cut-over: %s", st)
	hold := time.Now().Add(3 * time.Second)
	for time.Now().Before(hold) {
		if f.hasTable(f.oldT()) || slices.Contains(f.columns(f.table), "w") {
			t.Fatalf("ghost began the cut-over while the replica lagged %.1fs", lagOf(g.status()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	resumed := time.Now()
	f.exec(f.replica, "START SLAVE SQL_THREAD")
	stopped = false
	g.succeed(defaultRunLimit)
	done, ok := g.find(reCutOverDone)
	if !ok || done.at.Before(resumed) {
		t.Errorf("cut-over complete at %s, replication resumed at %s: want it after", done.at.Format("15:04:05.000"), resumed.Format("15:04:05.000"))
	}
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)
	f.assertRows(f.table, res)
}

func copied(t *testing.T, status string) int64 {
	t.Helper()
	return statusCount(t, reCopied, status, "copy count")
}

// statusCount is the number re's first group finds in a status line (what names it).
func statusCount(t *testing.T, re *regexp.Regexp, status, what string) int64 {
	t.Helper()
	m := re.FindStringSubmatch(status)
	if m == nil {
		t.Fatalf("no %s in status %q", what, status)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func lagOf(status string) float64 {
	m := reLag.FindStringSubmatch(status)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestPurgedBinlogs purges the binary logs ghost still has to read: ghost is throttled
// (interactive command) so that its backlog fills and its reader stops at an old
// position; the dump connection is killed, the logs rotated and purged up to the newest,
// and the throttle lifted. ghost must find that it cannot resume where it stopped, fail
// with a clear error, never cut over, and leave nothing behind.
func TestPurgedBinlogs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topotest.Private(t, topology.Options{}))
	const heldID = 1000
	m := f.createTable(2000)
	w := f.startWriter(m, writerConfig{Workers: 2, Pause: time.Millisecond, Avoid: []int64{heldID}})
	// A held row keeps the copy from finishing before the throttle command is in.
	blocker := f.holdRow(heldID)
	g := f.startMigrating("purged", map[string]string{"chunk-size": "500", "copy": "locking"}) // the locking copy waits for the held row
	f.waitCopyQuery(time.Time{})
	if r := g.send("throttle"); strings.HasPrefix(r, "ERROR") {
		t.Fatalf("throttle: %s", r)
	}
	// The command takes effect at the throttler's next collection (every 100ms), not at
	// once; the status line can only say so once the held chunk is through (the applier
	// waits behind its locks), so give it a few collections.
	time.Sleep(500 * time.Millisecond)
	if err := blocker.Commit(); err != nil {
		t.Fatal(err)
	}
	var st string
	eventually(t, 2*time.Minute, "the backlog to fill while throttled", func() bool {
		st = g.status()
		b := reBacklogFull.FindStringSubmatch(st)
		return b != nil && b[1] == b[2] && strings.Contains(st, "throttled")
	})
	t.Logf("throttled, backlog full: %s", st)

	f.exec(f.replica, "FLUSH BINARY LOGS") // the reader's file is no longer the newest
	var id int64
	eventually(t, time.Minute, "ghost's binlog dump connection", func() bool {
		ps, err := processlist(f.replica, "COMMAND = 'Binlog Dump'")
		if err != nil || len(ps) != 1 {
			return false
		}
		id = ps[0].ID
		return true
	})
	f.exec(f.replica, fmt.Sprintf("KILL %d", id))
	eventually(t, time.Minute, "the dump connection to go", func() bool {
		ps, err := processlist(f.replica, "COMMAND = 'Binlog Dump'")
		return err == nil && len(ps) == 0
	})
	for range 3 {
		f.exec(f.replica, "FLUSH BINARY LOGS")
	}
	// ghost's reader may reconnect before the purge runs, and the server keeps a
	// log a dump thread is reading: kill such a connection again and repeat.
	var newest string
	eventually(t, time.Minute, "the replica's binary logs purged to the newest", func() bool {
		if ps, err := processlist(f.replica, "COMMAND = 'Binlog Dump'"); err == nil {
			for _, p := range ps {
				f.replica.Exec(fmt.Sprintf("KILL %d", p.ID))
			}
		}
		newest = f.newestBinlog()
		f.exec(f.replica, "PURGE BINARY LOGS TO '"+newest+"'")
		return len(f.binlogs()) == 1
	})
	t.Logf("purged the replica's binary logs up to %s", newest)
	if r := g.send("no-throttle"); strings.HasPrefix(r, "ERROR") {
		t.Fatalf("no-throttle: %s", r)
	}
	msg := g.fail(2 * time.Minute)
	t.Logf("ghost: %s", msg)
	if !strings.Contains(msg, "purged") {
		t.Errorf("error %q should say the binary log was purged", msg)
	}
	if _, ok := g.find(reCutOverDone); ok {
		t.Errorf("ghost cut over")
	}
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)
	if c := f.columns(f.table); !slices.Equal(c, []string{"id", "v", "s"}) {
		t.Errorf("t has columns %v, want the original's", c)
	}
	f.assertTables(f.table)
	f.assertRows(f.table, res)
}

func (f *fixture) binlogs() []string {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := f.replica.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		var name string
		vals[0] = &name
		for i := 1; i < len(cols); i++ {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

func (f *fixture) newestBinlog() string {
	f.t.Helper()
	logs := f.binlogs()
	if len(logs) == 0 {
		f.t.Fatal("no binary logs on the replica")
	}
	return logs[len(logs)-1]
}

// TestStartThrottled starts ghost with its throttle flag file in place, as an operator does
// to prepare a migration and let it go later, and keeps it there for longer than the 30s
// ghost allows its first heartbeat to come back: ghost must wait, throttled, and migrate
// once the file is removed.
func TestStartThrottled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	m := f.createTable(1000)
	w := f.startWriter(m, writerConfig{})
	flag := filepath.Join(f.dir, "throttle")
	touch(t, flag)
	// Not startMigrating: a throttled ghost does not enter the state migrating.
	g := f.startGhost("throttled", map[string]string{"throttle-flag-file": flag})
	until := time.Now().Add(35 * time.Second)
	for time.Now().Before(until) {
		if !g.running() {
			t.Fatalf("ghost started throttled gave up after %s: %s", time.Since(g.started).Round(time.Second), g.errorLine())
		}
		time.Sleep(500 * time.Millisecond)
	}
	if st := g.status(); !strings.Contains(st, "throttled") {
		t.Errorf("status %q should say throttled", st)
	}
	remove(t, flag)
	g.succeed(defaultRunLimit)
	res := w.stop()
	checkWriter(f, res)
	f.assertRows(f.table, res)
}
