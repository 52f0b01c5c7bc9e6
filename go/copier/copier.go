package copier

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// KeyKind says how a key column's values are read back so that they compare exactly.
type KeyKind int

const (
	KeyBytes KeyKind = iota // strings and binary: raw bytes
	KeySigned
	KeyUnsigned // unsigned integers, and ENUM and BIT read as numbers (sqlgen.Col.Number)
	KeyText     // temporal, decimal and others: text
)

// Config is what a Copier needs.
type Config struct {
	DB    *sql.DB
	Orig  sqlgen.Table
	Ghost sqlgen.Table
	Index string // the shared key's name in the original table
	// PanicOnWarnings fails a chunk whose copy left any warning (--panic-on-warnings).
	PanicOnWarnings bool
	// Consistent copies each chunk with a consistent read of the original (READ COMMITTED, no
	// lock on its rows: --copy=snapshot) instead of a shared-lock read (--copy=locking). Guard
	// must keep the applier off the ghost table while a chunk runs: that is what makes the
	// unlocked read correct (docs/copy-and-apply.md).
	Consistent bool
	// SnapshotMaxAge bounds how long the read view of a Consistent chunk lives
	// (--snapshot-max-age; InnoDB keeps the undo history the view may need for as long as it
	// lives). On MariaDB the chunk's INSERT ... SELECT runs under max_statement_time; a chunk
	// the server stops for it is copied again in consecutive parts of half its rows, each its
	// own transaction and read view, split again if a part ages too. Zero means no bound.
	// MySQL bounds no INSERT ... SELECT this way (max_execution_time is for SELECT only): there
	// the chunk-time steering alone keeps a chunk's read view short.
	SnapshotMaxAge time.Duration
	Flavor         dbconn.Flavor
	Key            []sqlgen.Col // the shared key's columns
	KeyKinds       []KeyKind
	OrigCols       []sqlgen.Col // columns read from the original...
	GhostCols      []sqlgen.Col // ...and where they go, position by position
	// ChunkSize is read before every chunk so that it can change at run time.
	ChunkSize func() int64
	// Retries bounds attempts of one chunk on retryable errors; zero means 5.
	Retries int
	// OutageBudget is how long a chunk waits out the server being out of reach (a restart,
	// a failover) before the copy fails; zero means dbconn.OutageBudget(Retries).
	OutageBudget time.Duration
	// Guard, when set, is held around every attempt's transaction: the migration uses it to
	// keep chunk copies and the applier's turns off the ghost table at the same time.
	Guard sync.Locker
	// OnCopied, when set, is told of every completed chunk: its rows and how long its
	// transaction took, not counting the wait for Guard (the applier's turn).
	OnCopied func(rows int64, took time.Duration)
	// OnRetry is told of every failed attempt that will be retried.
	OnRetry func(err error)
	// CatchUp, when set, is called after a chunk failed on a duplicate key and before it is
	// tried again: it returns once the applier has applied every change committed so far.
	// Why: a chunk reads the original as it is now, while the ghost rows of ranges already
	// copied may still wait for their changes. When the application swaps a unique value
	// between a copied row and a row of the chunk, the chunk brings the value before the
	// applier takes it from the copied row: a duplicate that is gone once the applier caught up.
	// A duplicate that remains after catching up is in the data: the copy fails.
	CatchUp func(ctx context.Context) error
	Log     *logrus.Entry
}

// Chunk is a key range to copy. Boundaries are key tuples.
type Chunk struct {
	Seq    int64
	Bounds sqlgen.Bounds
	// Last is the final chunk of the table as it was when the copy began.
	Last bool
	// Rows is the number of rows the chunk was cut to (zero: not known, as for a repair).
	Rows int64
}

