package faults

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

// row is the content of a row of t besides its id.
type row struct {
	V int64
	S string
}

// model is what t must contain: every committed write, with its last value.
type model map[int64]row

// createTable creates t (id, v, s) with ids 1..n on the primary, waits for the replica
// and returns the model of its rows.
func (f *fixture) createTable(n int) model {
	f.t.Helper()
	f.exec(f.primary, "CREATE TABLE "+f.table+" (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(64) NOT NULL) ENGINE=InnoDB")
	if n > 0 {
		f.exec(f.primary, fmt.Sprintf("INSERT INTO %s (id, v, s) SELECT seq, seq, CONCAT('init-', seq) FROM seq_1_to_%d", f.table, n))
	}
	f.caughtUp()
	m := model{}
	for i := int64(1); i <= int64(n); i++ {
		m[i] = row{V: i, S: fmt.Sprintf("init-%d", i)}
	}
	return m
}

// op is one write of a writer: when it was sent, how long it took, and how it ended
// ("" for success, else a MySQL error number or one of loadgen's Code* classes).
type op struct {
	at   time.Time
	took time.Duration
	code string
}

// writerConfig configures a writer.
type writerConfig struct {
	// Workers write at once, each on ids of its own (id % Workers), so their writes never
	// wait for each other. Default 2.
	Workers int
	// Pause is the sleep between two writes of a worker; default 3ms.
	Pause time.Duration
	// Avoid are ids never written (rows a test keeps locked).
	Avoid []int64
	// Seed makes the writes reproducible; 0 picks one.
	Seed uint64
}

// writer writes to t on the primary until stopped: updates, inserts of new ids,
// deletes, and inserts of deleted ids again (a repeated or skipped binlog event then
// shows in the final rows). It keeps the model of what it committed and every write's
// latency and outcome.
type writer struct {
	db      *sql.DB
	table   string
	cfg     writerConfig
	stopped chan struct{}
	wg      sync.WaitGroup
	seq     atomic.Int64
	ok      atomic.Int64
	// gate is read-locked around every write; pause takes it to hold the writers.
	gate sync.RWMutex

	mu        sync.Mutex
	ops       []op
	errors    map[string]int
	anomalies []string
	uncertain map[int64]bool // ids whose last write ended without a server answer
	parts     []model        // per worker, merged at stop
	static    model          // rows no worker touches
	lastAt    map[int64]time.Time
}

// writerResult is what a stopped writer reports.
type writerResult struct {
	Model     model
	Ops       []op
	Errors    map[string]int
	Anomalies []string
	Uncertain map[int64]bool
	OK        int64
	// LastAt is when the last committed write of each id was sent.
	LastAt map[int64]time.Time
}

// startWriter starts writing on a pool of its own, from the model m.
func (f *fixture) startWriter(m model, cfg writerConfig) *writer {
	f.t.Helper()
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	if cfg.Pause == 0 {
		cfg.Pause = 3 * time.Millisecond
	}
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64()
	}
	db, err := f.topo.Primary.Open(f.db)
	if err != nil {
		f.t.Fatal(err)
	}
	db.SetMaxOpenConns(cfg.Workers)
	db.SetMaxIdleConns(cfg.Workers)
	w := &writer{db: db, table: f.table, cfg: cfg, stopped: make(chan struct{}), errors: map[string]int{},
		uncertain: map[int64]bool{}, static: model{}, lastAt: map[int64]time.Time{}}
	avoid := map[int64]bool{}
	for _, id := range cfg.Avoid {
		avoid[id] = true
	}
	var maxID int64
	w.parts = make([]model, cfg.Workers)
	for i := range w.parts {
		w.parts[i] = model{}
	}
	for id, r := range m {
		maxID = max(maxID, id)
		if avoid[id] || id <= 0 {
			w.static[id] = r
			continue
		}
		w.parts[id%int64(cfg.Workers)][id] = r
	}
	// Values only grow, so a stale row image can never look current.
	for _, r := range m {
		w.seq.Store(max(w.seq.Load(), r.V))
	}
	w.seq.Add(1_000_000)
	// New ids start above anything existing, aligned so each worker keeps its residue.
	base := (maxID/int64(cfg.Workers) + 1) * int64(cfg.Workers)
	for i := range cfg.Workers {
		w.wg.Add(1)
		go w.run(i, base+int64(i), avoid, rand.New(rand.NewPCG(cfg.Seed, uint64(i))))
	}
	f.t.Cleanup(func() { w.stop() })
	return w
}

