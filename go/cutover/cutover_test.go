package cutover_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/cutover"
	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

type env struct {
	raw  *sql.DB // the test's pool (writers, lockers, checks)
	db   *sql.DB // ghost's pool, given to the cut-over
	name string
}

// newEnv creates t (comment 'orig') and _t_gho (comment 'ghost', one more column),
// both with rows, so that which table holds the name t is always visible.
func newEnv(t *testing.T) *env {
	t.Helper()
	raw, name := topotest.NewDatabase(t, topo)
	raw.SetMaxOpenConns(50)
	db := topotest.GhostPool(t, topo, name)
	e := &env{raw: raw, db: db, name: name}
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) COMMENT 'orig'",
		"INSERT INTO t SELECT seq, seq FROM seq_1_to_100",
		"CREATE TABLE _t_gho (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, extra INT NOT NULL DEFAULT 7) COMMENT 'ghost'",
		"INSERT INTO _t_gho (id, v) SELECT seq, seq FROM seq_1_to_100")
	return e
}

func (e *env) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.raw.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// tables maps each table of the database to its comment.
func (e *env) tables(t *testing.T) map[string]string {
	t.Helper()
	rows, err := e.raw.QueryContext(context.Background(), "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", e.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, c string
		rows.Scan(&n, &c)
		out[n] = c
	}
	return out
}

func (e *env) wantTables(t *testing.T, want map[string]string) {
	t.Helper()
	got := e.tables(t)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tables (name: comment) %v, want %v", got, want)
	}
}

var (
	original = map[string]string{"t": "orig", "_t_gho": "ghost"}
	swapped  = map[string]string{"t": "ghost", "_t_del": "orig"}
)

func (e *env) config(lock time.Duration) cutover.Config {
	return cutover.Config{
		DB:          e.db,
		Orig:        sqlgen.Table{Schema: e.name, Name: "t"},
		Ghost:       sqlgen.Table{Schema: e.name, Name: "_t_gho"},
		Old:         sqlgen.Table{Schema: e.name, Name: "_t_del"},
		LockTimeout: lock,
		WaitApplied: func(ctx context.Context) error { return nil },
	}
}

// writers write to t through a loadgen closed loop, naming only columns both tables have;
// the loop's statistics keep every statement's outcome and latency.
type writers struct {
	loop     *loadgen.Loop
	mu       sync.Mutex
	inserted []int
	// base is the server's time when the writers started; inserts store in v the
	// milliseconds since then at which the server ran them.
	base string
}