// Copier hands out chunks and copies them.
type Copier struct {
	cfg Config

	min, max []any // the key range at the start; nil when the table was empty
	// minExclusive: min was copied by an earlier run (Resume); the copy starts after it.
	minExclusive bool
	resumed      bool
	next         sqlgen.Bounds
	seq          int64
	done         bool

	// progressMu guards the record of finished chunks, from which Progress tells the end of
	// the contiguous prefix of chunks that committed (with --threads they finish out of order).
	progressMu  sync.Mutex
	finished    map[int64]Chunk // finished chunks after the prefix
	prefixSeq   int64           // every chunk up to this sequence number has committed
	prefixUpper []any           // ... and its upper bound (nil: none yet, or the resumed bound)
	prefixDone  bool            // the last chunk is in the prefix: the copy is complete

	// reached is the upper bound of the last chunk handed out (nil before the first):
	// every key from min up to it belongs to a chunk that has started or will start now.
	reached atomic.Pointer[[]any]
	// prepared is set once min and max are known.
	prepared atomic.Bool
	intKey   bool // every key column is an integer: Go can order the keys

	copied atomic.Int64
	chunks atomic.Int64
	// longestView is the longest a chunk's read of the original lived, in nanoseconds.
	longestView atomic.Int64
	// capRows caps the chunk size after a chunk was split for its age (0: no cap).
	capRows atomic.Int64
}

