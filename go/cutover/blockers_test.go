package cutover_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/cutover"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// session opens a connection of its own and returns it with its id.
func (e *env) session(t *testing.T) (*sql.Conn, int64) {
	t.Helper()
	conn, err := e.raw.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	id, err := dbconn.ConnectionID(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return conn, id
}

func run(t *testing.T, conn *sql.Conn, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func (e *env) detector(t *testing.T, setup bool) *cutover.Detector {
	t.Helper()
	d, err := cutover.NewDetector(t.Context(), cutover.DetectorConfig{
		DB: e.db, Flavor: dbconn.MariaDB, MinAge: 1500 * time.Millisecond, SetupInstruments: setup,
		Tables: []sqlgen.Table{{Schema: e.name, Name: "t"}, {Schema: e.name, Name: "_t_gho"}, {Schema: e.name, Name: "_t_del"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ids(bs []cutover.Blocker) map[int64]cutover.Blocker {
	out := map[int64]cutover.Blocker{}
	for _, b := range bs {
		out[b.ID] = b
	}
	return out
}

// TestDetector runs against the real server in both modes: without the metadata_lock_info
// plugin every transaction older than the minimum age is a candidate; with it (loaded by the
// detector when allowed) exactly the sessions holding the tables or a global lock are.
// Not parallel: the plugin is server-wide.
func TestDetector(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE other (id INT PRIMARY KEY)", "INSERT INTO other VALUES (1)")
	_, _ = e.raw.Exec("UNINSTALL SONAME 'metadata_lock_info'")
	t.Cleanup(func() { e.raw.Exec("UNINSTALL SONAME 'metadata_lock_info'") })

	reader, readerID := e.session(t) // a read transaction on t, idle now
	run(t, reader, "BEGIN", "SELECT v FROM t WHERE id = 1")
	otherTx, otherID := e.session(t) // a transaction on another table only
	run(t, otherTx, "BEGIN", "SELECT id FROM other WHERE id = 1")
	ghostReader, ghostReaderID := e.session(t) // a transaction that read the ghost table
	run(t, ghostReader, "BEGIN", "SELECT v FROM _t_gho WHERE id = 1")
	young, youngID := e.session(t)
	// trx_started has whole seconds: ages are exact to a second only.
	time.Sleep(2500 * time.Millisecond)
	run(t, young, "BEGIN", "SELECT v FROM t WHERE id = 2") // younger than MinAge

	approx := e.detector(t, false)
	if approx.Mode() != cutover.DetectTransactions {
		t.Fatalf("mode %v without the plugin, want %v", approx.Mode(), cutover.DetectTransactions)
	}
	bs, err := approx.Find(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := ids(bs)
	for _, id := range []int64{readerID, otherID, ghostReaderID} {
		if _, ok := got[id]; !ok {
			t.Errorf("approximate: connection %d (an open transaction) not found in %v", id, bs)
		}
	}
	if _, ok := got[youngID]; ok {
		t.Errorf("approximate: connection %d younger than the minimum age found", youngID)
	}

	exact := e.detector(t, true)
	if exact.Mode() != cutover.DetectMetadataLocks {
		t.Fatalf("mode %v with --allow-setup-metadata-lock-instruments, want %v", exact.Mode(), cutover.DetectMetadataLocks)
	}
	bs, err = exact.Find(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got = ids(bs)
	if b, ok := got[readerID]; !ok || !strings.Contains(b.What, "lock on "+e.name+".t") || b.Age < 1500*time.Millisecond {
		t.Errorf("exact: reader of t: %+v (found %v), want a lock on %s.t older than 1.5s", b, ok, e.name)
	}
	if b, ok := got[ghostReaderID]; !ok || !strings.Contains(b.What, "_t_gho") {
		t.Errorf("exact: reader of the ghost table: %+v (found %v)", b, ok)
	}
	if _, ok := got[otherID]; ok {
		t.Errorf("exact: connection %d only touched another table but was found: %v", otherID, bs)
	}
	if s := got[readerID].String(); !strings.Contains(s, "connection ") || !strings.Contains(s, "holding a lock on") {
		t.Errorf("blocker text %q", s)
	}
	run(t, reader, "COMMIT")
	run(t, ghostReader, "COMMIT")
	run(t, young, "COMMIT")
	run(t, otherTx, "COMMIT")

	// A global read lock blocks every table; a later detector sees the plugin already there.
	flusher, flusherID := e.session(t)
	run(t, flusher, "FLUSH TABLES WITH READ LOCK")
	time.Sleep(1600 * time.Millisecond)
	exact = e.detector(t, false)
	if exact.Mode() != cutover.DetectMetadataLocks {
		t.Fatalf("mode %v with the plugin loaded", exact.Mode())
	}
	bs, err = exact.Find(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := ids(bs)[flusherID]; !ok || b.What != "a global read lock" {
		t.Errorf("FLUSH TABLES WITH READ LOCK: %+v (found %v) in %v", b, ok, bs)
	}
	run(t, flusher, "UNLOCK TABLES")

	// Kill rolls the blocker back and ends its connection; killing it twice is no error.
	victim, victimID := e.session(t)
	run(t, victim, "BEGIN", "UPDATE t SET v = -1 WHERE id = 3")
	time.Sleep(2500 * time.Millisecond)
	bs, err = exact.Find(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, ok := ids(bs)[victimID]
	if !ok {
		t.Fatalf("writer in a transaction not found: %v", bs)
	}
	for range 2 {
		if err := cutover.Kill(t.Context(), e.db, b); err != nil {
			t.Fatal(err)
		}
	}
	var v int
	if err := e.raw.QueryRowContext(context.Background(), "SELECT v FROM t WHERE id = 3").Scan(&v); err != nil || v != 3 {
		t.Errorf("after the kill, row 3 has v=%d (%v), want 3 (rolled back)", v, err)
	}
	if _, err := victim.ExecContext(context.Background(), "SELECT 1"); err == nil {
		t.Errorf("the killed connection still answers")
	}
}
