package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/go-sql-driver/mysql"
)

// writeTimeout bounds one transaction: longer than any cut-over lock ghost may hold.
const writeTimeout = 30 * time.Second

// Kinds of writes, each applied to the table and its twin in one transaction.
const (
	kindInsert      = "insert"
	kindUpdate      = "update"
	kindDelete      = "delete"
	kindRangeUpdate = "range-update"
)

// kindWeights is the mix of writes: mostly single-row inserts and updates.
var kindWeights = []struct {
	kind   string
	weight int
}{{kindInsert, 35}, {kindUpdate, 45}, {kindDelete, 10}, {kindRangeUpdate, 10}}

// writers is the demo's write load: n goroutines, each paced to rate/n transactions per second.
// Every transaction writes the table first and then the twin, with the same values, so that the
// twin stays a copy of the table whatever ghost does to it; taking the row locks in the same
// order (table, then twin) in every transaction keeps the two from deadlocking each other.
type writers struct {
	db           *sql.DB
	table, twin  string // quoted
	n            int
	rate         float64
	maxID        atomic.Int64 // largest id known to exist: the targets of updates and deletes
	stop         chan struct{}
	wg           sync.WaitGroup
	mu           sync.Mutex
	committed    map[string]int64 // by kind
	errs         map[string]int64 // by code (MySQL error number, or "timeout", "canceled", "other")
	firstErr     map[string]string
	maxLatency   time.Duration
	slow         int64 // transactions that took more than a second
	started, end time.Time
}

// writeStats is what the writers did.
type writeStats struct {
	Committed  map[string]int64
	Errors     map[string]int64
	FirstError map[string]string
	MaxLatency time.Duration
	Slow       int64
	Duration   time.Duration
}

func (s writeStats) total() int64 {
	var n int64
	for _, v := range s.Committed {
		n += v
	}
	return n
}

func (s writeStats) errorTotal() int64 {
	var n int64
	for _, v := range s.Errors {
		n += v
	}
	return n
}

func newWriters(db *sql.DB, table, twin string, n int, rate float64, maxID int64) *writers {
	w := &writers{
		db: db, table: dbconn.QuoteIdent(table), twin: dbconn.QuoteIdent(twin), n: n, rate: rate,
		stop:      make(chan struct{}),
		committed: map[string]int64{},
		errs:      map[string]int64{},
		firstErr:  map[string]string{},
	}
	w.maxID.Store(maxID)
	return w
}

// Start starts the goroutines; they run until Stop or ctx is done.
func (w *writers) Start(ctx context.Context) {
	w.started = time.Now()
	seed := rand.Uint64()
	for i := range w.n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.loop(ctx, rand.New(rand.NewPCG(seed, uint64(i))))
		}()
	}
}

// Stop ends the load, waits for the transactions in flight and returns the statistics.
func (w *writers) Stop() writeStats {
	close(w.stop)
	w.wg.Wait()
	w.end = time.Now()
	return w.Snapshot()
}

// Snapshot returns the statistics so far.
func (w *writers) Snapshot() writeStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := writeStats{
		Committed: map[string]int64{}, Errors: map[string]int64{}, FirstError: map[string]string{},
		MaxLatency: w.maxLatency, Slow: w.slow,
	}
	for k, v := range w.committed {
		s.Committed[k] = v
	}
	for k, v := range w.errs {
		s.Errors[k] = v
	}
	for k, v := range w.firstErr {
		s.FirstError[k] = v
	}
	end := w.end
	if end.IsZero() {
		end = time.Now()
	}
	s.Duration = end.Sub(w.started)
	return s
}

