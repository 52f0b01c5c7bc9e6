package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/applier"
	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// Migration is one online schema change. Its fields fall into four groups, each written at one
// time: the settings it was given (cfg, settings); what inspection found (inspection, written by
// inspect and prepare, read-only after); what the run's goroutines share (pipeline, built by
// build before the first goroutine starts); and the progress those goroutines report (atomics
// and the state).
type Migration struct {
	cfg      config.Config
	settings *settings
	op       *operator
	log      *logrus.Entry
	statusTo io.Writer

	state atomic.Int32

	*inspection
	*pipeline
	progress

	origT, ghostT, changelogT, checkpointT, oldT, sentryT sqlgen.Table

	// What this run created, so that cleanup removes exactly that; written by the foreground
	// only (prepare, cutOver), read after the goroutines ended.
	createdGhost      bool // the changelog's creation is progress.changelogAt
	createdCheckpoint bool
	cutOverDone       bool
	instantNote       string      // what --attempt-instant-ddl did, for the summary
	failedIn          State       // the state a failed run was in
	tablesLeft        []string    // ghost's tables when the run ended (Report)
	interrupted       bool        // a failed run was interrupted (a signal)
	triggersHeld      bool        // the cut-over holds ghostWrites while the new triggers exist (triggers.go)
	detectionSaid     atomic.Bool // the blocker detection's limits were logged (underLock)

	// cancel ends the run with a cause (panic, critical load); set while executing.
	cancelMu sync.Mutex
	cancel   context.CancelCauseFunc
}

// inspection is what inspect and prepare find out: the servers, the table, the ALTER, the
// ghost table and the key shared by both. Nothing changes it afterwards.
type inspection struct {
	// inspected is the server named by --host (the binlog is read there); primary is where
	// the ghost table lives and every write goes (the same pool with --allow-on-master).
	inspected, primary         *sql.DB
	inspectedInfo, primaryInfo dbconn.ServerInfo
	primaryConn                dbconn.Config
	// inspectedIsReplica: --host replicates from another server.
	inspectedIsReplica bool
	// runLock holds the table's run lock on the primary (lockRun).
	runLock *sql.Conn

	analysis *alter.Analysis
	orig     *schema.Table
	ghost    *schema.Table    // set by prepare
	mapping  *schema.Mapping  // set by prepare: columns and the shared key
	triggers []schema.Trigger // the original's, carried over with --include-triggers

	// resume is the checkpoint this run resumes from; nil for a fresh run.
	resume *checkpoint.Checkpoint
	// reverting is the swap record a --revert run reverts (revert.go); nil otherwise. In a
	// revert the old table plays the ghost table (ghostT and oldT both name it) and the
	// swap passes the table through sentryT.
	reverting *checkpoint.Checkpoint
	// backfill is a ghost backfill's state (backfill.go); nil for a migration.
	backfill *backfillState
	// leftSwap is the swap record of an earlier migration of the table, found by a new one.
	leftSwap *checkpoint.Checkpoint
	// origSchema and ghostSchema are both tables' normalised definitions, recorded with
	// every checkpoint.
	origSchema, ghostSchema string
}

// pipeline is what the run's goroutines share, built before the first of them starts.
type pipeline struct {
	changelog *changelog.Changelog
	// checkpoints writes checkpoints; nil with --checkpoint=false.
	checkpoints *checkpoint.Store
	start       binlog.Position // where streaming starts: the inspected server's position before the copy
	reader      *binlog.Reader
	backlog     chan binlog.Transaction // transactions read, not yet applied
	applier     *applier.Applier
	copier      *copier.Copier
	// ghostWrites keeps applier batches and chunk copies off the ghost table at the same time:
	// chunks share it, an apply turn (every batch the backlog holds) has it alone, and a waiting
	// turn goes before the next chunk.
	// Concurrent, they deadlock on the ghost table's gap locks (a batch's keys fall inside the
	// chunk's range), InnoDB picks the smaller batch as the victim every time, and under load
	// with large chunks the applier ran out of retries (seen in script/bench).
	ghostWrites sync.RWMutex

	markersMu sync.Mutex
	markers   map[string]chan struct{} // in-band markers waited for, by value
}

