package migration

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"database/sql"

	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// A backfill (ghost backfill, docs/backfill.md) is an UPDATE of the whole table run the way
// ghost copies it: along the table's unique key, in chunks steered by --target-chunk-time, each
// chunk its own short READ COMMITTED transaction (it locks the rows it changes, for one
// chunk), with every throttle, the socket, hooks, the status line, and checkpoints a rerun
// resumes from. It reuses the engine's chunking (the copier hands out the key ranges), its
// throttler and operator, its changelog heartbeats (replication lag) and its checkpoint table.

// backfillState is what a backfill's loops share.
type backfillState struct {
	set, where    string
	examined      atomic.Int64
	changed       atomic.Int64
	chunks        atomic.Int64
	before        int64 // rows examined before a resume
	statementHead string
}

var reSetItem = regexp.MustCompile("(?i)(?:^|,)\\s*`?([A-Za-z0-9_$]+)`?\\s*=")

// setColumns are the columns a SET list assigns (what the key walk must not move).
func setColumns(set string) []string {
	var out []string
	depth := 0
	start := 0
	var items []string
	for i, r := range set {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				items = append(items, set[start:i])
				start = i + 1
			}
		}
	}
	items = append(items, set[start:])
	for _, it := range items {
		if m := reSetItem.FindStringSubmatch(strings.TrimSpace(it)); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// Backfill runs the backfill cfg.BackfillSet describes.
func (m *Migration) Backfill(parent context.Context) (err error) {
	m.started = time.Now()
	m.enter(StateInspecting)
	defer m.close()
	if m.settings, err = newSettings(m.cfg); err != nil {
		return err
	}
	stopMetrics, err := m.serveMetrics(parent)
	if err != nil {
		return err
	}
	defer stopMetrics()
	bf := &backfillState{set: strings.TrimSpace(m.cfg.BackfillSet), where: strings.TrimSpace(m.cfg.BackfillWhere)}
	m.backfill = bf
	defer func() {
		if err != nil {
			m.noteFailure(parent)
			m.enter(StateFailed)
			m.op.fire(context.WithoutCancel(parent), hooks.Failure, nil)
		}
	}()
	if err := m.op.fire(parent, hooks.Startup, nil); err != nil {
		return err
	}
	if err := m.connect(parent); err != nil {
		return err
	}
	t, err := schema.Read(parent, m.primary, m.cfg.Database, m.cfg.Table)
	if errors.Is(err, schema.ErrNotFound) {
		return hint.New(fmt.Sprintf("table %s.%s does not exist on %s", m.cfg.Database, m.cfg.Table, m.primaryInfo), "check --database and --table")
	}
	if err != nil {
		return err
	}
	m.orig = t
	m.estimated.Store(t.EstimatedRows)
	names := map[string]string{}
	for _, c := range t.Columns {
		names[strings.ToLower(c.Name)] = c.Name
	}
	if m.mapping, err = schema.NewMappingWith(t, t, names, schema.KeyPolicy{}); err != nil {
		return err
	}
	for _, c := range setColumns(bf.set) {
		for _, k := range m.mapping.Key.Columns {
			if strings.EqualFold(c, k) {
				return hint.New(fmt.Sprintf("--set assigns %s, a column of key %s that the backfill walks", c, m.mapping.Key.Name),
					"a backfill changes columns beside the key; change key values with a migration or a plain UPDATE")
			}
		}
	}
	if err := m.lockRun(parent); err != nil {
		return err
	}
	m.enter(StatePreparing)
	m.copier = m.backfillCopier()
	if err := m.copier.Prepare(parent); err != nil {
		return err
	}
	first, ok, err := m.copier.Next(parent)
	if err != nil {
		return err
	}
	// The server judges the expressions: EXPLAIN reads them without running the UPDATE.
	q, args := m.backfillStatement(first.Bounds)
	bf.statementHead = oneLine(q)
	if rows, err := m.primary.QueryContext(parent, "EXPLAIN "+q, args...); err != nil {
		return hint.New(fmt.Sprintf("the server refuses the backfill's UPDATE: %v", err), "fix --set or --where")
	} else {
		rows.Close()
	}
	if !m.cfg.Execute {
		var n int64
		cond := "1=1"
		if bf.where != "" {
			cond = bf.where
		}
		if err := m.inspected.QueryRowContext(parent, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", m.origT, cond)).Scan(&n); err != nil {
			return fmt.Errorf("count the rows to change: %w", err)
		}
		fmt.Fprintf(m.statusTo, "noop: the backfill would change up to %d row(s) of %s, chunk by chunk; the first chunk's statement: %s\n", n, m.origT, bf.statementHead)
		m.enter(StateCleaningUp)
		m.enter(StateDone)
		return nil
	}
	return m.runBackfill(parent, first, ok)
}

// backfillCopier hands out the key ranges of a backfill (its Copy is never called: the
// chunks are UPDATEs); the edges are read without locks.
func (m *Migration) backfillCopier() *copier.Copier {
	return copier.New(copier.Config{DB: m.primary, Orig: m.origT, Ghost: m.origT, Index: m.mapping.Key.Name,
		Key: m.copierKey(), KeyKinds: m.copierKinds(), ChunkSize: m.settings.ChunkSize, Consistent: true,
		OutageBudget: dbconn.OutageBudget(m.cfg.DefaultRetries), Log: m.log})
}

// backfillStatement is one chunk's UPDATE.
func (m *Migration) backfillStatement(b sqlgen.Bounds) (string, []any) {
	where, args := b.Where(m.copierKey())
	if w := m.backfill.where; w != "" {
		where += " AND (" + w + ")"
	}
	return fmt.Sprintf("UPDATE %s FORCE INDEX (%s) SET %s WHERE %s", m.origT, dbconn.QuoteIdent(m.mapping.Key.Name), m.backfill.set, where), args
}

// backfillAlter is what a backfill's checkpoints record as their ALTER: a rerun resumes only
// the same backfill.
func (m *Migration) backfillAlter() string {
	return "BACKFILL SET " + m.backfill.set + " WHERE " + m.backfill.where
}

func (m *Migration) runBackfill(parent context.Context, first copier.Chunk, ok bool) (err error) {
	bf := m.backfill
	bfT := sqlgen.Table{Schema: m.cfg.Database, Name: m.cfg.BackfillTable()}
	m.changelog = changelog.New(m.primary, m.changelogT)
	// The run lock is held: a changelog a killed run left is nobody's.
	if _, err := m.primary.ExecContext(parent, "DROP TABLE IF EXISTS "+m.changelogT.String()); err != nil {
		return err
	}
	if err := m.changelog.Create(parent); err != nil {
		return err
	}
	m.changelogAt.Store(time.Now().UnixNano())
	store := checkpoint.New(m.primary, bfT)
	if err := store.Create(parent); err != nil {
		return err
	}
	// A checkpoint of the same backfill: resume after it; of anything else: refuse.
	if cp, rerr := store.Read(parent); rerr == nil {
		if cp.Alter != m.backfillAlter() || cp.Swapped() {
			return hint.New(fmt.Sprintf("%s holds the checkpoint of another run (%q)", bfT, cp.Alter), "finish that run, or drop the table")
		}
		m.copier = m.backfillCopier()
		m.copier.Resume(cp.CopyUpper, cp.CopyDone)
		if err := m.copier.Prepare(parent); err != nil {
			return err
		}
		bf.before = cp.RowsCopied
		line := fmt.Sprintf("resuming backfill from checkpoint of %s: after key %v (%d rows examined before)", cp.Written.Local().Format(time.DateTime), cp.CopyUpper, cp.RowsCopied)
		m.log.Info(line)
		fmt.Fprintln(m.statusTo, line)
		if first, ok, err = m.copier.Next(parent); err != nil {
			return err
		}
	} else if !errors.Is(rerr, checkpoint.ErrNone) {
		return rerr
	}
	keep := false
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), 10*time.Second)
		defer cancel()
		m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.changelogT.String())
		if !keep {
			m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+bfT.String())
		}
	}()

	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(errFinished)
	m.cancelMu.Lock()
	m.cancel = cancel
	m.cancelMu.Unlock()
	if err := m.op.buildThrottler(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	spawn := spawner(ctx, cancel, &wg)
	spawn("throttle", m.op.throttler.Run)
	spawn("control", m.op.serveControl)
	spawn("heartbeat", m.heartbeatLoop)
	spawn("replica lag", m.replicaLagLoop)
	spawn("status", m.statusLoop)
	spawn("status hook", m.op.hooksStatusLoop)
	m.enter(StateCopying)
	m.copyStarted.Store(time.Now().UnixNano())
	writeCheckpoint := func() {
		upper, done := m.copier.Progress()
		cp := checkpoint.Checkpoint{Written: time.Now(), Version: m.cfg.GhostVersion, Database: m.cfg.Database, Table: m.cfg.Table,
			Alter: m.backfillAlter(), KeyName: m.mapping.Key.Name, ServerID: m.inspectedInfo.ServerID, ServerAddr: m.inspectedInfo.String(),
			CopyUpper: upper, CopyDone: done, RowsCopied: bf.before + bf.examined.Load(), Chunks: bf.chunks.Load()}
		if err := store.Write(context.WithoutCancel(ctx), cp); err != nil {
			m.log.WithError(err).Warn("could not write a backfill checkpoint")
		}
	}
	lastCheckpoint := time.Now()
	ferr := func() error {
		for ch := first; ok; {
			if err := m.waitThrottle(ctx); err != nil {
				return err
			}
			if err := m.backfillChunk(ctx, ch); err != nil {
				return err
			}
			if m.cfg.Checkpoint && time.Since(lastCheckpoint) >= m.cfg.CheckpointInterval {
				writeCheckpoint()
				lastCheckpoint = time.Now()
			}
			var err error
			if ch, ok, err = m.copier.Next(ctx); err != nil {
				return err
			}
		}
		return nil
	}()
	if ferr == nil {
		cancel(errFinished)
	} else {
		cancel(ferr)
	}
	wg.Wait()
	if ferr != nil {
		if cause := context.Cause(ctx); !errors.Is(cause, errFinished) && cause != nil {
			ferr = cause
		}
		// A run that stops keeps its checkpoint: the same command resumes it.
		if m.cfg.Checkpoint {
			writeCheckpoint()
			keep = true
		}
		return ferr
	}
	m.copyEnded.Store(time.Now().UnixNano())
	m.enter(StateCleaningUp)
	m.enter(StateDone)
	m.cutOverDone = true
	fmt.Fprintln(m.statusTo, m.StatusLine())
	fmt.Fprintf(m.statusTo, "Done: %s.%s backfilled; rows examined: %d, changed: %d (by this run), in %d chunks; total %s\n", m.cfg.Database, m.cfg.Table,
		bf.before+bf.examined.Load(), bf.changed.Load(), bf.chunks.Load(), time.Since(m.started).Round(time.Millisecond))
	m.op.fire(context.WithoutCancel(parent), hooks.Success, nil)
	return nil
}

