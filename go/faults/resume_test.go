package faults

import (
	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	reResuming    = regexp.MustCompile(`resuming from checkpoint of [^:]+:[0-9:]+: copy at (\S+|\[[^\]]*\]), binlog at (\S+) \((\d+) rows copied`)
	reFreshStart  = regexp.MustCompile(`msg="an earlier run stopped before its first checkpoint`)
	reRowsCopied  = regexp.MustCompile(`rows copied: (\d+) \(by this run; (\d+) before the resume\)`)
	reCheckpoint  = regexp.MustCompile(`msg="checkpoint written"`)
	reOutageWait  = regexp.MustCompile(`the server is out of reach; waiting it out`)
	reWarning     = regexp.MustCompile(`level=(warning|error)`)
	reCopyAtValue = regexp.MustCompile(`^\[(-?\d+)\]$`)
)

// TestResumeAfterKill migrates a table of 200k rows under 300 writes/s (open loop) and kills
// ghost with SIGKILL at ten random moments: seven during the row copy, three once the copy is
// done (applying, the cut-over postponed). Each time the same command runs again and resumes
// from the last checkpoint (one a second): its copy starts at or after the previous run's
// position, never at the start, and the last run copies fewer rows than the table has and cuts
// over. The migrated table then holds exactly the rows the writers committed.
func TestResumeAfterKill(t *testing.T) {
	f := newFixture(t, topo)
	const rows = 200000
	m := f.createTable(rows)
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4})
	postpone := filepath.Join(f.dir, "postpone")
	// ghost creates the postpone flag file when it starts (as gh-ost does): every killed run
	// names it, so that none cuts over should the copy end early; the last run does not.
	args := func(postponed bool) map[string]string {
		a := map[string]string{
			"checkpoint-seconds": "1",
			"chunk-size":         "100",
			"target-chunk-time":  "0",
			"nice-ratio":         "3",
			"debug":              "",
		}
		if postponed {
			a["postpone-cut-over-flag-file"] = postpone
		}
		return a
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	lastCopyAt := int64(0)
	resumed, midCopy := 0, 0
	for run := 1; run <= 10; run++ {
		inCopy := run <= 7
		g := f.startMigrating("run"+strconv.Itoa(run), args(true))
		if run > 1 {
			switch l, ok := g.find(reResuming); {
			case ok:
				resumed++
				mm := reResuming.FindStringSubmatch(l.text)
				at := int64(0)
				if v := reCopyAtValue.FindStringSubmatch(mm[1]); v != nil {
					at, _ = strconv.ParseInt(v[1], 10, 64)
				} else if mm[1] == "done" {
					at = rows + 1<<40
				}
				if at < lastCopyAt {
					t.Errorf("run %d resumes its copy at %s, before the previous run's %d", run, mm[1], lastCopyAt)
				}
				lastCopyAt = at
				if at <= rows {
					midCopy++
				}
				t.Logf("run %d: %s", run, strings.TrimSpace(l.text))
			default:
				if _, fresh := g.find(reFreshStart); !fresh {
					t.Fatalf("run %d neither resumed nor started afresh; output:\n%s", run, g.output())
				}
				t.Logf("run %d started afresh: run %d was killed before its first checkpoint", run, run-1)
			}
		}
		// Let at least one checkpoint be written, then kill at a random moment.
		g.waitLine(reCheckpoint, time.Minute)
		if !inCopy {
			g.waitLine(rePostponed, 2*time.Minute)
		}
		time.Sleep(time.Duration(200+rng.IntN(1800)) * time.Millisecond)
		if !g.running() {
			t.Fatalf("run %d ended before it was killed; output:\n%s", run, g.output())
		}
		g.kill()
		g.wait(time.Minute)
	}
	if resumed < 9 {
		t.Errorf("%d of 9 reruns resumed from a checkpoint", resumed)
	}
	if midCopy < 3 {
		t.Errorf("only %d reruns resumed in the middle of the row copy; the copy is too fast for this test", midCopy)
	}
	os.Remove(postpone)
	last := f.startMigrating("last", args(false))
	if _, ok := last.find(reResuming); !ok {
		t.Errorf("the last run did not resume; output:\n%s", last.output())
	}
	last.succeed(defaultRunLimit)
	l, ok := last.find(reRowsCopied)
	if !ok {
		t.Fatalf("no summary of rows copied; output:\n%s", last.output())
	}
	mm := reRowsCopied.FindStringSubmatch(l.text)
	byLast, _ := strconv.ParseInt(mm[1], 10, 64)
	if byLast >= rows {
		t.Errorf("the last run copied %d rows, the whole table (%d): it did not resume the copy", byLast, rows)
	}
	t.Logf("last run: %s", strings.TrimSpace(l.text))
	res := w.stop()
	checkWriter(f, res)
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, alterAddW)
	t.Logf("writers committed %d writes; %d reruns resumed", res.OK, resumed)
}