// progress is what the goroutines report, each figure written by one of them.
type progress struct {
	started     time.Time
	copyStarted atomic.Int64 // unix nanos
	copyEnded   atomic.Int64
	changelogAt atomic.Int64 // unix nanos: when this run created the changelog table on the primary (cleanup drops it then)
	estimated   atomic.Int64
	applied     atomic.Int64
	// appliedPos is the end of the last transaction whose changes are all applied, and
	// appliedGTID its GTID.
	appliedPos  atomic.Pointer[binlog.Position]
	appliedGTID atomic.Pointer[string]
	// copiedBefore and chunksBefore are the rows and chunks the runs before a resume copied.
	copiedBefore, chunksBefore int64
	lastCheckpoint             atomic.Pointer[checkpoint.Checkpoint]
	lastBeat                   atomic.Int64 // unix nanos of the last heartbeat read back through the binlog
	replicaLag                 atomic.Int64 // nanos: how far the inspected replica is behind the primary
	throttleWhy                atomic.Pointer[string]
	// cutOverWait names the sessions the cut-over waits for, nil when it waits for none.
	cutOverWait atomic.Pointer[string]
	unpostpone  atomic.Bool
	// swapPos is the applied position of the last marker the cut-over waited for under its
	// lock: once the swap is done, no change of the table lies between it and the swap.
	swapPos  atomic.Pointer[binlog.Position]
	swapGTID atomic.Pointer[string]
	// revertAsked: the socket's revert command, while --keep-old-table-in-sync holds the swap.
	revertAsked atomic.Bool
	// historyMax is the longest undo history (InnoDB's history list length) seen on the
	// primary during the copy, 0 until read (historyLoop, with --debug).
	historyMax atomic.Int64
	// The checksum (checksum.go): one runs at a time (checksumMu), asked by the socket
	// (checksumAsked, run by the postpone loop) or before the cut-over.
	checksumMu       sync.Mutex
	checksumProgress checksumProgress
	checksumDone     atomic.Pointer[checksumResult]
	checksumAsked    atomic.Bool
	checksumRunning  atomic.Bool
	// For the metrics: the last chunk's time, the attempts under the lock, how long the
	// cut-over blocked writes (blockedFor), the last failure worth showing.
	lastChunk    atomic.Int64
	lockAttempts atomic.Int64
	blockedNs    atomic.Int64
	lastErr      atomic.Pointer[string]
}

// New prepares a migration. statusTo receives the status lines (stdout).
func New(cfg config.Config, log *logrus.Entry, statusTo io.Writer) *Migration {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	if statusTo == nil {
		statusTo = io.Discard
	}
	m := &Migration{
		cfg:        cfg,
		log:        log.WithFields(logrus.Fields{"table": cfg.Database + "." + cfg.Table}),
		statusTo:   statusTo,
		inspection: &inspection{},
		pipeline:   &pipeline{markers: map[string]chan struct{}{}},
	}
	m.op = newOperator(m)
	m.origT = sqlgen.Table{Schema: cfg.Database, Name: cfg.Table}
	m.ghostT = sqlgen.Table{Schema: cfg.Database, Name: cfg.GhostTable()}
	m.changelogT = sqlgen.Table{Schema: cfg.Database, Name: cfg.ChangelogTable()}
	m.checkpointT = sqlgen.Table{Schema: cfg.Database, Name: cfg.CheckpointTable()}
	m.oldT = sqlgen.Table{Schema: cfg.Database, Name: cfg.OldTable()}
	m.sentryT = m.oldT
	return m
}

// State is the current phase.
func (m *Migration) State() State { return State(m.state.Load()) }

// enter moves to a new phase; the one place where phases change.
func (m *Migration) enter(to State) {
	from := m.State()
	if from == to {
		return
	}
	if !legal(from, to) {
		m.log.WithFields(logrus.Fields{"from": from, "to": to}).Error("illegal state transition")
	}
	m.state.Store(int32(to))
	m.log.WithFields(logrus.Fields{"state": to.String(), "from": from.String()}).Info("state")
}

// errFinished cancels the background loops after a successful run.
var errFinished = errors.New("migration finished")

