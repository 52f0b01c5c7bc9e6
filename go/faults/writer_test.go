package faults

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
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

// writerConfig configures a writer.
type writerConfig struct {
	// Workers write at once, each on ids of its own (id % Workers), so their writes never
	// wait for each other. Default 2.
	Workers int
	// Pause is the sleep between two writes of a worker; default 3ms.
	Pause time.Duration
	// Rate > 0 makes the writers an open loop at this many writes per second: a write's
	// latency counts from when it was due, queueing behind a stall included (Pause unused).
	Rate float64
	// Avoid are ids never written (rows a test keeps locked).
	Avoid []int64
	// Seed makes the writes reproducible; 0 picks one.
	Seed uint64
	// MoveKeys makes a tenth of the updates move their row to a new id (UPDATE ... SET id).
	MoveKeys bool
	// Columns are the text columns every write sets to the row's text (default s): two of
	// them is an application writing both the old and the new column of an expand-contract.
	Columns []string
}

// writer writes to t on the primary until stopped: updates, inserts of new ids,
// deletes, and inserts of deleted ids again (a repeated or skipped binlog event then
// shows in the final rows). It runs on a loadgen closed loop, whose statistics keep every
// write's latency and outcome, and keeps the model of what it committed.
type writer struct {
	db     *sql.DB
	table  string
	cfg    writerConfig
	loop   *loadgen.Loop
	seq    atomic.Int64 // the last value written: values only grow
	avoid  map[int64]bool
	parts  []*part // per worker, merged at stop; only its worker touches one
	static model   // rows no worker touches

	mu        sync.Mutex
	anomalies []string
	uncertain map[int64]bool // ids whose last write ended without a server answer
	lastAt    map[int64]time.Time

	stopOnce sync.Once
	result   writerResult
	held     atomic.Bool // paused: stop releases the workers first (a test that failed while they were held)
}

// part is one worker's share of the rows.
type part struct {
	rows       model
	live, dead []int64
	nextID     int64 // the next new id; ids of a worker keep its residue
}

// writerResult is what a stopped writer reports.
type writerResult struct {
	Model     model
	Stats     *loadgen.Stats // every write, by the time it was sent
	Errors    map[string]int64
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
	db, err := f.topo.Primary.Open(f.db)
	if err != nil {
		f.t.Fatal(err)
	}
	db.SetMaxOpenConns(cfg.Workers)
	db.SetMaxIdleConns(cfg.Workers)
	w := &writer{db: db, table: f.table, cfg: cfg, avoid: map[int64]bool{}, static: model{},
		uncertain: map[int64]bool{}, lastAt: map[int64]time.Time{}}
	for _, id := range cfg.Avoid {
		w.avoid[id] = true
	}
	var maxID int64
	for id := range m {
		maxID = max(maxID, id)
	}
	// New ids start above anything existing, aligned so each worker keeps its residue.
	base := (maxID/int64(cfg.Workers) + 1) * int64(cfg.Workers)
	w.parts = make([]*part, cfg.Workers)
	for i := range w.parts {
		w.parts[i] = &part{rows: model{}, nextID: base + int64(i)}
	}
	for id, r := range m {
		if w.avoid[id] || id <= 0 {
			w.static[id] = r
			continue
		}
		w.parts[id%int64(cfg.Workers)].rows[id] = r
	}
	for _, p := range w.parts {
		p.live = slices.Sorted(maps.Keys(p.rows))
	}
	// Values only grow, so a stale row image can never look current.
	for _, r := range m {
		w.seq.Store(max(w.seq.Load(), r.V))
	}
	w.seq.Add(1_000_000)
	w.loop, err = loadgen.NewLoop(loadgen.LoopConfig{Op: w.write, Workers: cfg.Workers, Pause: cfg.Pause, Rate: cfg.Rate,
		OpTimeout: time.Minute, Seed: cfg.Seed})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := w.loop.Start(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { w.stop() })
	return w
}

// The kinds of a writer's writes.
const (
	kindUpdate   loadgen.Kind = "update"
	kindDelete   loadgen.Kind = "delete"
	kindReinsert loadgen.Kind = "reinsert"
	kindInsert   loadgen.Kind = "insert"
	kindMove     loadgen.Kind = "move"
)

