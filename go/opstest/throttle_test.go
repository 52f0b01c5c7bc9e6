package opstest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// TestThrottleFlagFile: while --throttle-flag-file exists the copy stands still and
// the status says why; once it is removed the copy moves again and completes.
func TestThrottleFlagFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	flagFile := filepath.Join(f.dir, "throttle.flag")
	g := f.run(append(slowCopy, "--throttle-flag-file", flagFile)...)
	g.copying(50)

	touch(t, flagFile)
	s := g.eventually("throttled by the flag file", 10*time.Second, func(s status) bool {
		return s.State == "throttled, flag-file "+flagFile+" exists"
	})
	n := g.frozen()
	if st := g.send("status"); !strings.Contains(st, "# throttle-flag-file: "+flagFile+" [exists]") {
		t.Errorf("status does not show the flag file as existing:\n%s", st)
	}
	if s.Copied >= int64(f.rows) {
		t.Fatalf("copy complete before the throttle could be observed: %s", s.Line)
	}

	remove(t, flagFile)
	g.growing(n)
	if s := g.sup(); strings.HasPrefix(s.State, "throttled") {
		t.Errorf("still throttled after removing the flag file: %s", s.Line)
	}
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestThrottleAdditionalFlagFile: the shared flag file (here the test's own, not
// /tmp/ghost.throttle) throttles the same way.
func TestThrottleAdditionalFlagFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	shared := filepath.Join(f.dir, "ghost.throttle") // what baseArgs passes
	g := f.run(slowCopy...)
	g.copying(50)
	touch(t, shared)
	g.eventually("throttled by the additional flag file", 10*time.Second, func(s status) bool {
		return s.State == "throttled, flag-file "+shared+" exists"
	})
	n := g.frozen()
	remove(t, shared)
	g.growing(n)
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestThrottleCommand: "throttle" freezes the copy until "no-throttle".
func TestThrottleCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(slowCopy...)
	g.copying(50)

	reply := g.expectOK("throttle")
	if !strings.Contains(reply, "Throttled by user") {
		t.Errorf("throttle reply: %q", reply)
	}
	g.eventually("throttled by user", 10*time.Second, func(s status) bool { return s.State == "throttled, commanded by user" })
	n := g.frozen()

	g.expectOK("no-throttle")
	g.growing(n)

	// The aliases do the same.
	g.expectOK("pause")
	g.eventually("throttled by user (pause)", 10*time.Second, func(s status) bool { return s.State == "throttled, commanded by user" })
	n = g.frozen()
	g.expectOK("resume")
	g.growing(n)

	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestThrottleStopsEveryCopier: with --threads 4 a throttle freezes the row count,
// so no copy connection goes on past the chunk it had in hand.
func TestThrottleStopsEveryCopier(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(append(append([]string{}, slowCopy...), "--threads", "4")...)
	g.copying(50)
	g.expectOK("throttle")
	g.eventually("throttled by user", 10*time.Second, func(s status) bool { return s.State == "throttled, commanded by user" })
	n := g.frozen()
	g.expectOK("no-throttle")
	g.growing(n)
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestDDLInOtherDatabase: statements on a table of the same name in another
// database are no business of the migration and must not stop it. (They used to:
// go/migration/loops.go mentionsTable matched the bare table name anywhere in the
// statement, and startStreaming's WatchStatement ignored the statement's schema.
// Fixed by f6856fc.)
func TestDDLInOtherDatabase(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 5000)
	other, otherDB := topotest.NewDatabase(t, topo)
	g := f.run(slowCopy...)
	g.copying(20)
	for _, q := range []string{
		"CREATE TABLE " + f.table + " (id INT PRIMARY KEY)",
		"INSERT INTO " + f.table + " VALUES (1)",
		"ALTER TABLE " + f.table + " ADD COLUMN x INT",
		"RENAME TABLE " + dbconn.QuoteTable(otherDB, f.table) + " TO " + dbconn.QuoteTable(otherDB, "moved"),
		"DROP TABLE moved",
	} {
		f.exec(other, q)
		time.Sleep(500 * time.Millisecond) // the statement reaches ghost through the replica's binlog
		if !g.running() {
			t.Fatalf("ghost stopped after %q in database %s: %s", q, otherDB, errorLine(g.stderr.String()))
		}
	}
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestStartThrottled: a migration started while a throttle flag file exists waits,
// however long, without copying, and migrates once the file is gone. gh-ost is
// commonly started this way to be released later. (ghost used to give up after
// 30 s: applyLoop waits for the throttle before handling any transaction,
// heartbeats included, so startStreaming never saw its first heartbeat; fixed by
// b794853.)
func TestStartThrottled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 2000)
	flagFile := filepath.Join(f.dir, "throttle.flag")
	touch(t, flagFile)
	g := f.start("--throttle-flag-file", flagFile)
	g.eventually("throttled by the flag file", 30*time.Second, func(s status) bool {
		return s.State == "throttled, flag-file "+flagFile+" exists"
	})
	// Held longer than ghost's 30 s wait for the first heartbeat.
	hold := time.Now().Add(40 * time.Second)
	for time.Now().Before(hold) {
		time.Sleep(2 * time.Second)
		if !g.running() {
			t.Fatalf("ghost stopped while throttled from the start: %s", errorLine(g.stderr.String()))
		}
		if s := g.sup(); s.Copied != 0 {
			t.Fatalf("rows copied while throttled: %s", s.Line)
		}
	}
	if n := f.count(f.primary, f.ghostTbl); n != 0 {
		t.Errorf("%d rows in %s while throttled from the start", n, f.ghostTbl)
	}
	remove(t, flagFile)
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestMaxLoad: a --max-load threshold that is exceeded throttles; raising it over
// the socket resumes; lowering it again throttles again.
func TestMaxLoad(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	// Threads_running is at least 1 while ghost's own SHOW GLOBAL STATUS runs, so a
	// threshold of 1 is always reached.
	g := f.start(append(slowCopy, "--max-load", "Threads_running=1")...)
	s := g.eventually("throttled by max-load", 60*time.Second, func(s status) bool {
		return strings.HasPrefix(s.State, "throttled, max-load Threads_running=")
	})
	if !strings.HasSuffix(s.State, ">= 1") {
		t.Errorf("max-load reason %q does not name the threshold", s.State)
	}
	time.Sleep(1500 * time.Millisecond)
	if s := g.sup(); s.Copied != 0 {
		t.Errorf("rows copied under --max-load: %s", s.Line)
	}
	if r := strings.TrimSpace(g.send("max-load=?")); r != "Threads_running=1" {
		t.Errorf("max-load=? = %q, want Threads_running=1", r)
	}
	g.expectOK("max-load=Threads_connected=100000")
	if r := strings.TrimSpace(g.send("max-load=?")); r != "Threads_connected=100000" {
		t.Errorf("max-load=? = %q after setting it", r)
	}
	g.growing(0)

	g.expectOK("max-load=Threads_running=1,Threads_connected=100000")
	g.eventually("throttled by max-load set over the socket", 10*time.Second, func(s status) bool {
		return strings.HasPrefix(s.State, "throttled, max-load Threads_running=")
	})
	n := g.frozen()
	g.expectOK("max-load=")
	if r := strings.TrimSpace(g.send("max-load=?")); r != "" {
		t.Errorf("max-load=? = %q after clearing it", r)
	}
	g.growing(n)
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}

// TestCriticalLoadAborts: critical load, given as a flag, ends the run at once with
// an error naming it, and leaves the table as it was.
func TestCriticalLoadAborts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 5000)
	g := f.start(append(slowCopy, "--critical-load", "Threads_running=1")...)
	line := g.fail(60 * time.Second)
	if !strings.Contains(line, "critical-load") || !strings.Contains(line, "Threads_running") {
		t.Errorf("error does not name critical-load: %q", line)
	}
	f.assertUntouched()
}

