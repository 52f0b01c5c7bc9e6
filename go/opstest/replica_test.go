package opstest

import (
	"context"
	"fmt"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
)

// replicaExec runs a statement on the topology's replica.
func replicaExec(t *testing.T, tp *topology.Topology, q string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := tp.Replica.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
}

// replicaThreads reports whether the replica's IO and SQL threads run.
func replicaThreads(t *testing.T, tp *topology.Topology) (io, sqlThread bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := tp.Replica.ReplicaStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st.IORunning, st.SQLRunning
}

// ensureReplicating starts replication again at the end of a test that stops it,
// whatever happened, so the next test on the topology finds it running.
func ensureReplicating(t *testing.T, tp *topology.Topology) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := tp.Replica.Exec(ctx, "START SLAVE"); err != nil {
			t.Errorf("start replication again: %v", err)
		}
	})
}

// TestReplication covers what stops replication on the replica ghost inspects: lag
// throttling, a start while the replica lags, --test-on-replica and
// --migrate-on-replica. It has a topology of its own, so other tests are not
// throttled or broken meanwhile; its subtests run one after the other.
func TestReplication(t *testing.T) {
	t.Parallel()
	tp := topotest.Private(t, topology.Options{Dir: t.TempDir(), ExtraArgs: serverArgs()})

	t.Run("lag throttles and holds the cut-over", func(t *testing.T) {
		ensureReplicating(t, tp)
		f := newFixture(t, tp, 20000)
		flagFile := filepath.Join(f.dir, "postpone.flag")
		touch(t, flagFile)
		g := f.run(append(slowCopy, "--max-lag-millis", "500", "--heartbeat-interval-millis", "100", "--postpone-cut-over-flag-file", flagFile)...)
		if r := strings.TrimSpace(g.send("max-lag-millis=?")); r != "500" {
			t.Fatalf("max-lag-millis=? = %q, want 500", r)
		}
		g.copying(30)

		replicaExec(t, tp, "STOP SLAVE SQL_THREAD")
		g.eventually("throttled by lag", 20*time.Second, func(s status) bool { return strings.HasPrefix(s.State, "throttled, lag=") })
		n := g.frozen()
		replicaExec(t, tp, "START SLAVE SQL_THREAD")
		g.growing(n)

		// The copy completes; the cut-over is held by the flag file, then by lag.
		g.speedUp()
		g.eventually("postponing cut-over", 2*time.Minute, func(s status) bool { return s.State == "postponing cut-over" })
		replicaExec(t, tp, "STOP SLAVE SQL_THREAD")
		time.Sleep(time.Second) // lag passes 500ms
		remove(t, flagFile)
		g.eventually("cut-over throttled by lag", 20*time.Second, func(s status) bool { return strings.HasPrefix(s.State, "throttled, lag=") })
		for range 5 {
			time.Sleep(time.Second)
			if !g.running() {
				t.Fatalf("ghost exited while the replica lagged: %d %s", g.exitCode, errorLine(g.stderr.String()))
			}
			f.assertNotCutOver()
		}
		replicaExec(t, tp, "START SLAVE SQL_THREAD")
		g.succeed(2 * time.Minute)
		f.assertMigrated(f.before)
	})

	// A replica lagging by a moment when ghost starts is normal. (ghost used to read
	// its own CREATE TABLE _gho LIKE <table> back from the replica's binlog, after
	// the position it started from, and abort on it as if someone altered the table;
	// fixed by f6856fc.)
	t.Run("start while the replica lags", func(t *testing.T) {
		ensureReplicating(t, tp)
		f := newFixture(t, tp, 3000)
		replicaExec(t, tp, "STOP SLAVE SQL_THREAD")
		g := f.start("--chunk-size", "1000")
		time.Sleep(3 * time.Second) // ghost has created its tables on the primary; the replica has not
		replicaExec(t, tp, "START SLAVE SQL_THREAD")
		g.succeed(2 * time.Minute)
		f.assertMigrated(f.before)
	})

	t.Run("test-on-replica", func(t *testing.T) {
		ensureReplicating(t, tp)
		f := newFixture(t, tp, 20000)
		dir, log := hooksDir(t, f, nil)
		g := f.run(append(slowCopy, "--test-on-replica", "--hooks-path", dir)...)
		g.copying(30)
		if r := strings.TrimSpace(g.send("applier")); !strings.Contains(r, strconv.Itoa(tp.Replica.Port)) {
			t.Errorf("applier = %q, want the replica (port %d)", r, tp.Replica.Port)
		}
		// Writes on the primary during the run reach the replica's ghost table.
		f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900001, 1, 'late')", f.table))
		f.write(fmt.Sprintf("UPDATE %s SET b = 'updated' WHERE id = 10", f.table))
		f.write(fmt.Sprintf("DELETE FROM %s WHERE id = 11", f.table))
		f.caughtUp()
		want := f.state(f.primary, f.table)
		g.speedUp()
		g.succeed(2 * time.Minute)

		if io, sqlThread := replicaThreads(t, tp); io || sqlThread {
			t.Errorf("replication running after --test-on-replica (io %v, sql %v), want stopped", io, sqlThread)
		}
		if got, w := f.tables(f.replica), []string{f.ghostTbl, f.table}; !slices.Equal(got, w) {
			t.Errorf("tables on the replica: %v, want %v", got, w)
		}
		if got := f.state(f.replica, f.table); got != want {
			t.Errorf("original table on the replica:\n got  %s\n want %s", got, want)
		}
		wantGhost := want
		wantGhost.Columns = "id,a,b,c"
		if got := f.state(f.replica, f.ghostTbl); got != wantGhost {
			t.Errorf("ghost table on the replica:\n got  %s\n want %s", got, wantGhost)
		}
		if got := f.tables(f.primary); !slices.Equal(got, []string{f.table}) {
			t.Errorf("tables on the primary: %v, want only %s", got, f.table)
		}
		if got := f.state(f.primary, f.table); got != want {
			t.Errorf("primary's table changed:\n got  %s\n want %s", got, want)
		}
		recs := readHookLog(t, log)
		var events []string
		for _, r := range recs {
			if r.event != "status" && r.event != "interactive-command" {
				events = append(events, r.event)
			}
		}
		if i, j := slices.Index(events, "before-cut-over"), slices.Index(events, "stop-replication"); i < 0 || j < i {
			t.Errorf("stop-replication hook not run after before-cut-over: %v", events)
		}

		replicaExec(t, tp, "START SLAVE")
		f.caughtUp()
	})

	t.Run("migrate-on-replica", func(t *testing.T) {
		ensureReplicating(t, tp)
		f := newFixture(t, tp, 20000)
		g := f.run(append(slowCopy, "--migrate-on-replica")...)
		g.copying(30)
		f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900001, 1, 'late')", f.table))
		f.write(fmt.Sprintf("UPDATE %s SET b = 'updated' WHERE id = 10", f.table))
		f.caughtUp()
		want := f.state(f.primary, f.table)
		g.speedUp()
		g.succeed(2 * time.Minute)

		if io, sqlThread := replicaThreads(t, tp); !io || !sqlThread {
			t.Errorf("replication stopped after --migrate-on-replica (io %v, sql %v)", io, sqlThread)
		}
		wantNew := want
		wantNew.Columns = "id,a,b,c"
		if got := f.state(f.replica, f.table); got != wantNew {
			t.Errorf("replica's table:\n got  %s\n want %s", got, wantNew)
		}
		if got, w := f.tables(f.replica), []string{f.delTbl, f.ghkTbl, f.table}; !slices.Equal(got, w) {
			t.Errorf("tables on the replica: %v, want %v", got, w)
		}
		if got := f.state(f.primary, f.table); got != want {
			t.Errorf("primary's table changed:\n got  %s\n want %s", got, want)
		}
		if got := f.tables(f.primary); !slices.Equal(got, []string{f.table}) {
			t.Errorf("tables on the primary: %v, want only %s", got, f.table)
		}
		// Replication carries on into the migrated table.
		f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900002, 2, 'after')", f.table))
		f.caughtUp()
		var c int
		if err := f.replica.QueryRow(fmt.Sprintf("SELECT c FROM %s WHERE id = 900002", f.table)).Scan(&c); err != nil || c != 7 {
			t.Errorf("row written after the migration on the replica: c=%d, %v", c, err)
		}
	})
}

