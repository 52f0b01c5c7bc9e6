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
	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/throttle"
	"github.com/sirupsen/logrus"
)

// Migration is one online schema change.
type Migration struct {
	cfg      config.Config
	tun      *config.Tunables
	log      *logrus.Entry
	statusTo io.Writer

	state atomic.Int32

	// Connections: inspected is the server named by --host (binlog is read there);
	// primary is where the ghost table lives and every write goes.
	inspected     *sql.DB
	primary       *sql.DB
	inspectedInfo dbconn.ServerInfo
	primaryInfo   dbconn.ServerInfo
	primaryConn   dbconn.Config
	// inspectedIsReplica: --host replicates from another server.
	inspectedIsReplica bool

	analysis *alter.Analysis
	orig     *schema.Table
	ghost    *schema.Table
	mapping  *schema.Mapping

	origT, ghostT, changelogT, oldT sqlgen.Table

	// created records what this run created, so cleanup removes exactly that.
	createdGhost bool // the changelog's creation is changelogAt
	cutOverDone  bool

	changelog *changelog.Changelog
	reader    *binlog.Reader
	applier   *applier.Applier
	copier    *copier.Copier

	started     time.Time
	copyStarted atomic.Int64 // unix nanos
	changelogAt atomic.Int64 // unix nanos: when this run created the changelog table on the primary (cleanup drops it then)
	copyEnded   atomic.Int64
	estimated   atomic.Int64
	applied     atomic.Int64
	backlog     chan binlog.Transaction
	appliedPos  atomic.Pointer[binlog.Position]
	lastBeat    atomic.Int64 // unix nanos of the last heartbeat read back through the binlog
	replicaLag  atomic.Int64 // nanos: how far the inspected replica is behind the primary
	blocked     time.Duration

	markersMu sync.Mutex
	markers   map[string]chan struct{}

	chunkSizeFixed atomic.Bool // the operator set chunk-size at run time
	// copying is the copier once it knows the key range, for the other goroutines: the
	// applier skips changes of rows it has not reached yet, status reads its progress.
	copying atomic.Pointer[copier.Copier]
	// ghostWrites keeps applier batches and chunk copies off the ghost table at the same time:
	// chunks share it, an apply turn (every batch the backlog holds) has it alone, and a waiting
	// turn goes before the next chunk.
	// Concurrent, they deadlock on the ghost table's gap locks (a batch's keys fall inside the
	// chunk's range), InnoDB picks the smaller batch as the victim every time, and under load
	// with large chunks the applier ran out of retries (seen in script/bench).
	ghostWrites sync.RWMutex
	throttleWhy atomic.Pointer[string]
	// cutOverWait names the sessions the cut-over waits for, nil when it waits for none.
	cutOverWait atomic.Pointer[string]
	unpostpone  atomic.Bool

	knobs        knobs
	userThrottle *throttle.User
	throttler    *throttle.Throttler
	hooks        *hooks.Runner
	// cancel ends the run with a cause (panic, critical load); set while executing.
	cancelMu sync.Mutex
	cancel   context.CancelCauseFunc
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
		cfg:      cfg,
		tun:      config.NewTunables(cfg),
		log:      log.WithFields(logrus.Fields{"table": cfg.Database + "." + cfg.Table}),
		statusTo: statusTo,
		markers:  map[string]chan struct{}{},
	}
	m.userThrottle = throttle.NewUser()
	if cfg.HooksPath != "" {
		m.hooks = hooks.New(hooks.Config{Path: cfg.HooksPath, Timeout: cfg.HooksTimeout}, m.log)
	}
	m.origT = sqlgen.Table{Schema: cfg.Database, Name: cfg.Table}
	m.ghostT = sqlgen.Table{Schema: cfg.Database, Name: cfg.GhostTable()}
	m.changelogT = sqlgen.Table{Schema: cfg.Database, Name: cfg.ChangelogTable()}
	m.oldT = sqlgen.Table{Schema: cfg.Database, Name: cfg.OldTable()}
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
	defer func() {
		if err != nil {
			m.enter(StateCleaningUp)
			m.cleanup()
			m.enter(StateFailed)
			m.fire(context.WithoutCancel(parent), hooks.Failure, nil)
		}
	}()
	if err := m.fire(parent, hooks.Startup, nil); err != nil {
		return err
	}
	if err := m.inspect(parent); err != nil {
		return err
	}
	m.enter(StatePreparing)
	if err := m.prepare(parent); err != nil {
		return err
	}
	if err := m.fire(parent, hooks.Validated, nil); err != nil {
		return err
	}
	if !m.cfg.Execute {
		m.enter(StateCleaningUp)
		m.cleanup()
		m.enter(StateDone)
		m.log.Info("noop: the ALTER works on the ghost table and the migration is valid; nothing was changed. Run with --execute to migrate")
		return nil
	}

	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(errFinished)
	m.cancelMu.Lock()
	m.cancel = cancel
	m.cancelMu.Unlock()
	var wg sync.WaitGroup
	spawn := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				cancel(fmt.Errorf("%s: %w", name, err))
			}
		}()
	}
	ferr := m.foreground(ctx, spawn)
	if ferr != nil {
		cancel(ferr)
	} else {
		cancel(errFinished)
	}
	wg.Wait()
	if ferr == nil && !m.cutOverDone {
		// Every path that ends a migration ends in a verified swap or an error.
		ferr = errors.New("internal error: the migration ended without a cut-over; the original table is in place")
	}
	if ferr == nil {
		m.finish(parent)
		m.fire(context.WithoutCancel(parent), hooks.Success, nil)
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

// foreground is the linear part of a run; loops run beside it.
func (m *Migration) foreground(ctx context.Context, spawn func(string, func(context.Context) error)) error {
	th, err := m.newThrottler(ctx)
	if err != nil {
		return err
	}
	m.throttler = th
	spawn("throttle", th.Run)
	spawn("control", m.serveControl)
	if err := m.startStreaming(ctx, spawn); err != nil {
		return err
	}
	m.enter(StateCopying)
	spawn("status", m.statusLoop)
	spawn("status hook", m.hooksStatusLoop)
	if err := m.copyRows(ctx); err != nil {
		return err
	}
	if err := m.postpone(ctx); err != nil {
		return err
	}
	m.enter(StateCuttingOver)
	if err := m.fire(ctx, hooks.BeforeCutOver, nil); err != nil {
		return err
	}
	if m.cfg.TestOnReplica {
		return m.testOnReplicaCutOver(ctx)
	}
	return m.cutOver(ctx)
}

func (m *Migration) close() {
	m.knobs.mu.Lock()
	for _, d := range m.knobs.replicaDBs {
		d.Close()
	}
	m.knobs.replicaDBs = nil
	m.knobs.mu.Unlock()
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