func (e *env) startWriters(t *testing.T, n int) *writers {
	t.Helper()
	w := &writers{}
	if err := e.raw.QueryRow("SELECT NOW(6)").Scan(&w.base); err != nil {
		t.Fatal(err)
	}
	next := make([]int, n) // per worker: only its worker touches it
	loop, err := loadgen.NewLoop(loadgen.LoopConfig{Workers: n, Pause: time.Millisecond, OpTimeout: time.Minute,
		Op: func(ctx context.Context, wk *loadgen.Worker) (loadgen.Kind, int64, error) {
			k := next[wk.ID]
			next[wk.ID]++
			id := 1_000_000*(wk.ID+1) + k
			switch k % 3 {
			case 0:
				// SYSDATE is read when the row is written, after any wait for the table.
				_, err := e.raw.ExecContext(ctx, "INSERT INTO t (id, v) VALUES (?, TIMESTAMPDIFF(MICROSECOND, ?, SYSDATE(6)) DIV 1000)", id, w.base)
				if err == nil {
					w.mu.Lock()
					w.inserted = append(w.inserted, id)
					w.mu.Unlock()
				}
				return "insert", 1, err
			case 1:
				_, err := e.raw.ExecContext(ctx, "UPDATE t SET v = v + 1 WHERE id = ?", 1+k%100)
				return "update", 1, err
			default:
				var c int
				return "select", 0, e.raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM t WHERE id < 1000").Scan(&c)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.loop = loop
	if err := loop.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loop.Stop(); loop.Wait() })
	// Let them run before the cut-over starts.
	for w.ops() < int64(20*n) {
		time.Sleep(5 * time.Millisecond)
	}
	return w
}

// ops is the number of statements the writers have run, failed or not.
func (w *writers) ops() int64 {
	ok, failed := w.loop.Stats().Counts()
	return ok + failed
}

// longest is the longest statement so far, failed or not.
func (w *writers) longest() time.Duration {
	st := w.loop.Stats()
	return st.Longest(st.Start(), time.Now())
}

// finish lets the writers run a little longer, stops them and returns their failed
// statements by error code.
func (w *writers) finish() map[string]int64 {
	n := w.ops()
	for end := time.Now().Add(5 * time.Second); w.ops() < n+50 && time.Now().Before(end); {
		time.Sleep(5 * time.Millisecond)
	}
	w.loop.Stop()
	return w.loop.Wait().Stats.Errors()
}

// noErrors fails the test for the writers' failed statements, but those with an allowed
// error code.
func (w *writers) noErrors(t *testing.T, errs map[string]int64, allowed ...string) {
	t.Helper()
	first := w.loop.FirstErrors()
	for code, n := range errs {
		if !slices.Contains(allowed, code) {
			t.Errorf("writer error %s, %d times; the first: %v", code, n, first[code])
		}
	}
}

// everyInsertOnce checks that each acknowledged insert is in exactly one of the tables.
func (e *env) everyInsertOnce(t *testing.T, w *writers, tables ...string) {
	t.Helper()
	count := map[int]int{}
	for _, tb := range tables {
		rows, err := e.raw.Query(fmt.Sprintf("SELECT id FROM %s WHERE id >= 1000000", tb))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int
			rows.Scan(&id)
			count[id]++
		}
		rows.Close()
	}
	for _, id := range w.inserted {
		if count[id] != 1 {
			t.Fatalf("acknowledged insert %d found %d times in %v", id, count[id], tables)
		}
	}
	if len(count) != len(w.inserted) {
		t.Fatalf("%d rows written, %d acknowledged", len(count), len(w.inserted))
	}
}

// TestAtomicSwapUnderWrites swaps while writers run and hold the lock for a while:
// writers wait, never see the table missing, and every write lands in one table.
func TestAtomicSwapUnderWrites(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(3 * time.Second)
	var waits atomic.Int32
	cfg.WaitApplied = func(ctx context.Context) error { waits.Add(1); return nil }
	var steps []string
	hold := 300 * time.Millisecond
	cfg.Pause = func(step string) {
		steps = append(steps, step)
		if step == "applied" {
			time.Sleep(hold) // writes queue behind the lock meanwhile
		}
	}
	w := e.startWriters(t, 6)
	before := w.ops()
	res, err := (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
	errs := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	w.noErrors(t, errs)
	e.wantTables(t, swapped)
	if got := strings.Join(steps, ","); got != "locked,applied,rename-queued,sentry-dropped" {
		t.Errorf("steps %s", got)
	}
	if waits.Load() != 1 {
		t.Errorf("WaitApplied called %d times, want 1", waits.Load())
	}
	if res.Blocked < hold || res.Blocked > cfg.LockTimeout {
		t.Errorf("Blocked %s, want between %s and %s", res.Blocked, hold, cfg.LockTimeout)
	}
	if l := w.longest(); l < hold || l > cfg.LockTimeout+time.Second {
		t.Errorf("longest writer statement %s, want between %s and %s", l, hold, cfg.LockTimeout+time.Second)
	}
	if w.ops()-before < 20 {
		t.Errorf("only %d writes during the test", w.ops()-before)
	}
	e.everyInsertOnce(t, w, "t", "_t_del")
	e.poolUnchanged(t)
	// Writes after the swap went to the new table.
	var n int
	e.raw.QueryRow("SELECT COUNT(*) FROM t WHERE id >= 1000000 AND extra = 7").Scan(&n)
	if n == 0 {
		t.Error("no insert reached the new table")
	}
	t.Logf("blocked %s, longest write %s, %d writes", res.Blocked, w.longest(), w.ops())
}

// TestAtomicLockTimeout: an open transaction on t keeps LOCK TABLES waiting; the attempt
// fails within its lock timeout, the original stays and the sentry is gone.
func TestAtomicLockTimeout(t *testing.T) {
	e := newEnv(t)
	locker, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	var v int
	if err := locker.QueryRow("SELECT v FROM t WHERE id = 1 FOR UPDATE").Scan(&v); err != nil {
		t.Fatal(err)
	}
	cfg := e.config(time.Second)
	cfg.WaitApplied = func(context.Context) error { t.Error("WaitApplied called without the lock"); return nil }
	start := time.Now()
	_, err = (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
	took := time.Since(start)
	if !errors.Is(err, cutover.ErrTimeout) {
		t.Fatalf("Attempt: %v, want ErrTimeout", err)
	}
	want := fmt.Sprintf("cut-over lock timeout: LOCK TABLES `%s`.`t` waited 1s: Error 1205 (HY000): Lock wait timeout exceeded; try restarting transaction", e.name)
	if err.Error() != want {
		t.Errorf("error\n got %q\nwant %q", err, want)
	}
	if took < time.Second || took > 3*time.Second {
		t.Errorf("attempt took %s with a 1s lock timeout", took)
	}
	e.wantTables(t, original)
	// The blocker is unharmed.
	if _, err := locker.Exec("UPDATE t SET v = v + 1 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	if err := locker.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestAtomicNotAppliedInTime: events up to the lock not applied within the lock
// timeout: the attempt fails, unlocks, and the original stays.
func TestAtomicNotAppliedInTime(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(time.Second)
	cfg.WaitApplied = func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	w := e.startWriters(t, 2)
	start := time.Now()
	_, err := (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
	took := time.Since(start)
	errs := w.finish()
	if !errors.Is(err, cutover.ErrTimeout) {
		t.Fatalf("Attempt: %v, want ErrTimeout", err)
	}
	if took > 2*time.Second {
		t.Errorf("attempt took %s with a 1s lock timeout", took)
	}
	w.noErrors(t, errs)
	e.wantTables(t, original)
	e.everyInsertOnce(t, w, "t")
}

// lockHolder finds the session holding LOCK TABLES ... WRITE on t.
func (e *env) lockHolder(t *testing.T) int64 {
	t.Helper()
	var id int64
	err := e.raw.QueryRow(`SELECT THREAD_ID FROM information_schema.METADATA_LOCK_INFO
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 't' AND LOCK_MODE = 'MDL_SHARED_NO_READ_WRITE'`, e.name).Scan(&id)
	if err != nil {
		t.Errorf("find the lock session: %v", err)
	}
	return id
}

// TestAtomicLockSessionKilled kills the session holding the lock at each step: before
// the sentry is dropped the RENAME fails on it and the original stays; after, the
// queued RENAME wins and the swap completes. Writers never see the table missing.
func TestAtomicLockSessionKilled(t *testing.T) {
	if err := topo.Primary.Exec(t.Context(), "INSTALL SONAME 'metadata_lock_info'"); err != nil && !strings.Contains(err.Error(), "1968") && !strings.Contains(err.Error(), "already") {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		step string
		want map[string]string
	}{
		{"locked", original},
		{"applied", original},
		{"rename-queued", original},
		{"sentry-dropped", swapped},
	} {
		t.Run(tc.step, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config(3 * time.Second)
			var killed int64
			cfg.Pause = func(step string) {
				if step != tc.step {
					return
				}
				killed = e.lockHolder(t)
				if _, err := e.raw.Exec(fmt.Sprintf("KILL %d", killed)); err != nil {
					t.Errorf("KILL %d: %v", killed, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
			w := e.startWriters(t, 4)
			_, err := (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
			errs := w.finish()
			if killed == 0 {
				t.Fatal("no session killed")
			}
			w.noErrors(t, errs)
			if tc.want["t"] == "orig" {
				if err == nil {
					t.Fatal("Attempt succeeded after its lock session was killed")
				}
				t.Logf("attempt error: %v", err)
				e.wantTables(t, original)
				e.everyInsertOnce(t, w, "t")
			} else {
				if err != nil {
					t.Fatalf("Attempt after the sentry was dropped: %v", err)
				}
				e.wantTables(t, swapped)
				e.everyInsertOnce(t, w, "t", "_t_del")
			}
		})
	}
}

// TestTwoStepSwap swaps in two renames; the writers may see the table missing in the gap
// (the documented cost), but every acknowledged write is in one of the tables.
func TestTwoStepSwap(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(3 * time.Second)
	var waits atomic.Int32
	cfg.WaitApplied = func(ctx context.Context) error { waits.Add(1); return nil }
	w := e.startWriters(t, 4)
	res, err := (&cutover.TwoStep{Cfg: cfg}).Attempt(t.Context())
	errs := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	e.wantTables(t, swapped)
	if waits.Load() != 1 || res.Blocked <= 0 || res.Blocked > cfg.LockTimeout {
		t.Errorf("WaitApplied %d times, blocked %s", waits.Load(), res.Blocked)
	}
	w.noErrors(t, errs, loadgen.ErrNoSuchTable)
	e.everyInsertOnce(t, w, "t", "_t_del")
	t.Logf("writers saw %d errors 1146", errs[loadgen.ErrNoSuchTable])
}

// TestTwoStepLockTimeout: the two-step cut-over too gives up within the lock timeout.
func TestTwoStepLockTimeout(t *testing.T) {
	e := newEnv(t)
	locker, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.Exec("UPDATE t SET v = 0 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = (&cutover.TwoStep{Cfg: e.config(time.Second)}).Attempt(t.Context())
	if !errors.Is(err, cutover.ErrTimeout) {
		t.Fatalf("Attempt: %v, want ErrTimeout", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("attempt took %s", took)
	}
	e.wantTables(t, original)
}

// serverMillis is the server's time in milliseconds since the writers' base.
func (e *env) serverMillis(t *testing.T, w *writers) int64 {
	var ms int64
	if err := e.raw.QueryRow("SELECT TIMESTAMPDIFF(MICROSECOND, ?, SYSDATE(6)) DIV 1000", w.base).Scan(&ms); err != nil {
		t.Error(err)
	}
	return ms
}

// noneWrittenToOldAfter checks that no insert the server ran after the given time
// (milliseconds since the writers' base) is in the old table: it ran after the lock
// was taken, so no binlog event of it reaches the ghost table, and in the old table
// it is lost.
func (e *env) noneWrittenToOldAfter(t *testing.T, applied int64) {
	t.Helper()
	var late, lost int
	e.raw.QueryRow("SELECT COUNT(*) FROM t WHERE id >= 1000000 AND v > ?", applied).Scan(&late)
	e.raw.QueryRow("SELECT COUNT(*) FROM _t_del WHERE id >= 1000000 AND v > ?", applied).Scan(&lost)
	if late+lost == 0 {
		t.Fatal("no insert waited for the cut-over; the test proves nothing")
	}
	if lost > 0 {
		t.Fatalf("%d of %d inserts that waited for the cut-over were written to the old table (lost)", lost, late+lost)
	}
}

// TestAtomicRenameQueuedBehindGhostReader: the RENAME takes its metadata locks in name
// order (_t_del, _t_gho, t). With a session reading the ghost table, it is still
// waiting for _t_gho when the sentry is dropped; unlocking then would let the writes
// queued on t run on the old table before the RENAME (gh-ost#887). The cut-over must
// keep the lock until the RENAME is queued on t.
func TestAtomicRenameQueuedBehindGhostReader(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(3 * time.Second)
	var applied int64
	var w *writers
	cfg.WaitApplied = func(ctx context.Context) error {
		time.Sleep(200 * time.Millisecond) // writers queue behind the lock
		applied = e.serverMillis(t, w)
		return nil
	}
	reader, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var n int
	if err := reader.QueryRow("SELECT COUNT(*) FROM _t_gho").Scan(&n); err != nil { // holds a shared metadata lock
		t.Fatal(err)
	}
	cfg.Pause = func(step string) {
		if step == "sentry-dropped" {
			time.AfterFunc(300*time.Millisecond, func() { reader.Commit() })
		}
	}
	w = e.startWriters(t, 4)
	res, err := (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
	errs := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	w.noErrors(t, errs)
	e.wantTables(t, swapped)
	e.everyInsertOnce(t, w, "t", "_t_del")
	e.noneWrittenToOldAfter(t, applied)
	t.Logf("blocked %s", res.Blocked)
}

// TestAtomicGhostReaderOutlastsLock: when the RENAME cannot get the ghost table's lock
// within the lock timeout, the attempt gives up without letting writes reach the old
// table: the original stays, the RENAME is stopped.
func TestAtomicGhostReaderOutlastsLock(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(time.Second)
	reader, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var n int
	if err := reader.QueryRow("SELECT COUNT(*) FROM _t_gho").Scan(&n); err != nil {
		t.Fatal(err)
	}
	w := e.startWriters(t, 2)
	start := time.Now()
	_, err = (&cutover.Atomic{Cfg: cfg}).Attempt(t.Context())
	took := time.Since(start)
	reader.Commit()
	errs := w.finish()
	if !errors.Is(err, cutover.ErrTimeout) {
		t.Fatalf("Attempt: %v, want ErrTimeout", err)
	}
	if took > 3*time.Second {
		t.Errorf("attempt took %s with a 1s lock timeout", took)
	}
	w.noErrors(t, errs)
	e.wantTables(t, original)
	e.everyInsertOnce(t, w, "t")
}

// poolUnchanged checks that the cut-over gave no pooled session of ghost's a zero
// lock_wait_timeout (its probe uses one), which would make any later statement that
// meets a metadata lock fail at once.
func (e *env) poolUnchanged(t *testing.T) {
	t.Helper()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < 8; i++ { // more than the attempt used: every idle session is seen
		c, err := e.db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var lwt int
		if err := c.QueryRowContext(t.Context(), "SELECT @@SESSION.lock_wait_timeout").Scan(&lwt); err != nil {
			t.Fatal(err)
		}
		if lwt == 0 {
			t.Errorf("a pooled session has lock_wait_timeout 0 after the cut-over")
		}
	}
}

// TestSwapUnderWrites: with Swap (a revert) the tables trade names in one RENAME through
// the sentry's name (t -> _t_rev, _t_gho -> t, _t_rev -> _t_gho), writers never see the table
// missing, and every write lands in one table; two-step does the same in two renames.
func TestSwapUnderWrites(t *testing.T) {
	for _, strategy := range []string{"atomic", "two-step"} {
		t.Run(strategy, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config(3 * time.Second)
			cfg.Old = sqlgen.Table{Schema: e.name, Name: "_t_rev"}
			cfg.Swap = true
			w := e.startWriters(t, 4)
			time.Sleep(100 * time.Millisecond)
			var s cutover.Strategy = &cutover.Atomic{Cfg: cfg}
			if strategy == "two-step" {
				s = &cutover.TwoStep{Cfg: cfg}
			}
			_, err := s.Attempt(t.Context())
			time.Sleep(100 * time.Millisecond)
			errs := w.finish()
			if err != nil {
				t.Fatal(err)
			}
			e.wantTables(t, map[string]string{"t": "ghost", "_t_gho": "orig"})
			if strategy == "atomic" {
				w.noErrors(t, errs)
			} else {
				w.noErrors(t, errs, loadgen.ErrNoSuchTable)
			}
			e.everyInsertOnce(t, w, "t", "_t_gho")
		})
	}
}