// TestReplicaModesRefused: --test-on-replica and --migrate-on-replica refuse
// --allow-on-master, each other and a --host that is not a replica, before creating
// anything.
func TestReplicaModesRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 100)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--test-on-replica", "--allow-on-master"}, "exclude each other"},
		{[]string{"--migrate-on-replica", "--allow-on-master"}, "exclude each other"},
		{[]string{"--test-on-replica", "--migrate-on-replica"}, "exclude each other"},
		{[]string{"--test-on-replica-skip-replica-stop"}, "needs --test-on-replica"},
		{[]string{"--test-on-replica", "--port", strconv.Itoa(topo.Primary.Port)}, "not a replica"},
		{[]string{"--migrate-on-replica", "--port", strconv.Itoa(topo.Primary.Port)}, "not a replica"},
	} {
		g := f.start(c.args...)
		line := g.fail(time.Minute)
		if !strings.Contains(line, c.want) {
			t.Errorf("%v: error %q, want it to say %q", c.args, line, c.want)
		}
	}
	f.assertUntouched()
}

// TestMigrateOnReplicaNeedsLogSlaveUpdates: with --migrate-on-replica ghost reads
// the replica's own binlog, which holds the primary's writes only with
// log_slave_updates. Without it ghost must refuse, or else writes made on the
// primary during the copy would be missing from the migrated table. (Today ghost
// checks log_slave_updates only when it writes to another server than it reads:
// go/migration/inspect.go checkBinlog, "if m.primary != m.inspected".)
func TestMigrateOnReplicaNeedsLogSlaveUpdates(t *testing.T) {
	t.Parallel()
	tp := topotest.Private(t, topology.Options{Dir: t.TempDir(), ExtraArgs: append(serverArgs(), "--skip-log-slave-updates")})
	f := newFixture(t, tp, 20000)
	g := f.start(append(slowCopy, "--migrate-on-replica")...)
	if _, err := g.trySend("sup", time.Minute); err != nil {
		// Refused before serving: the right outcome if it says why.
		line := g.fail(time.Minute)
		if !strings.Contains(line, "log_slave_updates") {
			t.Errorf("refusal does not name log_slave_updates: %q", line)
		}
		f.assertUntouched()
		return
	}
	g.copying(30)
	f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900001, 1, 'written on the primary during the copy')", f.table))
	f.write(fmt.Sprintf("UPDATE %s SET b = 'updated on the primary during the copy' WHERE id = 10", f.table))
	f.caughtUp()
	want := f.state(f.primary, f.table)
	time.Sleep(time.Second)
	if g.running() {
		g.speedUp()
	}
	if code := g.wait(2 * time.Minute); code != 0 {
		line := errorLine(g.stderr.String())
		if !strings.Contains(line, "log_slave_updates") {
			t.Errorf("failure does not name log_slave_updates: %q", line)
		}
		return
	}
	want.Columns = "id,a,b,c"
	if got := f.state(f.replica, f.table); got != want {
		t.Errorf("--migrate-on-replica without log_slave_updates lost the primary's writes made during the copy:\n got  %s\n want %s", got, want)
	}
}
