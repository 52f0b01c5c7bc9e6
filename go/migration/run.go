package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/sirupsen/logrus"
)

// copyRows copies the table chunk by chunk on --threads connections, honouring
// throttling before every chunk.
func (m *Migration) copyRows(ctx context.Context) error {
	if m.cfg.ExactRowcount {
		go m.countRows(ctx)
	} else if err := m.op.fire(ctx, hooks.RowCountComplete, nil); err != nil {
		return err
	}
	if err := m.op.fire(ctx, hooks.BeforeRowCopy, nil); err != nil {
		return err
	}
	m.copyStarted.Store(time.Now().UnixNano())
	if err := m.refuseNullKeys(ctx); err != nil {
		return err
	}
	if err := m.copier.Prepare(ctx); err != nil {
		return err
	}
	chunks := make(chan copier.Chunk)
	errc := make(chan error, m.cfg.Threads+1)
	var wg sync.WaitGroup
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i := 0; i < m.cfg.Threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range chunks {
				// Every copier honours throttling, so a throttle stops all of them
				// within the chunk each has in hand.
				if err := m.waitThrottle(cctx); err != nil {
					return
				}
				if err := m.copyChunk(cctx, ch); err != nil {
					errc <- err
					cancel()
					return
				}
			}
		}()
	}
	var nextErr error
	for {
		if err := m.waitThrottle(cctx); err != nil {
			break
		}
		ch, ok, err := m.copier.Next(cctx)
		if err != nil {
			nextErr = err
			break
		}
		if !ok {
			break
		}
		select {
		case chunks <- ch:
		case <-cctx.Done():
		}
		if cctx.Err() != nil {
			break
		}
	}
	close(chunks)
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	if nextErr != nil && ctx.Err() == nil {
		return nextErr
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	m.copyEnded.Store(time.Now().UnixNano())
	l := m.log.WithFields(logrus.Fields{"rows": m.copier.Copied(), "chunks": m.copier.Chunks(),
		"longest_read": m.copier.LongestReadView().Round(time.Millisecond).String()})
	if h := m.historyMax.Load(); h > 0 {
		l = l.WithField("undo_history_max", h)
	}
	l.Info("row copy complete")
	return m.op.fire(ctx, hooks.RowCopyComplete, nil)
}

// refuseNullKeys stops a migration along a nullable key (--allow-nullable-unique-key) whose
// key holds a NULL. It runs after streaming started: a NULL written later reaches the
// applier, which refuses it (applier.keyValue).
func (m *Migration) refuseNullKeys(ctx context.Context) error {
	if !m.mapping.Key.Nullable {
		return nil
	}
	var conds []string
	for _, c := range m.mapping.Key.Columns {
		conds = append(conds, dbconn.QuoteIdent(c)+" IS NULL")
	}
	q := fmt.Sprintf("SELECT 1 FROM %s WHERE %s LIMIT 1", m.origT, strings.Join(conds, " OR "))
	var one int
	err := m.primary.QueryRowContext(ctx, q).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		m.log.WithField("key", m.mapping.Key.Name).Warn("the shared key allows NULL (--allow-nullable-unique-key): it holds none now; a change that writes one stops the migration")
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for NULL in key %s: %w", m.mapping.Key.Name, err)
	}
	return hint.New(fmt.Sprintf("key %s of %s holds NULL: rows whose key is NULL cannot be told apart", m.mapping.Key.Name, m.origT),
		"--allow-nullable-unique-key needs a key that never holds NULL: fill or delete those rows, make the key's columns NOT NULL or add a PRIMARY KEY, then run again")
}

// copyChunk copies one chunk, then rests for --nice-ratio. (A duplicate on a new unique key is
// retried by the copier itself after catching up: its CatchUp.)
func (m *Migration) copyChunk(ctx context.Context, ch copier.Chunk) error {
	start := time.Now()
	if _, err := m.copier.Copy(ctx, ch); err != nil {
		if isDataLoss(err) {
			return dataError(err)
		}
		return err
	}
	if r := m.settings.NiceRatio(); r > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(float64(time.Since(start)) * r)):
		}
	}
	return nil
}

// resizeChunks steers the chunk size toward --target-chunk-time from the rows a chunk copied
// and the time its own transaction took: a wait for the applier's turn says nothing about the
// chunk's size. A size set by the operator at run time turns this off.
func (m *Migration) resizeChunks(rows int64, took time.Duration) {
	m.lastChunk.Store(int64(took))
	target := m.cfg.TargetChunkTime
	if target <= 0 || took <= 0 || rows <= 0 {
		return
	}
	m.settings.steer(nextChunkSize(rows, target, took))
}