func (w *writers) loop(ctx context.Context, rng *rand.Rand) {
	interval := time.Duration(float64(time.Second) * float64(w.n) / w.rate)
	// Spread the goroutines' first writes over one interval.
	next := time.Now().Add(time.Duration(rng.Int64N(int64(interval) + 1)))
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if d := time.Until(next); d > 0 {
			timer.Reset(d)
			select {
			case <-w.stop:
				return
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
		select {
		case <-w.stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		// Pace without bursts: after a stall (a cut-over lock) do not catch up.
		next = next.Add(interval)
		if now := time.Now(); next.Before(now) {
			next = now
		}
		w.writeOne(ctx, rng)
	}
}

func (w *writers) writeOne(ctx context.Context, rng *rand.Rand) {
	kind := pickKind(rng.IntN(100))
	begin := time.Now()
	tctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	err := w.inTx(tctx, func(tx *sql.Tx) error { return w.apply(tctx, tx, kind, rng) })
	took := time.Since(begin)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.maxLatency = max(w.maxLatency, took)
	if took > time.Second {
		w.slow++
	}
	if err == nil {
		w.committed[kind]++
		return
	}
	code := errorCode(err)
	w.errs[code]++
	if _, ok := w.firstErr[code]; !ok {
		w.firstErr[code] = err.Error()
	}
}

func pickKind(n int) string {
	for _, kw := range kindWeights {
		if n < kw.weight {
			return kw.kind
		}
		n -= kw.weight
	}
	return kindUpdate
}

func (w *writers) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// apply runs one write on the table and then the same write on the twin.
func (w *writers) apply(ctx context.Context, tx *sql.Tx, kind string, rng *rand.Rand) error {
	maxID := max(w.maxID.Load(), 1)
	id := 1 + rng.Int64N(maxID)
	both := func(query string, args ...any) error {
		for _, t := range []string{w.table, w.twin} {
			if _, err := tx.ExecContext(ctx, strings.ReplaceAll(query, "{t}", t), args...); err != nil {
				return err
			}
		}
		return nil
	}
	switch kind {
	case kindInsert:
		vals := []any{rng.Int64N(maxID) + 1, randomC(rng), randomPad(rng), randomTime(rng), randomPrice(rng), statuses[rng.IntN(len(statuses))]}
		res, err := tx.ExecContext(ctx, "INSERT INTO "+w.table+" (k, c, pad, created, price, status) VALUES (?, ?, ?, ?, ?, ?)", vals...)
		if err != nil {
			return err
		}
		newID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		// The twin gets the id the table's AUTO_INCREMENT chose.
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+w.twin+" (id, k, c, pad, created, price, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
			append([]any{newID}, vals...)...); err != nil {
			return err
		}
		for cur := w.maxID.Load(); newID > cur && !w.maxID.CompareAndSwap(cur, newID); cur = w.maxID.Load() {
		}
		return nil
	case kindUpdate:
		return both("UPDATE {t} SET k = k + 1, price = ?, status = ?, created = ? WHERE id = ?",
			randomPrice(rng), statuses[rng.IntN(len(statuses))], randomTime(rng), id)
	case kindDelete:
		return both("DELETE FROM {t} WHERE id = ?", id)
	default: // kindRangeUpdate
		return both("UPDATE {t} SET c = ?, pad = ? WHERE id BETWEEN ? AND ?", randomC(rng), randomPad(rng), id, id+9)
	}
}

func randomC(rng *rand.Rand) string {
	parts := make([]string, 10)
	for i := range parts {
		parts[i] = fmt.Sprintf("%011d", rng.Int64N(100_000_000_000))
	}
	return strings.Join(parts, "-")[:119]
}

func randomPad(rng *rand.Rand) string {
	parts := make([]string, 5)
	for i := range parts {
		parts[i] = fmt.Sprintf("%011d", rng.Int64N(100_000_000_000))
	}
	return strings.Join(parts, "-")[:59]
}

func randomTime(rng *rand.Rand) string {
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
	return t.Format("2006-01-02 15:04:05.000000")
}

func randomPrice(rng *rand.Rand) string {
	cents := rng.Int64N(100_000_000)
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// errorCode classifies a failed write by MySQL error number, never by message.
func errorCode(err error) string {
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &me):
		return strconv.Itoa(int(me.Number))
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	default:
		return "other"
	}
}

// errorNames explains the codes a demo run may see.
var errorNames = map[string]string{
	"1146":     "table doesn't exist",
	"1205":     "lock wait timeout",
	"1213":     "deadlock",
	"1062":     "duplicate key",
	"timeout":  "transaction took longer than " + writeTimeout.String(),
	"canceled": "interrupted",
}

// formatCounts renders a count map as "a 3, b 2" in a stable order (largest first).
func formatCounts(m map[string]int64, order []string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		for i, o := range order {
			if o == k {
				return i
			}
		}
		return len(order)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