// write is the loop's Op: one write of worker wk on its own rows.
func (w *writer) write(ctx context.Context, wk *loadgen.Worker) (loadgen.Kind, int64, error) {
	p := w.parts[wk.ID]
	step := int64(w.cfg.Workers)
	for w.avoid[p.nextID] {
		p.nextID += step
	}
	v := w.seq.Add(1)
	r := row{V: v, S: fmt.Sprintf("w%d-%d", wk.ID, v)}
	var q string
	var args []any
	var id int64
	slot := -1
	kind := kindInsert
	var moveTo int64
	switch n := wk.Rand.IntN(100); {
	case w.cfg.MoveKeys && n < 6 && len(p.live) > 0:
		kind, slot = kindMove, wk.Rand.IntN(len(p.live))
		id, moveTo = p.live[slot], p.nextID
		p.nextID += step
		q, args = "UPDATE "+w.table+" SET id = ?, v = ?, "+w.sets()+" WHERE id = ?", append(append([]any{moveTo, r.V}, w.texts(r.S)...), id)
	case n < 55 && len(p.live) > 0:
		kind, slot = kindUpdate, wk.Rand.IntN(len(p.live))
		id = p.live[slot]
		q, args = "UPDATE "+w.table+" SET v = ?, "+w.sets()+" WHERE id = ?", append(append([]any{r.V}, w.texts(r.S)...), id)
	case n >= 70 && n < 85 && len(p.live) > 0:
		kind, slot = kindDelete, wk.Rand.IntN(len(p.live))
		id = p.live[slot]
		q, args = "DELETE FROM "+w.table+" WHERE id = ?", []any{id}
	case n >= 85 && len(p.dead) > 0:
		kind, slot = kindReinsert, wk.Rand.IntN(len(p.dead))
		id = p.dead[slot]
		q, args = w.insert(id, r)
	default:
		id = p.nextID
		p.nextID += step
		q, args = w.insert(id, r)
	}
	start := time.Now()
	res, err := w.db.ExecContext(ctx, q, args...)
	code := loadgen.ErrorCode(err)
	var affected int64
	if err == nil {
		affected, _ = res.RowsAffected()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err == nil:
		w.lastAt[id] = start
		if affected != 1 {
			w.anomalies = append(w.anomalies, fmt.Sprintf("%s (id %d) affected %d rows, want 1", firstWords(q), id, affected))
		}
		switch kind {
		case kindUpdate:
			p.rows[id] = r
		case kindDelete:
			delete(p.rows, id)
			p.live = slices.Delete(p.live, slot, slot+1)
			p.dead = append(p.dead, id)
		case kindReinsert:
			p.rows[id] = r
			p.dead = slices.Delete(p.dead, slot, slot+1)
			p.live = append(p.live, id)
		case kindInsert:
			p.rows[id] = r
			p.live = append(p.live, id)
		case kindMove:
			delete(p.rows, id)
			p.live = slices.Delete(p.live, slot, slot+1)
			p.dead = append(p.dead, id)
			p.rows[moveTo] = r
			p.live = append(p.live, moveTo)
			w.lastAt[moveTo] = start
		}
	case strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0:
		// No server answer: the write may or may not have committed.
		w.uncertain[id] = true
		if moveTo != 0 {
			w.uncertain[moveTo] = true
		}
	}
	// Otherwise the server refused the statement: it changed nothing.
	return kind, affected, err
}

// pause holds the writers once their writes in flight are done; resume lets them go on.
func (w *writer) pause() {
	w.loop.Hold()
	w.held.Store(true)
}

func (w *writer) resume() {
	w.held.Store(false)
	w.loop.Release()
}

// okSince counts successful writes sent at or after from.
func (w *writer) okSince(from time.Time) int64 {
	return w.loop.Stats().Summary(from, time.Now().Add(time.Hour)).OK
}

// stop ends the writes and returns the result; it may be called more than once.
func (w *writer) stop() writerResult {
	w.stopOnce.Do(func() {
		if w.held.CompareAndSwap(true, false) {
			w.loop.Release()
		}
		w.loop.Stop()
		st := w.loop.Wait().Stats
		w.db.Close()
		w.mu.Lock()
		defer w.mu.Unlock()
		m := maps.Clone(w.static)
		for _, p := range w.parts {
			maps.Copy(m, p.rows)
		}
		ok, _ := st.Counts()
		w.result = writerResult{Model: m, Stats: st, Errors: st.Errors(), Anomalies: w.anomalies,
			Uncertain: w.uncertain, OK: ok, LastAt: w.lastAt}
	})
	res := w.result
	res.Model = maps.Clone(res.Model)
	return res
}

// readRows reads (id, v, s) of every row of a table on the primary; s must not be NULL.
func (f *fixture) readRows(table string) model { return f.readText(table, "s", false) }

// readRowsOf reads (id, v, col) of every row: the model's text in another column, NULL as "".
func (f *fixture) readRowsOf(table, col string) model { return f.readText(table, col, true) }