// Run performs the migration. On any error before the swap the original table is
// untouched and everything the run created is removed.
func (m *Migration) Run(parent context.Context) (err error) {
	m.started = time.Now()
	m.enter(StateInspecting)
	defer m.close()
	defer m.listTablesLeft(parent) // after the cleanup, before the pools close
	if m.settings, err = newSettings(m.cfg); err != nil {
		return err
	}
	stopMetrics, err := m.serveMetrics(parent)
	if err != nil {
		return err
	}
	defer stopMetrics()
	if same, err := m.resolveTarget(parent); err != nil {
		return err
	} else if same {
		m.enter(StateCleaningUp)
		m.enter(StateDone)
		return nil
	}
	defer func() {
		if err != nil {
			m.noteFailure(parent)
			m.enter(StateCleaningUp)
			if cp := m.keptForResume(err); cp != nil {
				err = hint.Wrap(err, err.Error(), fmt.Sprintf("the ghost table and the checkpoint of %s are kept: run the same command again to resume (--initially-drop-ghost-table starts afresh)",
					cp.Written.Local().Format(time.DateTime)))
			} else {
				m.cleanup()
			}
			m.enter(StateFailed)
			m.op.fire(context.WithoutCancel(parent), hooks.Failure, nil)
		}
	}()
	if err := m.op.fire(parent, hooks.Startup, nil); err != nil {
		return err
	}
	if err := m.inspect(parent); err != nil {
		return err
	}
	if m.tryInstant(parent) {
		m.enter(StateCleaningUp)
		m.enter(StateDone)
		fmt.Fprintf(m.statusTo, "Done: %s.%s %s; total %s\n", m.cfg.Database, m.cfg.Table, m.instantNote, time.Since(m.started).Round(time.Millisecond))
		m.op.fire(context.WithoutCancel(parent), hooks.Success, nil)
		return nil
	}
	m.enter(StatePreparing)
	if err := m.prepare(parent); err != nil {
		return err
	}
	if err := m.op.fire(parent, hooks.Validated, nil); err != nil {
		return err
	}
	if !m.cfg.Execute {
		if m.reverting == nil {
			// Every noop says what the ALTER would cost and risk (ghost plan).
			if rep, err := m.makePlan(parent, m.orig, 10*time.Second); err == nil {
				fmt.Fprint(m.statusTo, rep.Text())
			} else {
				m.log.WithError(err).Warn("could not make the plan of the ALTER")
			}
		}
		m.enter(StateCleaningUp)
		m.cleanup()
		m.enter(StateDone)
		if m.reverting == nil {
			m.log.Info("noop: the ALTER works on the ghost table and the migration is valid; nothing was changed. Run with --execute to migrate")
		}
		return nil
	}

	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(errFinished)
	m.cancelMu.Lock()
	m.cancel = cancel
	m.cancelMu.Unlock()
	var wg sync.WaitGroup
	spawn := spawner(ctx, cancel, &wg)
	ferr := m.foreground(ctx, spawn)
	if ferr != nil {
		cancel(ferr)
	} else {
		cancel(errFinished)
	}
	wg.Wait()
	if errors.Is(ferr, errWindowClosed) {
		m.windowClosed(parent)
		return nil
	}
	if ferr == nil && !m.cutOverDone {
		// Every path that ends a migration ends in a verified swap or an error.
		ferr = errors.New("internal error: the migration ended without a cut-over; the original table is in place")
	}
	if ferr == nil {
		m.finish(parent)
		m.op.fire(context.WithoutCancel(parent), hooks.Success, nil)
		return nil
	}
	cause := context.Cause(ctx)
	if errors.Is(cause, errFinished) {
		cause = ferr
	}
	if parent.Err() != nil {
		return hint.Wrap(context.Cause(parent), fmt.Sprintf("interrupted (%v) before the cut-over", context.Cause(parent)),
			"the original table is untouched and ghost's tables are removed; run again to migrate")
	}
	return cause
}

// abort ends a running migration with a cause (panic command, critical load).
func (m *Migration) abort(cause error) {
	m.cancelMu.Lock()
	defer m.cancelMu.Unlock()
	if m.cancel != nil {
		m.cancel(cause)
	}
}

// foreground is the linear part of a run; loops run beside it. Everything the loops share is
// built before the first of them starts.
func (m *Migration) foreground(ctx context.Context, spawn func(string, func(context.Context) error)) error {
	if err := m.build(ctx); err != nil {
		return err
	}
	spawn("throttle", m.op.throttler.Run)
	spawn("control", m.op.serveControl)
	spawn("statsd", m.statsdLoop)
	if err := m.startStreaming(ctx, spawn); err != nil {
		return err
	}
	m.enter(StateCopying)
	spawn("status", m.statusLoop)
	spawn("status hook", m.op.hooksStatusLoop)
	if m.checkpoints != nil && m.cfg.Checkpoint {
		spawn("checkpoint", m.checkpointLoop)
	}
	if m.reverting == nil {
		if m.log.Logger.IsLevelEnabled(logrus.DebugLevel) {
			spawn("undo history", m.historyLoop)
		}
		if err := m.copyRows(ctx); err != nil {
			return err
		}
		// The copy's end is worth a checkpoint of its own: a resume then only streams.
		m.writeCheckpoint(ctx)
	}
	if err := m.postpone(ctx); err != nil {
		return err
	}
	if err := m.holdRevert(ctx); err != nil {
		return err
	}
	if m.reverting == nil {
		if err := m.verify(ctx); err != nil {
			return err
		}
	}
	if err := m.analyzeGhost(ctx); err != nil {
		return err
	}
	m.enter(StateCuttingOver)
	if err := m.op.fire(ctx, hooks.BeforeCutOver, nil); err != nil {
		return err
	}
	if m.cfg.TestOnReplica {
		return m.testOnReplicaCutOver(ctx)
	}
	return m.cutOver(ctx)
}

func (m *Migration) close() {
	m.op.close()
	if m.runLock != nil {
		m.runLock.Close()
	}
	if m.primary != nil && m.primary != m.inspected {
		m.primary.Close()
	}
	if m.inspected != nil {
		m.inspected.Close()
	}
}

// changelogCreated is when this run created the changelog table on the primary; zero before.
func (m *Migration) changelogCreated() time.Time {
	if n := m.changelogAt.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// spawner starts the run's goroutines: each under ctx, counted in wg, and one that fails
// cancels the run with its cause (the one place goroutines are started).
func spawner(ctx context.Context, cancel context.CancelCauseFunc, wg *sync.WaitGroup) func(string, func(context.Context) error) {
	return func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				cancel(fmt.Errorf("%s: %w", name, err))
			}
		}()
	}
}

// noteFailure records where a failed run stopped and whether a signal stopped it (ExitStatus).
func (m *Migration) noteFailure(parent context.Context) {
	m.failedIn = m.State()
	m.interrupted = parent.Err() != nil
}
