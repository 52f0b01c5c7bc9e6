package opstest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// postponed starts a fast migration held by a postpone flag file and waits until the
// copy is done and the cut-over is being postponed.
func postponed(t *testing.T, f *fixture, extra ...string) (*ghost, string) {
	t.Helper()
	flagFile := filepath.Join(f.dir, "postpone.flag")
	touch(t, flagFile)
	g := f.run(append([]string{"--postpone-cut-over-flag-file", flagFile, "--chunk-size", "1000"}, extra...)...)
	s := g.eventually("postponing cut-over", 2*time.Minute, func(s status) bool { return s.State == "postponing cut-over" })
	if s.Copied != int64(f.rows) {
		t.Errorf("postponing with %d rows copied, want %d", s.Copied, f.rows)
	}
	return g, flagFile
}

// assertNotCutOver checks that the original table is still in place, unmigrated.
func (f *fixture) assertNotCutOver() {
	f.t.Helper()
	if cols := f.state(f.primary, f.table).Columns; cols != "id,a,b" {
		f.t.Fatalf("table has columns %s while the cut-over is postponed", cols)
	}
	if n := f.count(f.primary, f.delTbl); n != -1 {
		f.t.Fatalf("%s exists while the cut-over is postponed", f.delTbl)
	}
}

// TestPostponeCutOver: the cut-over is held for 90 s while the flag file exists;
// writes made meanwhile are applied to the ghost table; "unpostpone" releases it.
func TestPostponeCutOver(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 5000)
	g, _ := postponed(t, f)
	held := time.Now()
	if st := g.send("status"); !strings.Contains(st, "postpone-cut-over-flag-file") || !strings.Contains(st, "[exists]") {
		t.Errorf("status does not show the postpone flag file:\n%s", st)
	}

	// Writes of every kind while postponed.
	f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900001, 1, 'written while postponed')", f.table))
	f.write(fmt.Sprintf("UPDATE %s SET b = 'updated while postponed' WHERE id = 10", f.table))
	f.write(fmt.Sprintf("DELETE FROM %s WHERE id = 11", f.table))
	ghostHas := func(q string) bool {
		var n int
		if err := f.primary.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", f.ghostTbl, q)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	deadline := time.Now().Add(30 * time.Second)
	for !(ghostHas("id = 900001 AND c = 7") && ghostHas("id = 10 AND b = 'updated while postponed'") && !ghostHas("id = 11")) {
		if time.Now().After(deadline) {
			t.Fatalf("writes made while postponed did not reach %s", f.ghostTbl)
		}
		time.Sleep(200 * time.Millisecond)
	}

	for time.Since(held) < 90*time.Second {
		time.Sleep(5 * time.Second)
		if !g.running() {
			t.Fatalf("ghost exited while postponed: %s", errorLine(g.stderr.String()))
		}
		f.assertNotCutOver()
		if s := g.sup(); s.State != "postponing cut-over" {
			t.Fatalf("state %q after %s postponed", s.State, time.Since(held).Round(time.Second))
		}
		// Keep writing: the ghost table keeps up all along.
		f.write(fmt.Sprintf("UPDATE %s SET a = a + 1 WHERE id = 20", f.table))
	}
	want := f.state(f.primary, f.table)

	reply := g.send("unpostpone")
	if isError(reply) || !strings.Contains(reply, "Unpostponed") {
		t.Errorf("unpostpone: %q", firstWords(reply))
	}
	g.succeed(2 * time.Minute)
	f.assertMigrated(want)
	var b string
	if err := f.primary.QueryRow(fmt.Sprintf("SELECT b FROM %s WHERE id = 900001 AND c = 7", f.table)).Scan(&b); err != nil || b != "written while postponed" {
		t.Errorf("row written while postponed: %q, %v", b, err)
	}
}

// TestPostponeFlagRemoved: removing the flag file releases the cut-over.
func TestPostponeFlagRemoved(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 3000)
	g, flagFile := postponed(t, f)
	time.Sleep(3 * time.Second)
	f.assertNotCutOver()
	f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (900002, 2, 'while postponed')", f.table))
	want := f.state(f.primary, f.table)
	remove(t, flagFile)
	g.succeed(2 * time.Minute)
	f.assertMigrated(want)
}

// TestForceNamedCutOver: with --force-named-cut-over, "unpostpone" must name the
// table; a bare one or one naming another table is refused and nothing moves.
func TestForceNamedCutOver(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 3000)
	g, _ := postponed(t, f, "--force-named-cut-over")
	for _, c := range []string{"unpostpone", "cut-over", "unpostpone=other"} {
		if r := g.send(c); !isError(r) {
			t.Errorf("%s with --force-named-cut-over: reply %q, want ERROR", c, firstWords(r))
		}
	}
	if r := g.send("unpostpone"); !strings.Contains(r, "unpostpone="+f.table) || !strings.Contains(r, "--force-named-cut-over") {
		t.Errorf("refusal does not say how to unpostpone: %q", r)
	}
	time.Sleep(2 * time.Second)
	f.assertNotCutOver()
	if s := g.sup(); s.State != "postponing cut-over" {
		t.Fatalf("state %q after refused unpostpone commands", s.State)
	}
	g.expectOK("unpostpone=" + f.table)
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)
}