// backfillChunk updates one chunk in its own READ COMMITTED transaction: it locks only the
// rows it changes, until it commits.
func (m *Migration) backfillChunk(ctx context.Context, ch copier.Chunk) error {
	bf := m.backfill
	q, args := m.backfillStatement(ch.Bounds)
	r := dbconn.Retrier{Attempts: m.cfg.DefaultRetries, Step: 100 * time.Millisecond, Budget: dbconn.OutageBudget(m.cfg.DefaultRetries)}
	for {
		start := time.Now()
		examined, changed, err := m.backfillOnce(ctx, ch, q, args)
		if err == nil {
			bf.examined.Add(examined)
			bf.changed.Add(changed)
			bf.chunks.Add(1)
			m.resizeChunks(max(examined, 1), time.Since(start))
			m.copier.Done(ch)
			if r := m.settings.NiceRatio(); r > 0 {
				select {
				case <-ctx.Done():
				case <-time.After(time.Duration(float64(time.Since(start)) * r)):
				}
			}
			return nil
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if !dbconn.Retryable(err) {
			if dbconn.DataLoss(err) {
				return hint.New(fmt.Sprintf("the backfill's UPDATE would change data: %v", err), "fix --set; the rows before this chunk are already changed (a rerun resumes here)")
			}
			return fmt.Errorf("backfill chunk %d: %w", ch.Seq, err)
		}
		wait, again := r.Next(err)
		if !again {
			return fmt.Errorf("backfill chunk %d: %w", ch.Seq, r.GaveUp(err))
		}
		m.log.WithError(err).WithField("chunk", ch.Seq).Warn("backfill chunk failed; retrying")
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
	}
}

func (m *Migration) backfillOnce(ctx context.Context, ch copier.Chunk, q string, args []any) (examined, changed int64, err error) {
	tx, err := m.primary.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	where, wargs := ch.Bounds.Where(m.copierKey())
	if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s FORCE INDEX (%s) WHERE %s", m.origT, dbconn.QuoteIdent(m.mapping.Key.Name), where), wargs...).Scan(&examined); err != nil {
		return 0, 0, err
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, 0, err
	}
	changed, _ = res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	if m.log.Logger.IsLevelEnabled(logrus.DebugLevel) {
		m.log.WithFields(logrus.Fields{"chunk": ch.Seq, "examined": examined, "changed": changed}).Debug("backfill chunk")
	}
	return examined, changed, nil
}

// backfillLine is the status line of a backfill.
func (m *Migration) backfillLine() string {
	bf := m.backfill
	s := m.snapshot()
	examined := bf.before + bf.examined.Load()
	pct := 100.0
	if s.EstimatedRows > 0 {
		pct = 100 * float64(examined) / float64(s.EstimatedRows)
	}
	return fmt.Sprintf("Backfill: %d/%d %.1f%% examined; changed: %d; chunks: %d; chunk-size: %d; Time: %s; Lag: %.2fs, State: %s",
		examined, s.EstimatedRows, pct, bf.changed.Load(), bf.chunks.Load(), m.settings.ChunkSize(), time.Since(m.started).Round(time.Second),
		s.ReplicaLag.Seconds(), s.StateText())
}