// TestCriticalLoadSetAtRunTime: critical-load set over the socket during the copy
// aborts the run.
func TestCriticalLoadSetAtRunTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(slowCopy...)
	g.copying(30)
	reply := g.send("critical-load=Threads_running=1")
	start := time.Now()
	line := g.fail(30 * time.Second)
	if time.Since(start) > 10*time.Second {
		t.Errorf("ghost took %s to abort on critical load", time.Since(start))
	}
	if !strings.Contains(line, "critical-load") {
		t.Errorf("error does not name critical-load: %q (reply to the command: %q)", line, reply)
	}
	f.assertUntouched()
}

// TestCriticalLoadHibernates: with --critical-load-hibernate-seconds, critical load
// pauses the migration instead of ending it; once the load is gone it completes.
func TestCriticalLoadHibernates(t *testing.T) {
	t.Parallel()
	t.Run("from the flag", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, topo, 2000)
		g := f.start("--critical-load", "Threads_running=1", "--critical-load-hibernate-seconds", "1")
		g.eventually("hibernating", 60*time.Second, func(s status) bool { return s.State == "throttled, critical-load hibernation" })
		time.Sleep(3 * time.Second) // several hibernations: each ends, finds the load, starts again
		s := g.sup()
		if !g.running() || s.Copied != 0 {
			t.Fatalf("not hibernating 3s later: running %v, %s", g.running(), s.Line)
		}
		g.expectOK("critical-load=")
		g.succeed(2 * time.Minute)
		f.assertMigrated(f.before)
	})
	t.Run("during the copy", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, topo, 20000)
		g := f.run(append(slowCopy, "--critical-load-hibernate-seconds", "2")...)
		g.copying(30)
		g.expectOK("critical-load=Threads_running=1")
		g.eventually("hibernating", 10*time.Second, func(s status) bool { return s.State == "throttled, critical-load hibernation" })
		n := g.frozen()
		time.Sleep(2500 * time.Millisecond)
		if s := g.sup(); !g.running() || s.Copied != n {
			t.Fatalf("not still hibernating after the first hibernation: %s", s.Line)
		}
		g.expectOK("critical-load=Threads_connected=100000")
		g.growing(n)
		g.speedUp()
		g.succeed(2 * time.Minute)
		f.assertMigrated(f.before)
	})
}

// TestThrottleQuery: a throttle query set at run time throttles while it returns
// more than zero.
func TestThrottleQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(slowCopy...)
	g.copying(30)
	g.expectOK("throttle-query=SELECT 1")
	if r := strings.TrimSpace(g.send("throttle-query=?")); r != "SELECT 1" {
		t.Errorf("throttle-query=? = %q, want SELECT 1", r)
	}
	g.eventually("throttled by the throttle query", 10*time.Second, func(s status) bool {
		return s.State == "throttled, throttle-query returned 1"
	})
	n := g.frozen()
	g.expectOK("throttle-query=SELECT 0")
	g.growing(n)
	g.expectOK("throttle-query=")
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}