// nextChunkSize scales the rows of the chunk just measured by target/took: proportionally, but
// at most doubling or halving (one slow chunk, say one that waited for a row lock, must not
// collapse the size), within the limits --chunk-size accepts.
//
// Why the measured chunk's rows and not the current size: the next chunk's end is read while a
// chunk copies, so by the time a chunk's time is known the size has already been changed from
// the one before it. Scaling the current size compounds those changes and swings between far
// too small and far too big (measured: 8000, 16000, 32000, 64000 rows taking 460 ms against a
// 200 ms target, then down again); scaling the measured chunk converges.
func nextChunkSize(rows int64, target, took time.Duration) int64 {
	ratio := float64(target) / float64(took)
	ratio = max(0.5, min(2, ratio))
	next := int64(float64(rows) * ratio)
	return max(config.MinChunkSize, min(config.MaxChunkSize, next))
}

// isDataLoss tells an error that means a value would change on its way to the new table (a
// strict-mode refusal, or a warning with --panic-on-warnings).
func isDataLoss(err error) bool { return dbconn.DataLoss(err) || isWarnings(err) }

// dataError explains a copy the server refused because it would change data, or whose
// warnings --panic-on-warnings turns into a stop.
func dataError(err error) error {
	cause := fmt.Errorf("%w: %w", errDataRefused, err)
	var we *dbconn.WarningsError
	if errors.As(err, &we) {
		return hint.Wrap(cause, fmt.Sprintf("--panic-on-warnings: %v", we),
			"a value may have been changed on its way to the new table (rounded, truncated); the original table is in place: fix the data or the ALTER, or run without --panic-on-warnings")
	}
	what := "the server refused to copy a row without changing it"
	fix := "fix the data or the ALTER; the original table was not touched"
	switch dbconn.Number(err) {
	case dbconn.ErrDupEntry:
		what, fix = "the ALTER's unique key does not hold for the table's rows", "remove the duplicate rows or drop the new UNIQUE key from --alter; the original table was not touched"
	case dbconn.ErrBadNull:
		what, fix = "a NOT NULL column would receive NULL", "update the NULLs first or give the column a DEFAULT; the original table was not touched"
	case dbconn.ErrNoDefault:
		what, fix = "a new NOT NULL column has no DEFAULT", "add a DEFAULT to the new column in --alter; the original table was not touched"
	case dbconn.ErrDataTooLong, dbconn.ErrOutOfRange, dbconn.ErrTruncated, dbconn.ErrTruncatedWrongVal, dbconn.ErrWrongValueForType, dbconn.ErrInvalidCharacter:
		what, fix = "the new column type cannot hold a value without changing it", "widen the type in --alter or fix the data; the original table was not touched"
	}
	return hint.Wrap(cause, fmt.Sprintf("%s: %v", what, err), fix)
}

func (m *Migration) countRows(ctx context.Context) {
	var n int64
	if err := m.primary.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s", m.origT)).Scan(&n); err != nil {
		if ctx.Err() == nil {
			m.log.WithError(err).Warn("exact row count failed; keeping the estimate")
		}
		return
	}
	m.estimated.Store(n)
	m.log.WithField("rows", n).Info("exact row count")
	if err := m.op.fire(ctx, hooks.RowCountComplete, nil); err != nil {
		m.abort(err)
	}
}

// postpone holds the cut-over while the postpone flag file exists, until it is
// removed or the operator says unpostpone. Binlog events keep being applied.
func (m *Migration) postpone(ctx context.Context) error {
	f := m.cfg.PostponeCutOverFlagFile
	if f == "" || !fileExists(f) || m.unpostpone.Load() {
		return nil
	}
	m.enter(StatePostponed)
	if err := m.op.fire(ctx, hooks.BeginPostponed, nil); err != nil {
		return err
	}
	m.log.WithField("flag-file", f).Info("cut-over postponed while the flag file exists")
	for fileExists(f) && !m.unpostpone.Load() {
		if err := m.runAskedChecksum(ctx); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// finish removes the changelog and, if asked, the old table.
func (m *Migration) finish(ctx context.Context) {
	m.enter(StateCleaningUp)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.changelogT.String()); err != nil {
		m.log.WithError(err).Warn("could not drop the changelog table")
	}
	m.recordSwap(ctx)
	if m.cfg.OkToDropTable {
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.oldT.String()); err != nil {
			m.log.WithError(err).Warn("could not drop the old table")
		}
	}
	m.enter(StateDone)
	fmt.Fprintln(m.statusTo, m.statusOut())
	fmt.Fprintln(m.statusTo, m.summary())
}

