package faults

import (
	"slices"
	"testing"
	"time"
)

// TestBaseline migrates under the writers the fault tests use, without any fault: the
// reference they are read against (a loss here is not a fault's doing).
func TestBaseline(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	m := f.createTable(5000)
	w := f.startWriter(m, writerConfig{Workers: 4, Pause: time.Millisecond})
	time.Sleep(200 * time.Millisecond)
	g := f.startMigrating("baseline", map[string]string{"chunk-size": "500"})
	g.succeed(defaultRunLimit)
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)
	if c := f.columns(f.table); !slices.Contains(c, "w") {
		t.Errorf("t has columns %v, want w", c)
	}
	f.assertRows(f.table, res)
}

// TestStartUnderWrites starts ghost while the writers keep the replica busy, so that
// ghost's own CREATE TABLE _t_gho LIKE t may reach the replica's binary log after the
// position ghost starts reading at. ghost must recognise its own statements and complete.
func TestStartUnderWrites(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	m := f.createTable(5000)
	w := f.startWriter(m, writerConfig{Workers: 4, Pause: time.Millisecond})
	time.Sleep(200 * time.Millisecond)
	g := f.startGhost("busy-start", map[string]string{"chunk-size": "500"})
	g.succeed(defaultRunLimit)
	res := w.stop()
	checkWriter(f, res)
	f.assertRows(f.table, res)
}
