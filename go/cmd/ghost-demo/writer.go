package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/loadgen"
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

// writers is the demo's write load: a loadgen open loop of n workers at rate transactions per
// second in all, each latency measured from the transaction's scheduled time. Every transaction
// writes the table first and then the twin, with the same values, so that the twin stays a copy
// of the table whatever ghost does to it; taking the row locks in the same order (table, then
// twin) in every transaction keeps the two from deadlocking each other.
type writers struct {
	db    *sql.DB
	tw    loadgen.Twin
	maxID atomic.Int64 // largest id known to exist: the targets of updates and deletes
	loop  *loadgen.Loop
}

// writeStats is what the writers did.
type writeStats struct {
	Committed  map[string]int64 // by kind
	Errors     map[string]int64 // by code (MySQL error number, or loadgen's Code* classes)
	FirstError map[string]string
	MaxLatency time.Duration
	Slow       int64 // transactions that took more than a second
	Duration   time.Duration
}

func (s writeStats) total() int64 {
	var n int64
	for _, v := range s.Committed {
		n += v
	}
	return n
}

func newWriters(db *sql.DB, table, twin string, n int, rate float64, maxID int64) (*writers, error) {
	w := &writers{db: db, tw: loadgen.Twin{Table: table, Twin: twin}}
	w.maxID.Store(maxID)
	loop, err := loadgen.NewLoop(loadgen.LoopConfig{Op: w.transaction, Workers: n, Rate: rate, OpTimeout: writeTimeout})
	if err != nil {
		return nil, err
	}
	w.loop = loop
	return w, nil
}

// Start starts the writers; they run until Stop or ctx is done.
func (w *writers) Start(ctx context.Context) error { return w.loop.Start(ctx) }

// Stop ends the load, waits for the transactions in flight and returns the statistics.
func (w *writers) Stop() writeStats {
	w.loop.Stop()
	res := w.loop.Wait()
	st := res.Stats
	s := writeStats{Committed: map[string]int64{}, Errors: st.Errors(), FirstError: map[string]string{},
		MaxLatency: st.Longest(res.Start, res.End), Slow: st.SlowerThan(time.Second), Duration: res.End.Sub(res.Start)}
	totals := st.Totals()
	for _, k := range kindOrder() {
		if n := totals[k].OK; n > 0 {
			s.Committed[k] = n
		}
	}
	for code, err := range w.loop.FirstErrors() {
		s.FirstError[code] = err.Error()
	}
	return s
}

// transaction is the loop's Op: one write of a kind picked by the mix, on both tables.
func (w *writers) transaction(ctx context.Context, wk *loadgen.Worker) (loadgen.Kind, int64, error) {
	kind := pickKind(wk.Rand.IntN(100))
	err := loadgen.InTx(ctx, w.db, func(tx *sql.Tx) error { return w.apply(ctx, tx, kind, wk.Rand) })
	return loadgen.Kind(kind), 0, err
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

// apply runs one write on the table and then the same write on the twin.
func (w *writers) apply(ctx context.Context, tx *sql.Tx, kind string, rng *rand.Rand) error {
	maxID := max(w.maxID.Load(), 1)
	id := 1 + rng.Int64N(maxID)
	both := func(query string, args ...any) error {
		_, err := w.tw.Exec(ctx, tx, query, args...)
		return err
	}
	table, twin := dbconn.QuoteIdent(w.tw.Table), dbconn.QuoteIdent(w.tw.Twin)
	switch kind {
	case kindInsert:
		vals := []any{rng.Int64N(maxID) + 1, randomC(rng), randomPad(rng), randomTime(rng), randomPrice(rng), statuses[rng.IntN(len(statuses))]}
		res, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (k, c, pad, created, price, status) VALUES (?, ?, ?, ?, ?, ?)", vals...)
		if err != nil {
			return err
		}
		newID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		// The twin gets the id the table's AUTO_INCREMENT chose.
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+twin+" (id, k, c, pad, created, price, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
			append([]any{newID}, vals...)...); err != nil {
			return err
		}
		for cur := w.maxID.Load(); newID > cur && !w.maxID.CompareAndSwap(cur, newID); cur = w.maxID.Load() {
		}
		return nil
	case kindUpdate:
		return both("UPDATE "+loadgen.TablePlaceholder+" SET k = k + 1, price = ?, status = ?, created = ? WHERE id = ?",
			randomPrice(rng), statuses[rng.IntN(len(statuses))], randomTime(rng), id)
	case kindDelete:
		return both("DELETE FROM "+loadgen.TablePlaceholder+" WHERE id = ?", id)
	default: // kindRangeUpdate
		return both("UPDATE "+loadgen.TablePlaceholder+" SET c = ?, pad = ? WHERE id BETWEEN ? AND ?", randomC(rng), randomPad(rng), id, id+9)
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

// errorNames explains the codes a demo run may see.
var errorNames = map[string]string{
	"1146":               "table doesn't exist",
	"1205":               "lock wait timeout",
	"1213":               "deadlock",
	"1062":               "duplicate key",
	loadgen.CodeTimeout:  "transaction took longer than " + writeTimeout.String(),
	loadgen.CodeCanceled: "interrupted",
	loadgen.CodeConn:     "connection lost",
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