func (c *Copier) noteReadView(d time.Duration) {
	for {
		old := c.longestView.Load()
		if int64(d) <= old || c.longestView.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// LongestReadView is the longest time one chunk's read of the original took: with a Consistent
// copy, the age its read view reached.
func (c *Copier) LongestReadView() time.Duration { return time.Duration(c.longestView.Load()) }

// New returns a Copier; call Prepare before Next.
func New(cfg Config) *Copier {
	if cfg.Retries == 0 {
		cfg.Retries = 5
	}
	if cfg.OutageBudget == 0 {
		cfg.OutageBudget = dbconn.OutageBudget(cfg.Retries)
	}
	c := &Copier{cfg: cfg, intKey: len(cfg.KeyKinds) > 0}
	for _, k := range cfg.KeyKinds {
		if k != KeySigned && k != KeyUnsigned {
			c.intKey = false
		}
	}
	return c
}

// Copied is the number of rows written by completed chunks.
func (c *Copier) Copied() int64 { return c.copied.Load() }

// Chunks is the number of completed chunks.
func (c *Copier) Chunks() int64 { return c.chunks.Load() }

// Resume makes the copy continue after an earlier run's copy position: every key up to and
// including after was copied (and kept up to date) by it. done says that run copied every
// chunk. Call it before Prepare.
func (c *Copier) Resume(after []any, done bool) {
	c.resumed = true
	c.progressMu.Lock()
	defer c.progressMu.Unlock()
	if done {
		c.done = true
		c.prefixDone = true
		return
	}
	if after != nil {
		c.min = after
		c.minExclusive = true
		c.prefixUpper = after
	}
}

// Done records a chunk handled outside Copy (a backfill's UPDATE) for Progress.
func (c *Copier) Done(ch Chunk) { c.finish(ch) }

// Progress is the copy position a checkpoint may record: every chunk up to and including
// upper has committed (upper nil: none yet), and done when every chunk has.
func (c *Copier) Progress() (upper []any, done bool) {
	c.progressMu.Lock()
	defer c.progressMu.Unlock()
	return c.prefixUpper, c.prefixDone
}

// finish records a committed chunk and moves the prefix over every chunk now contiguous.
func (c *Copier) finish(ch Chunk) {
	c.progressMu.Lock()
	defer c.progressMu.Unlock()
	if c.finished == nil {
		c.finished = map[int64]Chunk{}
	}
	c.finished[ch.Seq] = ch
	for {
		next, ok := c.finished[c.prefixSeq+1]
		if !ok {
			return
		}
		delete(c.finished, next.Seq)
		c.prefixSeq = next.Seq
		c.prefixUpper = next.Bounds.Upper
		if next.Last {
			c.prefixDone = true
		}
	}
}

// Prepare reads the first and last key of the original table. Rows beyond the last
// key are written later, so the binlog applier brings them to the ghost table.
func (c *Copier) Prepare(ctx context.Context) error {
	if c.resumed && c.done {
		return nil
	}
	// The edges are read with a shared lock, so they can deadlock with the
	// application's writes at the table's ends: retry like a chunk.
	if c.min == nil {
		if err := c.withRetries(ctx, func() (err error) { c.min, err = c.edge(ctx, false); return err }); err != nil {
			return err
		}
	}
	if err := c.withRetries(ctx, func() (err error) { c.max, err = c.edge(ctx, true); return err }); err != nil {
		return err
	}
	if c.min == nil || c.max == nil {
		c.done = true
		c.progressMu.Lock()
		c.prefixDone = true
		c.progressMu.Unlock()
		return nil
	}
	c.next = sqlgen.Bounds{Lower: c.min, LowerInclusive: !c.minExclusive, Upper: c.max}
	c.prepared.Store(true)
	return nil
}

// Ahead tells whether key (values of the shared key, as the applier writes them) lies in
// the part of the table that no chunk has reached yet: after the last chunk handed out, up
// to the last key at the start. A change to such a row needs no applying: the chunk that
// will copy it starts after the change committed (the change was read from the binlog
// before this call, and the chunk is handed out after it) and its locking read sees the
// row as the change left it. Keys before the first key, after the last, or of chunks
// handed out are not ahead; nor is any key of a key with non-integer columns, whose
// order only the server's collation knows.
func (c *Copier) Ahead(key []any) bool {
	if !c.intKey || !c.prepared.Load() || c.min == nil || len(key) != len(c.cfg.Key) {
		return false
	}
	if r := c.reached.Load(); r != nil {
		if cmp, ok := compareInts(key, *r); !ok || cmp <= 0 {
			return false
		}
	} else if cmp, ok := compareInts(key, c.min); !ok || cmp < 0 || cmp == 0 && c.minExclusive {
		return false
	}
	cmp, ok := compareInts(key, c.max)
	return ok && cmp <= 0
}

// compareInts compares two integer key tuples lexicographically; ok is false when a pair of
// values is not two signed or two unsigned integers. Both sides of a column have the same
// signedness: key bounds are read as int64 or uint64 by the column's KeyKind, and the applier
// passes signed columns as go-mysql decodes them (int8..int64) and unsigned ones, ENUM member
// indexes and BIT values as uint64.
func compareInts(a, b []any) (c int, ok bool) {
	for i := range a {
		if x, xok := asSigned(a[i]); xok {
			y, yok := asSigned(b[i])
			if !yok {
				return 0, false
			}
			c = cmp.Compare(x, y)
		} else {
			x, xok := asUnsigned(a[i])
			y, yok := asUnsigned(b[i])
			if !xok || !yok {
				return 0, false
			}
			c = cmp.Compare(x, y)
		}
		if c != 0 {
			return c, true
		}
	}
	return 0, true
}

func asSigned(v any) (int64, bool) {
	switch n := v.(type) {
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}

func asUnsigned(v any) (uint64, bool) {
	switch n := v.(type) {
	case uint8:
		return uint64(n), true
	case uint16:
		return uint64(n), true
	case uint32:
		return uint64(n), true
	case uint64:
		return n, true
	case uint:
		return uint64(n), true
	}
	return 0, false
}

// Empty tells whether there was nothing to copy.
func (c *Copier) Empty() bool { return c.min == nil }

func (c *Copier) edge(ctx context.Context, desc bool) ([]any, error) {
	q := sqlgen.KeyEdge(c.cfg.Orig, c.cfg.Index, c.cfg.Key, desc)
	if c.cfg.Consistent {
		q = sqlgen.KeyEdgeConsistent(c.cfg.Orig, c.cfg.Index, c.cfg.Key, desc)
	}
	// A locking read needs a transaction of its own; it ends at once.
	tx, err := c.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read key range of %s: %w", c.cfg.Orig, err)
	}
	defer tx.Rollback()
	row, err := c.scanKey(tx.QueryContext(ctx, q))
	if err != nil {
		return nil, fmt.Errorf("read key range of %s: %w", c.cfg.Orig, err)
	}
	return row, tx.Commit()
}

// Next computes the next chunk's boundaries; ok is false when the table is covered.
func (c *Copier) Next(ctx context.Context) (ch Chunk, ok bool, err error) {
	if c.done {
		return Chunk{}, false, nil
	}
	size := c.cfg.ChunkSize()
	if limit := c.capRows.Load(); limit > 0 && limit < size {
		size = limit
	}
	if size < 1 {
		size = 1
	}
	q, args := sqlgen.ChunkEnd(c.cfg.Orig, c.cfg.Index, c.cfg.Key, c.next, size)
	var end []any
	err = c.withRetries(ctx, func() (err error) { end, err = c.scanKey(c.cfg.DB.QueryContext(ctx, q, args...)); return err })
	if err != nil {
		return Chunk{}, false, fmt.Errorf("find chunk end in %s: %w", c.cfg.Orig, err)
	}
	c.seq++
	ch = Chunk{Seq: c.seq, Bounds: sqlgen.Bounds{Lower: c.next.Lower, LowerInclusive: c.next.LowerInclusive}, Rows: size}
	if end == nil {
		ch.Bounds.Upper = c.max
		ch.Last = true
		c.done = true
	} else {
		ch.Bounds.Upper = end
		c.next = sqlgen.Bounds{Lower: end, Upper: c.max}
	}
	// Before the chunk can run: from now on the applier applies changes of its keys.
	upper := ch.Bounds.Upper
	c.reached.Store(&upper)
	return ch, true, nil
}

// Copy replaces the ghost rows of the chunk's range with the original's rows, in one
// transaction, retrying retryable failures. It returns the rows copied.
func (c *Copier) Copy(ctx context.Context, ch Chunk) (int64, error) {
	n, took, err := c.copyRetrying(ctx, ch)
	if err != nil {
		return 0, err
	}
	c.copied.Add(n)
	c.chunks.Add(1)
	c.finish(ch)
	if c.cfg.OnCopied != nil {
		c.cfg.OnCopied(n, took)
	}
	return n, nil
}

// Repair copies a key range again by the same rules as a chunk (the checksum's repair of a
// range that differs); it counts in no progress.
func (c *Copier) Repair(ctx context.Context, b sqlgen.Bounds) (int64, error) {
	n, _, err := c.copyRetrying(ctx, Chunk{Bounds: b})
	return n, err
}

// copyRetrying copies a chunk (attempts), in parts when its read view aged (copyInParts).
func (c *Copier) copyRetrying(ctx context.Context, ch Chunk) (int64, time.Duration, error) {
	n, took, err := c.attempts(ctx, ch)
	if errors.Is(err, errSnapshotAged) {
		return c.copyInParts(ctx, ch, err)
	}
	if err == nil && ch.Rows > 0 {
		c.relaxCap()
	}
	return n, took, err
}

// attempts copies a chunk, retrying retryable failures; a read view that aged is returned.
func (c *Copier) attempts(ctx context.Context, ch Chunk) (int64, time.Duration, error) {
	r := c.retrier()
	dups, lastDup := 0, ""
	for {
		n, took, err := c.copyOnce(ctx, ch)
		if err == nil {
			return n, took, nil
		}
		if ctx.Err() != nil {
			return 0, 0, context.Cause(ctx)
		}
		if errors.Is(err, errSnapshotAged) {
			return 0, 0, err
		}
		if c.cfg.CatchUp != nil && dbconn.Is(err, dbconn.ErrDupEntry) {
			// A duplicate the applier has not removed yet (a row whose key moved under
			// writes) is gone once it caught up; under steady writes the next try may meet
			// another such row. The same duplicate again after catching up is in the data.
			entry := dbconn.Message(err)
			if entry == lastDup || dups >= maxDupRetries {
				return 0, 0, err
			}
			dups, lastDup = dups+1, entry
			if c.cfg.OnRetry != nil {
				c.cfg.OnRetry(err)
			}
			if c.cfg.Log != nil {
				// Info, not a warning: a duplicate in the data ends the run with its own
				// one-line error, which these lines must not bury.
				c.cfg.Log.WithError(err).WithField("chunk", ch.Seq).Info("chunk met a duplicate key; retrying once the applier caught up")
			}
			if cerr := c.cfg.CatchUp(ctx); cerr != nil {
				return 0, 0, fmt.Errorf("copy chunk %d: %w (catching up after it: %v)", ch.Seq, err, cerr)
			}
			continue
		}
		if !dbconn.Retryable(err) {
			return 0, 0, err
		}
		wait, again := r.Next(err)
		if !again {
			return 0, 0, fmt.Errorf("copy chunk %d: %w", ch.Seq, r.GaveUp(err))
		}
		if c.cfg.OnRetry != nil {
			c.cfg.OnRetry(err)
		}
		if c.cfg.Log != nil {
			l := c.cfg.Log.WithError(err).WithField("chunk", ch.Seq)
			if dbconn.Outage(err) {
				l.WithField("outage", r.OutageLasted().Round(time.Millisecond).String()).Warn("chunk copy failed: the server is out of reach; waiting it out")
			} else {
				l.Warn("chunk copy failed; retrying")
			}
		}
		select {
		case <-ctx.Done():
			return 0, 0, context.Cause(ctx)
		case <-time.After(wait):
		}
	}
}

// errSnapshotAged marks a chunk the server stopped because its read view reached
// SnapshotMaxAge.
var errSnapshotAged = errors.New("its read view reached --snapshot-max-age")

// copyInParts copies a chunk that aged past SnapshotMaxAge as consecutive parts, each its own
// transaction and read view, of half its rows, halved again whenever a part ages too. Each part
// is a chunk within a range already handed out (the applier applies its keys' changes), so the
// argument of docs/copy-and-apply.md holds for each; the chunk counts as finished (progress,
// checkpoints) only once every part is in. The part size that worked caps the next chunks
// (relaxCap lifts the cap again as chunks copy in time), so a --chunk-size far above what the
// bound allows does not make every chunk age first.
func (c *Copier) copyInParts(ctx context.Context, ch Chunk, aged error) (int64, time.Duration, error) {
	size := ch.Rows
	if size <= 0 {
		size = c.cfg.ChunkSize()
	}
	rest := ch.Bounds
	var total int64
	var took time.Duration
	for {
		if size <= 1 {
			return 0, 0, fmt.Errorf("%w: copying one row takes that long; raise --snapshot-max-age", aged)
		}
		size = (size + 1) / 2
		if c.cfg.Log != nil {
			c.cfg.Log.WithFields(logrus.Fields{"chunk": ch.Seq, "part_rows": size}).
				Warn("the chunk's read view reached --snapshot-max-age; copying it in parts")
		}
		c.capRows.Store(size)
		for {
			q, args := sqlgen.ChunkEnd(c.cfg.Orig, c.cfg.Index, c.cfg.Key, rest, size)
			var end []any
			err := c.withRetries(ctx, func() (err error) { end, err = c.scanKey(c.cfg.DB.QueryContext(ctx, q, args...)); return err })
			if err != nil {
				return 0, 0, fmt.Errorf("find the end of a part of chunk %d in %s: %w", ch.Seq, c.cfg.Orig, err)
			}
			part := Chunk{Seq: ch.Seq, Bounds: rest, Rows: size}
			if end != nil {
				part.Bounds.Upper = end
			}
			n, t, err := c.attempts(ctx, part)
			if errors.Is(err, errSnapshotAged) {
				aged = err
				break // halve, and copy the rest from the same place
			}
			if err != nil {
				return 0, 0, err
			}
			total, took = total+n, took+t
			if end == nil {
				return total, took, nil
			}
			rest = sqlgen.Bounds{Lower: end, Upper: ch.Bounds.Upper}
		}
	}
}

// relaxCap doubles the cap a split chunk set on the chunk size, and lifts it once it no
// longer binds: a chunk copied in time.
func (c *Copier) relaxCap() {
	if v := c.capRows.Load(); v > 0 {
		next := v * 2
		if next >= c.cfg.ChunkSize() {
			next = 0
		}
		c.capRows.CompareAndSwap(v, next)
	}
}

// maxDupRetries bounds the catch-ups of one chunk that keeps meeting other duplicates.
const maxDupRetries = 50

// retrier is the retry policy of one statement of the copy.
func (c *Copier) retrier() dbconn.Retrier {
	return dbconn.Retrier{Attempts: c.cfg.Retries, Step: 100 * time.Millisecond, Budget: c.cfg.OutageBudget}
}

// withRetries runs fn until it succeeds, fails with an error that is not retryable,
// or has been tried cfg.Retries times, waiting longer after every failure.
func (c *Copier) withRetries(ctx context.Context, fn func() error) error {
	r := c.retrier()
	for {
		err := fn()
		if err == nil || !dbconn.Retryable(err) || ctx.Err() != nil {
			return err
		}
		wait, again := r.Next(err)
		if !again {
			return r.GaveUp(err)
		}
		if c.cfg.OnRetry != nil {
			c.cfg.OnRetry(err)
		}
		if c.cfg.Log != nil {
			c.cfg.Log.WithError(err).Warn("reading the key range failed; retrying")
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
	}
}

func (c *Copier) copyOnce(ctx context.Context, ch Chunk) (int64, time.Duration, error) {
	asked := time.Now()
	if c.cfg.Guard != nil {
		c.cfg.Guard.Lock()
		defer c.cfg.Guard.Unlock() // after the deferred rollback below
	}
	start := time.Now()
	var opts *sql.TxOptions
	if c.cfg.Consistent {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	tx, err := c.cfg.DB.BeginTx(ctx, opts)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	// Rows the applier wrote into a range not yet copied are replaced by the
	// original's current rows: the copy reads with a shared lock, so it sees every
	// change committed before it, and changes after it reach the applier later. With
	// Consistent, it reads the rows committed when its statement starts, locking none:
	// the applier, held off by Guard since before that start, has applied nothing
	// committed after it, and applies those changes once the chunk is in.
	del, dargs := sqlgen.DeleteRange(c.cfg.Ghost, c.cfg.Key, ch.Bounds)
	if _, err := tx.ExecContext(ctx, del, dargs...); err != nil {
		return 0, 0, fmt.Errorf("clear chunk %d in %s: %w", ch.Seq, c.cfg.Ghost, err)
	}
	copyRange := sqlgen.CopyRange
	if c.cfg.Consistent {
		copyRange = sqlgen.CopyRangeConsistent
	}
	ins, iargs := copyRange(c.cfg.Orig, c.cfg.Ghost, c.cfg.Index, c.cfg.OrigCols, c.cfg.GhostCols, c.cfg.Key, ch.Bounds)
	bounded := c.cfg.Consistent && c.cfg.SnapshotMaxAge > 0 && c.cfg.Flavor == dbconn.MariaDB
	if bounded {
		ins = fmt.Sprintf("SET STATEMENT max_statement_time=%.3f FOR %s", c.cfg.SnapshotMaxAge.Seconds(), ins)
	}
	read := time.Now()
	res, err := tx.ExecContext(ctx, ins, iargs...)
	view := time.Since(read) // how long the statement's read view lived
	if err != nil {
		if bounded && dbconn.Is(err, dbconn.ErrStatementTimeout) {
			return 0, 0, fmt.Errorf("copy chunk %d: %w (%s)", ch.Seq, errSnapshotAged, c.cfg.SnapshotMaxAge)
		}
		return 0, 0, fmt.Errorf("copy chunk %d into %s: %w", ch.Seq, c.cfg.Ghost, err)
	}
	c.noteReadView(view)
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	if c.cfg.PanicOnWarnings {
		if err := dbconn.CheckWarnings(ctx, tx, fmt.Sprintf("copy chunk %d into %s", ch.Seq, c.cfg.Ghost)); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("commit chunk %d: %w", ch.Seq, err)
	}
	took := time.Since(start)
	if c.cfg.Log != nil && c.cfg.Log.Logger.IsLevelEnabled(logrus.DebugLevel) {
		c.cfg.Log.WithFields(logrus.Fields{"chunk": ch.Seq, "rows": n, "waited": start.Sub(asked).Round(time.Microsecond).String(),
			"took": took.Round(time.Microsecond).String(), "read_view": view.Round(time.Microsecond).String()}).Debug("chunk copied")
	}
	return n, took, nil
}

func (c *Copier) scanKey(rows *sql.Rows, err error) ([]any, error) {
	return ReadKey(rows, err, c.cfg.Key, c.cfg.KeyKinds)
}

// ReadKey reads the first row of a query of key columns as a key tuple whose values compare
// exactly (by kind); nil when there is no row.
func ReadKey(rows *sql.Rows, err error, key []sqlgen.Col, kinds []KeyKind) ([]any, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	raw := make([]sql.RawBytes, len(key))
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]any, len(raw))
	for i, b := range raw {
		v, err := keyValue(kinds[i], b)
		if err != nil {
			return nil, fmt.Errorf("key column %s: %w", key[i].Name, err)
		}
		out[i] = v
	}
	return out, rows.Err()
}

func keyValue(kind KeyKind, b sql.RawBytes) (any, error) {
	if b == nil {
		return nil, errors.New("NULL in a key column")
	}
	switch kind {
	case KeySigned:
		return strconv.ParseInt(string(b), 10, 64)
	case KeyUnsigned:
		return strconv.ParseUint(string(b), 10, 64)
	case KeyText:
		return string(b), nil
	}
	// Never nil: an empty string is a valid key value, and a nil []byte would be sent
	// as NULL, making every comparison with it false.
	return append([]byte{}, b...), nil
}