// TestResumeRefusedAndRestarts runs on a topology of its own (it restarts both servers and
// purges binary logs). A run is killed mid-copy; then, in turn:
//   - the same command with another ALTER is refused, naming the ALTER, the tables kept;
//   - the read server (the replica) is restarted while no ghost runs, and the same command
//     resumes from the checkpoint;
//   - the replica, then the primary are restarted (down 0.5s, 2s) while that run copies: the
//     run rides both out;
//   - the primary is down for 8s with --default-retries 3 (a budget of about 0.7s, 5s for
//     heartbeats): the run ends keeping its tables and checkpoint and says to rerun, and
//     the next run resumes;
//   - the binary log of the checkpoint is purged on the read server while no ghost runs:
//     the next run is refused with the file and the server's oldest, the tables kept;
//   - --initially-drop-ghost-table then starts afresh and cuts over.
//
// The migrated table holds exactly the rows the writers committed.
func TestResumeRefusedAndRestarts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topotest.Private(t, topology.Options{}))
	const rows = 100000
	m := f.createTable(rows)
	w := f.startWriter(m, writerConfig{Rate: 200, Workers: 4})
	postpone := filepath.Join(f.dir, "postpone")
	args := func(more ...string) map[string]string {
		a := map[string]string{"checkpoint-seconds": "1", "chunk-size": "100", "target-chunk-time": "0",
			"nice-ratio": "3", "debug": "", "postpone-cut-over-flag-file": postpone}
		for i := 0; i+1 < len(more); i += 2 {
			a[more[i]] = more[i+1]
		}
		return a
	}
	kept := func(when string) {
		t.Helper()
		for _, tb := range []string{f.ghostT(), f.checkpointT()} {
			if !f.hasTable(tb) {
				t.Fatalf("%s: %s is gone; tables: %v", when, tb, f.tables())
			}
		}
	}
	ctx, cancel := f.ctx(3 * time.Minute)
	defer cancel()

	g := f.startMigrating("first", args())
	g.waitLine(reCheckpoint, time.Minute)
	g.kill()
	g.wait(time.Minute)
	kept("after the kill")

	other := f.startMigrating("other-alter", args("alter", "ADD COLUMN w2 INT NOT NULL DEFAULT 8"))
	msg := other.fail(time.Minute)
	if !strings.Contains(msg, "cannot resume from the checkpoint of") || !strings.Contains(msg, "written for another ALTER") {
		t.Errorf("another ALTER: error %q should refuse the checkpoint, naming the ALTER", msg)
	}
	kept("after another ALTER was refused")

	// The read server restarts while no ghost runs.
	if err := f.topo.Restart(ctx, f.topo.Replica, 500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	f.caughtUp()
	g = f.startMigrating("after-replica-restart", args())
	if _, ok := g.find(reResuming); !ok {
		t.Fatalf("no resume after the replica restarted; output:\n%s", g.output())
	}
	g.waitLine(reCheckpoint, time.Minute)

	// The read server restarts while this run copies: the binlog reader reconnects.
	t.Logf("restarting the replica at: %s", g.status())
	if err := f.topo.Restart(ctx, f.topo.Replica, 500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	f.caughtUp()
	if st := g.status(); !strings.Contains(st, "State: migrating") {
		t.Logf("after the replica's restart: %s", st)
	}
	// The primary restarts while this run copies.
	t.Logf("restarting the primary at: %s", g.status())
	if err := f.topo.Restart(ctx, f.topo.Primary, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	// Shorter than the retry budget (--default-retries 10: about 26s): ridden out.
	g.waitLine(rePostponed, 2*time.Minute)
	if n := len(g.findAll(reOutageWait)); n == 0 {
		t.Errorf("the run logged no wait for the primary; did the restart fall in the copy?")
	}
	for i, l := range g.findAll(reWarning) {
		if i < 6 {
			t.Logf("  %s", l.text)
		}
	}
	t.Logf("the run rode out the primary's restart")
	g.kill()
	g.wait(time.Minute)

	// Longer than the retry budget (--default-retries 3: about 0.7s; heartbeats 5s): the run
	// ends keeping its tables and checkpoint, and says to rerun.
	g = f.startMigrating("long-outage", args("default-retries", "3"))
	if _, ok := g.find(reResuming); !ok {
		t.Fatalf("no resume after the kill; output:\n%s", g.output())
	}
	g.waitLine(rePostponed, 2*time.Minute)
	g.waitLine(reCheckpoint, time.Minute)
	if err := f.topo.Restart(ctx, f.topo.Primary, 8*time.Second); err != nil {
		t.Fatal(err)
	}
	msg = g.fail(time.Minute)
	t.Logf("the run ended on the long outage: %s", msg)
	if !strings.Contains(msg, "run the same command again to resume") {
		t.Errorf("error %q should say the checkpoint is kept and how to resume", msg)
	}
	kept("after the long outage")

	g = f.startMigrating("after-long-outage", args())
	if _, ok := g.find(reResuming); !ok {
		t.Fatalf("no resume after the long outage; output:\n%s", g.output())
	}
	g.waitLine(rePostponed, 2*time.Minute)
	g.kill()
	g.wait(time.Minute)

	// The checkpoint's binary log is purged on the read server.
	for range 2 {
		f.exec(f.replica, "FLUSH BINARY LOGS")
	}
	newest := f.newestBinlog()
	// The server keeps a log a binlog reader still holds open (the killed ghost's connection
	// may linger for a moment): purge until the oldest left is the newest.
	eventually(t, time.Minute, "the binary logs to be purged", func() bool {
		f.exec(f.replica, "PURGE BINARY LOGS TO '"+newest+"'")
		if logs := f.binlogs(); len(logs) > 0 && logs[0] == newest {
			return true
		}
		time.Sleep(200 * time.Millisecond)
		return false
	})
	g = f.startMigrating("purged", args())
	msg = g.fail(time.Minute)
	if !strings.Contains(msg, "is no longer on") || !strings.Contains(msg, "its oldest is "+newest) {
		t.Errorf("purged binlog: error %q should name the purged file and the oldest, %s", msg, newest)
	}
	kept("after the purged binlog was refused")

	os.Remove(postpone)
	last := f.startMigrating("afresh", args("initially-drop-ghost-table", "", "postpone-cut-over-flag-file", "-"))
	if _, ok := last.find(reResuming); ok {
		t.Errorf("--initially-drop-ghost-table resumed")
	}
	last.succeed(defaultRunLimit)
	res := w.stop()
	// The primary's restarts break writers' connections mid-commit: such a write's outcome is
	// unknown (its id is left out of the row check), and writing that id again may meet the
	// row it did commit (1062). Errors of the writers' own, not of ghost.
	checkWriter(f, res, loadgen.CodeConn, loadgen.CodeNet, loadgen.CodeOther, "1927", "1053", "2013", "2006", loadgen.ErrDupEntry)
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.assertRows(f.table, res)
}

var reResumedByGTID = regexp.MustCompile(`resuming from checkpoint of [^:]+:[0-9:]+: copy at (\S+), binlog at GTID (\d+-\d+-\d+[0-9,-]*) \(written on `)

// TestResumeOnAnotherServer: a run reading the replica is killed mid-copy; the same migration
// then reads the primary instead (--allow-on-master): the checkpoint's file and offset mean
// nothing there, and the run resumes from its MariaDB GTID position, copying on from the
// checkpoint. The migrated table holds exactly the rows the writers committed.
func TestResumeOnAnotherServer(t *testing.T) {
	f := newFixture(t, topo)
	const rows = 60000
	m := f.createTable(rows)
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4})
	args := map[string]string{"checkpoint-seconds": "1", "chunk-size": "100", "target-chunk-time": "0", "nice-ratio": "3", "debug": ""}
	g := f.startMigrating("on-replica", args)
	g.waitLine(reCheckpoint, time.Minute)
	time.Sleep(1500 * time.Millisecond)
	g.kill()
	g.wait(time.Minute)
	for _, tb := range []string{f.ghostT(), f.checkpointT()} {
		if !f.hasTable(tb) {
			t.Fatalf("after the kill %s is gone; tables: %v", tb, f.tables())
		}
	}
	onPrimary := map[string]string{"host": f.topo.Primary.Host, "port": strconv.Itoa(f.topo.Primary.Port), "allow-on-master": "",
		"checkpoint-seconds": "1", "debug": ""}
	g = f.startMigrating("on-primary", onPrimary)
	l, ok := g.find(reResumedByGTID)
	if !ok {
		t.Fatalf("the run on the primary did not resume by GTID; output:\n%s", g.output())
	}
	t.Logf("%s", strings.TrimSpace(l.text))
	mm := reResumedByGTID.FindStringSubmatch(l.text)
	if v := reCopyAtValue.FindStringSubmatch(mm[1]); v == nil {
		t.Errorf("the resumed copy is at %s, want a key inside the table", mm[1])
	}
	g.succeed(3 * time.Minute)
	if mm := reRowsCopied.FindStringSubmatch(g.output()); mm == nil {
		t.Errorf("no summary of rows copied:\n%s", g.output())
	} else if n, _ := strconv.Atoi(mm[1]); n >= rows {
		t.Errorf("the resumed run copied %d rows, want fewer than the table's %d", n, rows)
	}
	res := w.stop()
	checkWriter(f, res)
	f.assertTables(f.table, f.oldT(), f.checkpointT())
	f.caughtUp()
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, alterAddW)
}