func (f *fixture) readText(table, col string, nullAsEmpty bool) model {
	f.t.Helper()
	ctx, cancel := f.ctx(2 * time.Minute)
	defer cancel()
	rows, err := f.primary.QueryContext(ctx, fmt.Sprintf("SELECT id, v, `%s` FROM `%s`", col, table))
	if err != nil {
		f.t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	m := model{}
	for rows.Next() {
		var id int64
		var r row
		var s sql.NullString
		if err := rows.Scan(&id, &r.V, &s); err != nil {
			f.t.Fatal(err)
		}
		if !s.Valid && !nullAsEmpty {
			f.t.Fatalf("read %s: id %d has %s NULL", table, id, col)
		}
		r.S = s.String
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
func errorSummary(errs map[string]int64) string {
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

// assertNativeTwin is the oracle of the suite's twin tables, built from the writers' record:
// a twin of t's original definition holding exactly the rows the writers committed, altered
// natively by the server with alter ("" for none), must equal table in definition and in every
// column of every row (ids whose last write went unanswered are not compared).
func (f *fixture) assertNativeTwin(table string, res writerResult, alter string) {
	f.t.Helper()
	twin := "twin_" + table
	f.exec(f.primary, "DROP TABLE IF EXISTS "+twin)
	f.exec(f.primary, "CREATE TABLE "+twin+" (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(64) NOT NULL) ENGINE=InnoDB")
	ids := slices.Sorted(maps.Keys(res.Model))
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		var vals []string
		var args []any
		for _, id := range ids[:n] {
			r := res.Model[id]
			vals = append(vals, "(?, ?, ?)")
			args = append(args, id, r.V, r.S)
		}
		f.exec(f.primary, "INSERT INTO "+twin+" (id, v, s) VALUES "+strings.Join(vals, ","), args...)
		ids = ids[n:]
	}
	if alter != "" {
		f.exec(f.primary, "ALTER TABLE "+twin+" "+alter)
	}
	defer f.exec(f.primary, "DROP TABLE IF EXISTS "+twin)
	if a, b := f.definition(table), f.definition(twin); a != b {
		f.t.Errorf("%s differs in definition from the native ALTER of its twin:\n%s\n---\n%s", table, a, b)
	}
	got, want := f.allRows(table), f.allRows(twin)
	var diffs []string
	for id, w := range want {
		if res.Uncertain[id] {
			continue
		}
		if g, ok := got[id]; !ok || g != w {
			diffs = append(diffs, fmt.Sprintf("id %d: %q, twin %q", id, g, w))
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok && !res.Uncertain[id] {
			diffs = append(diffs, fmt.Sprintf("id %d: %q, not in the twin", id, g))
		}
	}
	if len(diffs) > 0 {
		slices.Sort(diffs)
		f.t.Errorf("%s differs from its natively altered twin in %d rows:\n  %s", table, len(diffs), strings.Join(diffs[:min(len(diffs), 15)], "\n  "))
	}
}

// definition is SHOW CREATE TABLE without the name line and the counter.
func (f *fixture) definition(table string) string {
	f.t.Helper()
	var n, def string
	if err := f.primary.QueryRow("SHOW CREATE TABLE `"+table+"`").Scan(&n, &def); err != nil {
		f.t.Fatalf("definition of %s: %v", table, err)
	}
	if i := strings.IndexByte(def, '\n'); i >= 0 {
		def = def[i+1:]
	}
	return regexp.MustCompile(` AUTO_INCREMENT=[0-9]+`).ReplaceAllString(def, "")
}

// allRows reads every column of every row of a table, each row as text, by id.
func (f *fixture) allRows(table string) map[int64]string {
	f.t.Helper()
	rows, err := f.primary.Query("SELECT * FROM `" + table + "`")
	if err != nil {
		f.t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[int64]string{}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			f.t.Fatal(err)
		}
		id, _ := strconv.ParseInt(vals[0].String, 10, 64)
		out[id] = fmt.Sprint(vals)
	}
	return out
}

func (w *writer) columns() []string {
	if len(w.cfg.Columns) == 0 {
		return []string{"s"}
	}
	return w.cfg.Columns
}

// sets is "c1 = ?, c2 = ?" of the text columns; texts their arguments.
func (w *writer) sets() string {
	var p []string
	for _, c := range w.columns() {
		p = append(p, c+" = ?")
	}
	return strings.Join(p, ", ")
}

func (w *writer) texts(s string) []any {
	out := make([]any, len(w.columns()))
	for i := range out {
		out[i] = s
	}
	return out
}

func (w *writer) insert(id int64, r row) (string, []any) {
	cols := w.columns()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	return "INSERT INTO " + w.table + " (id, v, " + strings.Join(cols, ", ") + ") VALUES (?, ?, " + marks + ")", append([]any{id, r.V}, w.texts(r.S)...)
}
