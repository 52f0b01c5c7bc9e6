package migration

import (
	"context"
	"testing"

	"github.com/ghost-osc/ghost/go/applier"
	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/throttle"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"github.com/sirupsen/logrus"
)

// testTopo points at the topology the external test package's TestMain starts (one per test
// binary); the tests of this file, inside the package, reach it through SetTestTopology.
var testTopo **topology.Topology

// SetTestTopology is called by the external test package before any test runs.
func SetTestTopology(p **topology.Topology) { testTopo = p }

// TestApplyTurnDrainsBacklog: one turn on the ghost table applies every transaction waiting in
// the backlog, in batches of --dml-batch-size, and a throttle ends the turn after the batch in
// hand. A turn of one batch applied at most --dml-batch-size changes per chunk copied, which a
// busy table outruns (seen in script/bench at 500 writes/s).
func TestApplyTurnDrainsBacklog(t *testing.T) {
	db, name := topotest.NewDatabase(t, *testTopo)
	for _, q := range []string{"CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)", "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT NOT NULL)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	orig, err := schema.Read(t.Context(), db, name, "t")
	if err != nil {
		t.Fatal(err)
	}
	var pairs []applier.Pair
	for _, c := range orig.Columns {
		pairs = append(pairs, applier.Pair{Orig: c, Ghost: c.Name})
	}
	newTurn := func(batch int64) *Migration {
		cfg := config.Defaults()
		cfg.Database, cfg.Table = name, "t"
		cfg.DMLBatchSize = batch
		m := New(cfg, logrus.NewEntry(logrus.New()), nil)
		var err error
		if m.settings, err = newSettings(cfg); err != nil {
			t.Fatal(err)
		}
		m.op.throttler = throttle.New(throttle.Config{}) // no checks: only the operator's command throttles
		m.applier = applier.New(applier.Config{DB: db, Ghost: m.ghostT, OrigColumns: orig.Columns, Pairs: pairs, Key: orig.Columns[:1]})
		m.backlog = make(chan binlog.Transaction, backlogCap)
		return m
	}
	insert := func(id int) binlog.Transaction {
		return binlog.Transaction{Changes: []binlog.Change{{Schema: name, Table: "t", Action: binlog.Insert, After: []any{int32(id), int32(id * 10)}}}}
	}
	count := func() (n int) {
		if err := db.QueryRow("SELECT COUNT(*) FROM _t_gho").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	m := newTurn(10)
	for id := 2; id <= 500; id++ {
		m.backlog <- insert(id)
	}
	if err := m.applyTurn(t.Context(), insert(1)); err != nil {
		t.Fatal(err)
	}
	if len(m.backlog) != 0 || m.applied.Load() != 500 || count() != 500 {
		t.Fatalf("after one turn: backlog %d, applied %d, ghost rows %d; want 0, 500, 500", len(m.backlog), m.applied.Load(), count())
	}
	var sum int
	if err := db.QueryRow("SELECT SUM(v - 10 * id) FROM _t_gho").Scan(&sum); err != nil || sum != 0 {
		t.Fatalf("ghost rows differ from the events: %d, %v", sum, err)
	}

	// Throttled: the turn applies the batch it has and leaves the rest for later.
	if _, err := db.Exec("DELETE FROM _t_gho"); err != nil {
		t.Fatal(err)
	}
	m = newTurn(10)
	for id := 2; id <= 100; id++ {
		m.backlog <- insert(id)
	}
	m.op.user.Set(true)
	if err := m.applyTurn(context.Background(), insert(1)); err != nil {
		t.Fatal(err)
	}
	if got := m.applied.Load(); got != 10 || count() != 10 || len(m.backlog) != 90 {
		t.Fatalf("throttled turn: applied %d, ghost rows %d, backlog %d; want 10, 10, 90", got, count(), len(m.backlog))
	}
}