func (w *writer) run(worker int, nextID int64, avoid map[int64]bool, rng *rand.Rand) {
	defer w.wg.Done()
	mine := w.parts[worker]
	live := slices.Sorted(maps.Keys(mine))
	var dead []int64
	step := int64(w.cfg.Workers)
	for {
		select {
		case <-w.stopped:
			return
		case <-time.After(w.cfg.Pause):
		}
		for avoid[nextID] {
			nextID += step
		}
		const (
			update = iota
			del
			reinsert
			insert
		)
		v := w.seq.Add(1)
		r := row{V: v, S: fmt.Sprintf("w%d-%d", worker, v)}
		var q string
		var args []any
		var id int64
		slot := -1
		kind := insert
		switch n := rng.IntN(100); {
		case n < 55 && len(live) > 0:
			kind, slot = update, rng.IntN(len(live))
			id = live[slot]
			q, args = "UPDATE "+w.table+" SET v = ?, s = ? WHERE id = ?", []any{r.V, r.S, id}
		case n >= 70 && n < 85 && len(live) > 0:
			kind, slot = del, rng.IntN(len(live))
			id = live[slot]
			q, args = "DELETE FROM "+w.table+" WHERE id = ?", []any{id}
		case n >= 85 && len(dead) > 0:
			kind, slot = reinsert, rng.IntN(len(dead))
			id = dead[slot]
			q, args = "INSERT INTO "+w.table+" (id, v, s) VALUES (?, ?, ?)", []any{id, r.V, r.S}
		default:
			id = nextID
			nextID += step
			q, args = "INSERT INTO "+w.table+" (id, v, s) VALUES (?, ?, ?)", []any{id, r.V, r.S}
		}
		w.gate.RLock()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		start := time.Now()
		res, err := w.db.ExecContext(ctx, q, args...)
		took := time.Since(start)
		cancel()
		w.gate.RUnlock()
		code := loadgen.ErrorCode(err)
		var affected int64
		if err == nil {
			affected, _ = res.RowsAffected()
		}
		w.mu.Lock()
		w.ops = append(w.ops, op{at: start, took: took, code: code})
		switch {
		case err == nil:
			w.ok.Add(1)
			w.lastAt[id] = start
			if affected != 1 {
				w.anomalies = append(w.anomalies, fmt.Sprintf("%s (id %d) affected %d rows, want 1", firstWords(q), id, affected))
			}
			switch kind {
			case update:
				mine[id] = r
			case del:
				delete(mine, id)
				live = slices.Delete(live, slot, slot+1)
				dead = append(dead, id)
			case reinsert:
				mine[id] = r
				dead = slices.Delete(dead, slot, slot+1)
				live = append(live, id)
			case insert:
				mine[id] = r
				live = append(live, id)
			}
		case strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0:
			// No server answer: the write may or may not have committed.
			w.errors[code]++
			w.uncertain[id] = true
		default:
			// The server refused the statement: it changed nothing.
			w.errors[code]++
		}
		w.mu.Unlock()
	}
}

// pause holds the writers once their writes in flight are done; resume lets them go on.
func (w *writer) pause()  { w.gate.Lock() }
func (w *writer) resume() { w.gate.Unlock() }

// okSince counts successful writes sent at or after from.
func (w *writer) okSince(from time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, o := range w.ops {
		if o.code == "" && !o.at.Before(from) {
			n++
		}
	}
	return n
}

// stop ends the writes and returns the result; it may be called more than once.
func (w *writer) stop() writerResult {
	select {
	case <-w.stopped:
	default:
		close(w.stopped)
	}
	w.wg.Wait()
	w.db.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	m := maps.Clone(w.static)
	for _, p := range w.parts {
		maps.Copy(m, p)
	}
	return writerResult{Model: m, Ops: slices.Clone(w.ops), Errors: maps.Clone(w.errors),
		Anomalies: slices.Clone(w.anomalies), Uncertain: maps.Clone(w.uncertain), OK: w.ok.Load(), LastAt: maps.Clone(w.lastAt)}
}