// cleanup removes what the run created, when the swap has not happened.
func (m *Migration) cleanup() {
	if m.primary == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if m.createdGhost && !m.cutOverDone {
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.ghostT.String()); err != nil {
			errs = append(errs, err)
		}
	}
	if !m.changelogCreated().IsZero() {
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.changelogT.String()); err != nil {
			errs = append(errs, err)
		}
	}
	if m.createdCheckpoint && !m.cutOverDone {
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.checkpointT.String()); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		m.log.WithError(err).Error("cleanup failed; drop the ghost and changelog tables by hand")
	}
}

// testOnReplicaCutOver (--test-on-replica) stops replication, applies everything
// the replica has, swaps the tables and swaps them back, leaving the original in
// place and the migrated _gho table beside it with replication stopped, so the two
// can be compared. On failure replication is started again.
func (m *Migration) testOnReplicaCutOver(ctx context.Context) (err error) {
	if err := m.op.fire(ctx, hooks.StopReplication, nil); err != nil {
		return err
	}
	stopped := false
	if !m.cfg.TestOnReplicaSkipReplicaStop {
		if _, err := m.primary.ExecContext(ctx, m.inspectedInfo.Replication().StopReplica); err != nil {
			return fmt.Errorf("stop replication: %w", err)
		}
		stopped = true
	}
	defer func() {
		if err != nil {
			ctx := context.WithoutCancel(ctx)
			m.op.fire(ctx, hooks.StartReplication, nil)
			if stopped {
				if _, serr := m.primary.ExecContext(ctx, m.inspectedInfo.Replication().StartReplica); serr != nil {
					m.log.WithError(serr).Error("could not start replication again")
				}
			}
		}
	}()
	// The marker is written on the replica itself, after replication stopped, so
	// once it is applied every change the replica holds is in the ghost table.
	if err := m.catchUp(ctx); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return markerError("cut-over", err)
	}
	swap := fmt.Sprintf("RENAME TABLE %s TO %s, %s TO %s", m.origT, m.oldT, m.ghostT, m.origT)
	back := fmt.Sprintf("RENAME TABLE %s TO %s, %s TO %s", m.origT, m.ghostT, m.oldT, m.origT)
	if _, err := m.primary.ExecContext(ctx, swap); err != nil {
		return fmt.Errorf("swap tables: %w", err)
	}
	if _, err := m.primary.ExecContext(context.WithoutCancel(ctx), back); err != nil {
		return fmt.Errorf("swap tables back (check %s and %s by hand): %w", m.origT, m.oldT, err)
	}
	m.cutOverDone = true // keep the _gho table for comparison
	m.log.Warnf("--test-on-replica: %s and %s are in place for comparison; replication on %s is stopped: start it when done",
		m.origT, m.ghostT, m.inspectedInfo)
	return nil
}

func isWarnings(err error) bool {
	var we *dbconn.WarningsError
	return errors.As(err, &we)
}

// historyLoop logs the primary's undo history length (--debug) every few seconds while the
// copy runs and keeps the longest seen for the copy's last line: the history a snapshot read
// pins grows with its age (--snapshot-max-age). INNODB_METRICS' trx_rseg_history_len is on
// by default in MariaDB and MySQL; where it is off or unreadable the loop says so once and ends.
func (m *Migration) historyLoop(ctx context.Context) error {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		var n int64
		err := m.primary.QueryRowContext(ctx, "SELECT `COUNT` FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len' AND `ENABLED` = 1").Scan(&n)
		if ctx.Err() != nil || m.copyEnded.Load() != 0 {
			return nil
		}
		if err != nil {
			m.log.WithError(err).Debug("undo history length not readable (INNODB_METRICS trx_rseg_history_len)")
			return nil
		}
		if n > m.historyMax.Load() {
			m.historyMax.Store(n)
		}
		m.log.WithFields(logrus.Fields{"length": n, "longest_read": m.copier.LongestReadView().Round(time.Millisecond).String()}).Debug("undo history")
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
