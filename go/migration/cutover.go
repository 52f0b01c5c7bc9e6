package migration

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/cutover"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// blockerMinAge: a session that has held a lock on the table for less than this is an
// ordinary short transaction of the application, not a blocker.
const blockerMinAge = time.Second

// markerFailures is how many times in a row the in-band marker may fail to be written or to
// come back before the cut-over gives up: the stream or the changelog is broken then.
const markerFailures = 3

// cutOver waits until ghost has caught up and no session blocks the lock, then swaps the
// tables, retrying failed attempts. It returns nil only after a swap it verified.
//
// Why it looks for blockers first: LOCK TABLES ... WRITE waiting behind a long transaction
// queues every later reader and writer of the table for the whole lock timeout; retried,
// that starved the application for as long as the transaction lived (a 15 s read
// transaction with 2 s timeouts left writers the table ~7% of the time, max wait 11 s).
func (m *Migration) cutOver(ctx context.Context) error {
	want, err := m.swapIdentity(ctx)
	if err != nil {
		return err
	}
	strategy := m.strategy()
	var res cutover.Result
	err = m.underLock(ctx, "cut-over", []sqlgen.Table{m.origT, m.ghostT, m.sentryT}, func(ctx context.Context) error {
		var err error
		res, err = strategy.Attempt(ctx)
		m.releaseTriggerHold() // the triggers now belong to the new table (or were dropped by Undo)
		return err
	})
	if err != nil {
		return err
	}
	m.blockedNs.Store(int64(res.Blocked))
	m.cutOverDone = true
	m.log.WithField("blocked", res.Blocked.Round(time.Millisecond).String()).WithField("strategy", strategy.Name()).Info("cut-over complete")
	return m.verifySwap(context.WithoutCancel(ctx), want)
}