// maxLatency is the longest write whose time overlaps [from, to].
func maxLatency(ops []op, from, to time.Time) time.Duration {
	var m time.Duration
	for _, o := range ops {
		if o.at.After(to) || o.at.Add(o.took).Before(from) {
			continue
		}
		m = max(m, o.took)
	}
	return m
}

// readRows reads (id, v, s) of every row of a table on the primary.
func (f *fixture) readRows(table string) model {
	f.t.Helper()
	ctx, cancel := f.ctx(2 * time.Minute)
	defer cancel()
	rows, err := f.primary.QueryContext(ctx, fmt.Sprintf("SELECT id, v, s FROM `%s`", table))
	if err != nil {
		f.t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	m := model{}
	for rows.Next() {
		var id int64
		var r row
		if err := rows.Scan(&id, &r.V, &r.S); err != nil {
			f.t.Fatal(err)
		}
		m[id] = r
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return m
}

// assertRows checks that table holds exactly the writers' model; ids whose last write
// ended without an answer are not compared. A difference names when the id was last
// written, to be read against ghost's log.
func (f *fixture) assertRows(table string, res writerResult) {
	f.t.Helper()
	want, skip := res.Model, res.Uncertain
	got := f.readRows(table)
	var diffs []string
	ids := map[int64]bool{}
	for id := range want {
		ids[id] = true
	}
	for id := range got {
		ids[id] = true
	}
	sorted := slices.Sorted(maps.Keys(ids))
	for _, id := range sorted {
		if skip[id] {
			continue
		}
		g, inGot := got[id]
		w, inWant := want[id]
		when := ""
		if at, ok := res.LastAt[id]; ok {
			when = " (last written " + at.Format("15:04:05.000") + ")"
		}
		switch {
		case inWant && !inGot:
			diffs = append(diffs, fmt.Sprintf("id %d missing, want v=%d s=%q%s", id, w.V, w.S, when))
		case inGot && !inWant:
			diffs = append(diffs, fmt.Sprintf("id %d present (v=%d s=%q), want absent%s", id, g.V, g.S, when))
		case g != w:
			diffs = append(diffs, fmt.Sprintf("id %d is v=%d s=%q, want v=%d s=%q%s", id, g.V, g.S, w.V, w.S, when))
		}
	}
	if len(diffs) > 0 {
		n := len(diffs)
		if n > 15 {
			diffs = diffs[:15]
		}
		f.t.Errorf("%s.%s differs from the writers' model in %d rows (%d rows, want %d):\n  %s",
			f.db, table, n, len(got), len(want), strings.Join(diffs, "\n  "))
	}
}

// checkWriter fails the test on writes that vanished or errors the test does not allow.
func checkWriter(f *fixture, res writerResult, allowed ...string) {
	f.t.Helper()
	if n := res.Errors[loadgen.ErrNoSuchTable]; n > 0 {
		f.t.Errorf("writers saw error 1146 (table doesn't exist) %d times", n)
	}
	for code, n := range res.Errors {
		if code == loadgen.ErrDeadlock {
			// The copy reads with shared locks: a writer's INSERT into a chunk's range can
			// queue behind them in a way InnoDB resolves by failing the writer (seen once in
			// TestPurgedBinlogs). The statement changed nothing, and the accounting above
			// knows it; an application retries, as it must with gh-ost.
			f.t.Logf("writers saw error %s (deadlock with a chunk's shared locks) %d times", code, n)
			continue
		}
		if code != loadgen.ErrNoSuchTable && !slices.Contains(allowed, code) {
			f.t.Errorf("writers saw error %s %d times", code, n)
		}
	}
	for _, a := range res.Anomalies {
		f.t.Errorf("writer: %s", a)
	}
	if res.OK == 0 {
		f.t.Errorf("writers committed nothing")
	}
}

// errorSummary renders error counts in a stable order.
func errorSummary(errs map[string]int) string {
	if len(errs) == 0 {
		return "none"
	}
	keys := slices.Collect(maps.Keys(errs))
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, errs[k]))
	}
	return strings.Join(parts, ", ")
}