// underLock runs attempt, a step that takes a lock on the table bounded by the cut-over lock
// timeout (the cut-over, the checksum's consistent point), until it succeeds: before each
// attempt it waits until ghost has caught up and no session blocks the lock, and after a
// failed one it gives the application the table for at least as long as the attempt held it.
// what names the step in the log and in the error after --default-retries attempts.
func (m *Migration) underLock(ctx context.Context, what string, tables []sqlgen.Table, attempt func(context.Context) error) error {
	det, err := cutover.NewDetector(ctx, cutover.DetectorConfig{
		DB: m.primary, Flavor: m.primaryInfo.Flavor, Tables: tables,
		MinAge: blockerMinAge, SetupInstruments: m.cfg.AllowSetupMetadataLockInstruments,
	})
	if err != nil {
		return err
	}
	if det.Mode() != cutover.DetectMetadataLocks && !m.detectionSaid.Swap(true) {
		// Said once a run: the checksum's consistent point and the cut-over detect alike.
		m.log.WithField("detection", det.Mode().String()).Info("the server does not show metadata locks: every transaction open longer than " +
			blockerMinAge.String() + " is taken as a blocker of a step under the lock (checksum, cut-over) once an attempt timed out (MariaDB: INSTALL SONAME 'metadata_lock_info' or --allow-setup-metadata-lock-instruments)")
	}
	delay := time.Second
	var last error
	var waitingSince time.Time // when the step first had to wait for a blocker
	// Without metadata locks the server cannot say which transactions touch the table, so
	// ghost does not wait for every long transaction before trying (an unrelated one could
	// hold the step off forever): after an attempt timed out, the transactions open then
	// are the suspects, and the next attempt waits until they are gone.
	var suspects map[int64]time.Time // connection -> when its transaction started
	for try, failedMarkers := 1, 0; try <= m.cfg.DefaultRetries; {
		// Never lock while lagging: the lock would be held until the lag is gone.
		if err := m.waitLag(ctx); err != nil {
			return err
		}
		if err := m.waitBlockers(ctx, det, suspects, &waitingSince); err != nil {
			return err
		}
		if err := m.catchUp(ctx); err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			if failedMarkers++; failedMarkers >= markerFailures {
				return markerError(what, err)
			}
			m.log.WithError(err).WithField("failures", failedMarkers).Warn(what + ": the in-band marker failed; trying again")
			continue
		}
		failedMarkers = 0
		begin := time.Now()
		m.lockAttempts.Add(1)
		err := attempt(ctx)
		held := time.Since(begin)
		if err == nil {
			m.cutOverWait.Store(nil)
			return nil
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		last = err
		m.noteError(fmt.Sprintf("%s attempt %d: %v", what, try, err))
		m.log.WithError(err).WithFields(logrus.Fields{"attempt": try, "held": held.Round(time.Millisecond).String()}).
			Warn(what + " attempt failed; the original table is in place")
		try++
		if errors.Is(err, cutover.ErrTimeout) {
			if waitingSince.IsZero() {
				waitingSince = time.Now()
			}
			if det.Mode() != cutover.DetectMetadataLocks {
				suspects = map[int64]time.Time{}
				if bs, err := det.Find(ctx); err == nil {
					for _, b := range bs {
						suspects[b.ID] = time.Now().Add(-b.Age)
					}
				}
			}
		}
		// The pending lock queued every writer for up to the attempt's length: give them at
		// least as long with the table before the next attempt, so that they are never held
		// for more than one lock timeout in a row.
		wait := max(100*time.Millisecond, held)
		if m.cfg.CutOverExponentialBackoff {
			wait = max(wait, delay)
			delay = min(delay*2, m.cfg.BackoffMaxInterval)
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
	}
	var named string
	if bs, err := det.Find(context.WithoutCancel(ctx)); err == nil && len(bs) > 0 {
		named = " (" + describe(bs) + ")"
	}
	return hint.New(fmt.Sprintf("%s failed %d times, last: %v%s", what, m.cfg.DefaultRetries, last, named),
		"the original table is in place; find what holds locks on the table (long transactions), or raise --cut-over-lock-timeout-seconds / --default-retries, or use --force-cut-over-after")
}

func (m *Migration) strategy() cutover.Strategy {
	cfg := cutover.Config{
		DB: m.primary, Orig: m.origT, Ghost: m.ghostT, Old: m.sentryT, Swap: m.reverting != nil,
		LockTimeout: m.cfg.CutOverLockTimeout,
		WaitApplied: m.noteSwapPoint,
		Log:         m.log,
	}
	cfg.BeforeRename, cfg.Undo = m.triggerHooks()
	if at := m.cfg.PauseCutOverAt; at != "" {
		cfg.Pause = func(step string) {
			if step == at {
				m.log.WithField("step", step).Warn("cut-over paused for a fault test")
				time.Sleep(m.cfg.PauseCutOverFor)
			}
		}
	}
	if m.cfg.CutOver == "two-step" {
		return &cutover.TwoStep{Cfg: cfg}
	}
	return &cutover.Atomic{Cfg: cfg}
}

// analyzeGhost runs ANALYZE TABLE on the ghost table (--analyze-ghost-table-before-cutover):
// the new table's index statistics are then fresh from the start, not sampled while it filled.
// Outside the lock: InnoDB's ANALYZE reads a sample and takes no lock that blocks writers.
func (m *Migration) analyzeGhost(ctx context.Context) error {
	if !m.cfg.AnalyzeGhostTable {
		return nil
	}
	start := time.Now()
	rows, err := m.primary.QueryContext(ctx, "ANALYZE TABLE "+m.ghostT.String())
	if err != nil {
		return fmt.Errorf("analyze %s: %w", m.ghostT, err)
	}
	rows.Close()
	m.log.WithField("took", time.Since(start).Round(time.Millisecond).String()).Info("ghost table analyzed")
	return nil
}

// waitBlockers returns once no session blocks the cut-over's lock. While one does, the status
// line and the socket say which; with --force-cut-over-after, blockers still there that long
// after the cut-over first waited are killed. A failing look-up is logged and does not hold
// the cut-over: the attempt's own lock timeout still bounds the writers' wait.
//
// With an exact detector every blocker counts; otherwise only the suspects do (nil: none).
func (m *Migration) waitBlockers(ctx context.Context, det *cutover.Detector, suspects map[int64]time.Time, since *time.Time) error {
	exact := det.Mode() == cutover.DetectMetadataLocks
	if !exact && len(suspects) == 0 {
		return nil
	}
	var lastNote string
	var lastLog time.Time
	for {
		bs, err := det.Find(ctx)
		if !exact {
			// The same transaction: the same connection, started at the same time (a pooled
			// connection's next transaction is not a suspect).
			bs = slices.DeleteFunc(bs, func(b cutover.Blocker) bool {
				started, ok := suspects[b.ID]
				return !ok || time.Now().Add(-b.Age).Sub(started).Abs() > time.Second
			})
		}
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			m.log.WithError(err).Warn("cut-over: could not look for blocking sessions; attempting anyway")
			m.cutOverWait.Store(nil)
			return nil
		}
		if len(bs) == 0 {
			m.cutOverWait.Store(nil)
			return nil
		}
		if since.IsZero() {
			*since = time.Now()
		}
		note := describe(bs)
		m.cutOverWait.Store(&note)
		if note != lastNote && time.Since(lastLog) > 5*time.Second || time.Since(lastLog) > 30*time.Second {
			m.log.WithField("blockers", len(bs)).Info("cut-over waiting: " + note)
			lastNote, lastLog = note, time.Now()
		}
		if f := m.cfg.ForceCutOverAfter; f > 0 && time.Since(*since) >= f {
			for _, b := range bs {
				m.log.WithFields(logrus.Fields{"connection": b.ID, "user": b.User, "host": b.Host, "age": b.Age.Round(time.Millisecond).String(),
					"holds": b.What, "statement": oneLine(b.Query)}).Warn("--force-cut-over-after: killing a session that blocks the cut-over")
				if err := cutover.Kill(ctx, m.primary, b); err != nil {
					m.log.WithError(err).WithField("connection", b.ID).Warn("could not kill a blocking session")
				}
			}
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// describe names the oldest blocker and how many more there are.
func describe(bs []cutover.Blocker) string {
	s := bs[0].String()
	if len(bs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(bs)-1)
	}
	return s
}

// catchUp applies everything up to now outside the lock, so that the wait under the lock is
// short: the marker's round trip (primary, replica, binlog, applier) is what the lock will
// wait for, so repeat until one round trip is quick, a few times at most. Each round trip must
// come back within the marker's patience.
func (m *Migration) catchUp(ctx context.Context) error {
	for i := 0; i < 10; i++ {
		start := time.Now()
		wctx, cancel := context.WithTimeout(ctx, m.markerPatience())
		err := m.waitApplied(wctx)
		cancel()
		if err != nil {
			if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("the in-band marker did not come back through the binlog within %s", m.markerPatience())
			}
			return err
		}
		if time.Since(start) < m.cfg.CutOverLockTimeout/10 {
			return nil
		}
	}
	return nil
}

// markerPatience bounds one wait for the in-band marker outside the lock. Lag is below
// --max-lag-millis when it starts (waitLag), so a healthy stream brings it back well within.
func (m *Migration) markerPatience() time.Duration {
	return max(5*time.Second, 5*m.cfg.CutOverLockTimeout) + min(m.settings.MaxLag(), 5*time.Second)
}

// markerError is the end of a step under the lock (the cut-over, the checksum's consistent
// point) that could not prove every change applied. Why it is an error and never nil: a nil
// here once let ghost print Done and exit 0 without a swap.
func markerError(what string, err error) error {
	return hint.New(fmt.Sprintf("%s: cannot confirm that every change reached the ghost table: %v", what, err),
		"the original table is in place and was not swapped; check that the changelog table is writable and the binlog stream flows, then run again")
}

// swapID is what tells the ghost table from the original after the swap.
type swapID struct {
	byID        bool
	ghost, orig int64  // InnoDB table ids
	ghostDef    string // the ghost table's definition, when ids cannot be read
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// swapIdentity records, before the cut-over, how to recognise the ghost table afterwards: its
// InnoDB table id (a RENAME keeps it), or else its definition.
func (m *Migration) swapIdentity(ctx context.Context) (swapID, error) {
	var id swapID
	if g, err1 := m.tableID(ctx, m.ghostT); err1 == nil {
		if o, err2 := m.tableID(ctx, m.origT); err2 == nil && g != o {
			id.byID, id.ghost, id.orig = true, g, o
			return id, nil
		}
	}
	def, err := m.definition(ctx, m.ghostT)
	if err != nil {
		return id, err
	}
	id.ghostDef = def
	return id, nil
}

// verifySwap checks that the table now named like the original is the ghost table, and that
// the original is kept under the old name.
func (m *Migration) verifySwap(ctx context.Context, want swapID) error {
	fail := func(what string) error {
		return hint.New("cut-over reported success but "+what,
			fmt.Sprintf("check %s and %s by hand before anything else", m.origT, m.oldT))
	}
	if want.byID {
		now, err := m.tableID(ctx, m.origT)
		if err != nil {
			return fail(fmt.Sprintf("%s cannot be read: %v", m.origT, err))
		}
		if now != want.ghost {
			return fail(fmt.Sprintf("%s is not the ghost table (table id %d, the ghost table's was %d)", m.origT, now, want.ghost))
		}
		if old, err := m.tableID(ctx, m.oldT); err != nil || old != want.orig {
			return fail(fmt.Sprintf("%s is not the original table (%v)", m.oldT, err))
		}
		return nil
	}
	def, err := m.definition(ctx, m.origT)
	if err != nil {
		return fail(fmt.Sprintf("%s cannot be read: %v", m.origT, err))
	}
	if def != want.ghostDef {
		return fail(fmt.Sprintf("%s does not have the ghost table's definition", m.origT))
	}
	return nil
}

// tableID reads a table's InnoDB id. MariaDB and MySQL 5.7 name the view INNODB_SYS_TABLES,
// MySQL 8.0 INNODB_TABLES; both key it by "schema/table" in the server's file name encoding,
// which is the plain name only for plain names.
func (m *Migration) tableID(ctx context.Context, t sqlgen.Table) (int64, error) {
	if !plainName.MatchString(t.Schema) || !plainName.MatchString(t.Name) {
		return 0, fmt.Errorf("%s: not a plain name", t)
	}
	view := "INNODB_SYS_TABLES"
	if m.primaryInfo.Flavor == dbconn.MySQL && m.primaryInfo.AtLeast(8, 0, 0) {
		view = "INNODB_TABLES"
	}
	var id int64
	err := m.primary.QueryRowContext(ctx, "SELECT TABLE_ID FROM information_schema."+view+" WHERE NAME = ?", t.Schema+"/"+t.Name).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("read the table id of %s: %w", t, err)
	}
	return id, nil
}

// definition is SHOW CREATE TABLE without the table's name and counter (checkpoint.Normalise):
// what a swap keeps, and what a checkpoint records of both tables.
func (m *Migration) definition(ctx context.Context, t sqlgen.Table) (string, error) {
	var name, def string
	if err := m.primary.QueryRowContext(ctx, "SHOW CREATE TABLE "+t.String()).Scan(&name, &def); err != nil {
		return "", fmt.Errorf("read the definition of %s: %w", t, err)
	}
	return checkpoint.Normalise(def), nil
}
