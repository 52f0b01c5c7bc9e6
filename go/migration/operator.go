package migration

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/throttle"
)

// operator is the operator's side of a running migration, in one place: the throttler and its
// checks (with the connections to the control replicas), the operator's own throttle, the
// hooks, and the interactive socket. It reads the migration's progress for the status it
// serves and the hooks' environment.
type operator struct {
	m         *Migration
	hooks     *hooks.Runner // nil without --hooks-path
	user      *throttle.User
	throttler *throttle.Throttler // built before any goroutine starts (buildThrottler)

	mu         sync.Mutex
	replicas   []throttle.Replica
	replicaDBs []*sql.DB
}

func newOperator(m *Migration) *operator {
	o := &operator{m: m, user: throttle.NewUser()}
	if m.cfg.HooksPath != "" {
		o.hooks = hooks.New(hooks.Config{Path: m.cfg.HooksPath, Timeout: m.cfg.HooksTimeout}, m.log)
	}
	return o
}

// close closes the control replicas' connections.
func (o *operator) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, d := range o.replicaDBs {
		d.Close()
	}
	o.replicaDBs, o.replicas = nil, nil
}

// buildThrottler builds every throttle check; each reads its live setting on every
// collection, so interactive changes take effect at the next tick.
func (o *operator) buildThrottler(ctx context.Context) error {
	m := o.m
	if err := o.setControlReplicas(ctx, m.cfg.ThrottleControlReplicas); err != nil {
		return err
	}
	primary := throttle.SQLServer{DB: m.primary}
	inspected := throttle.SQLServer{DB: m.inspected}
	lag := throttle.NewLag(throttle.LagConfig{
		Lag:    func(context.Context) (time.Duration, error) { return m.ReplicaLag(), nil },
		MaxLag: m.settings.MaxLag,
	})
	replicas := throttle.Every(time.Second, throttle.NewReplicaLag(throttle.ReplicaLagConfig{
		Replicas: func() []throttle.Replica {
			o.mu.Lock()
			defer o.mu.Unlock()
			return o.replicas
		},
		MaxLag: m.settings.MaxLag,
	}))
	maxLoad := throttle.Every(time.Second, throttle.NewMaxLoad(throttle.MaxLoadConfig{
		Thresholds: m.settings.MaxLoad,
		Server:     primary,
	}))
	critical := throttle.Every(time.Second, throttle.NewCriticalLoad(throttle.CriticalLoadConfig{
		Thresholds:      m.settings.CriticalLoad,
		Server:          primary,
		RecheckInterval: m.cfg.CriticalLoadInterval,
		Hibernate:       m.cfg.CriticalLoadHibernate,
	}))
	query := throttle.Every(time.Second, throttle.NewQuery(throttle.QueryConfig{
		Query:  m.settings.ThrottleQuery,
		Server: inspected,
	}))
	httpCheck := throttle.Every(max(m.cfg.ThrottleHTTPInterval, 10*time.Millisecond), throttle.NewHTTP(throttle.HTTPConfig{
		URL:          m.settings.ThrottleHTTP,
		Timeout:      m.cfg.ThrottleHTTPTimeout,
		IgnoreErrors: m.cfg.IgnoreHTTPErrors,
	}))
	// Registration order is the priority of the reason shown (docs/throttle.md).
	var checks []throttle.Check
	if m.cfg.PanicFlagFile != "" {
		checks = append(checks, throttle.NewPanicFlagFile(m.cfg.PanicFlagFile))
	}
	checks = append(checks, critical, o.user)
	if m.cfg.ThrottleFlagFile != "" {
		checks = append(checks, throttle.NewFlagFile(throttle.NameFlagFile, m.cfg.ThrottleFlagFile))
	}
	if m.cfg.ThrottleAdditionalFlagFile != "" {
		checks = append(checks, throttle.NewFlagFile(throttle.NameAdditionalFlagFile, m.cfg.ThrottleAdditionalFlagFile))
	}
	checks = append(checks, lag, replicas, maxLoad, query, httpCheck)
	o.throttler = throttle.New(throttle.Config{Interval: 100 * time.Millisecond}, checks...)
	return nil
}

// setControlReplicas connects to --throttle-control-replicas (host:port list).
func (o *operator) setControlReplicas(ctx context.Context, list string) error {
	m := o.m
	var reps []throttle.Replica
	var dbs []*sql.DB
	for _, hp := range strings.Split(list, ",") {
		hp = strings.TrimSpace(hp)
		if hp == "" {
			continue
		}
		host, port, err := splitHostPort(hp, m.cfg.Port)
		if err != nil {
			return err
		}
		cfg := m.connConfig(host, port)
		cfg.MaxOpen = 2
		cfg.Database = m.cfg.Database
		db, err := dbconn.Open(ctx, cfg)
		if err != nil {
			for _, d := range dbs {
				d.Close()
			}
			return connectError(cfg.Addr(), m.cfg.User, err)
		}
		dbs = append(dbs, db)
		reps = append(reps, throttle.Replica{Name: cfg.Addr(), Lag: func(ctx context.Context) (time.Duration, error) {
			return heartbeatLag(ctx, db, m.changelogT, m.changelogCreated())
		}})
	}
	o.mu.Lock()
	old := o.replicaDBs
	o.replicas, o.replicaDBs = reps, dbs
	o.mu.Unlock()
	m.settings.setControlReplicas(list)
	for _, d := range old {
		d.Close()
	}
	return nil
}

// hookEnv is the environment every hook sees.
func (o *operator) hookEnv() hooks.Env {
	m := o.m
	snap := m.snapshot()
	eta, known := snap.ETA()
	if !known {
		eta = -1
	}
	host, _ := os.Hostname()
	return hooks.Env{
		DatabaseName: m.cfg.Database, TableName: m.cfg.Table, GhostTableName: m.ghostT.Name, OldTableName: m.oldT.Name,
		DDL: m.cfg.Alter, Elapsed: snap.Elapsed, ElapsedCopy: snap.CopyElapsed,
		EstimatedRows: snap.EstimatedRows, CopiedRows: snap.CopiedRows,
		InspectedHost: net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port)), MigratedHost: m.primaryConn.Addr(),
		ExecutingHost: host, InspectedLag: snap.ReplicaLag, HeartbeatLag: snap.HeartbeatLag,
		Progress: snap.Progress(), ETA: eta,
		HooksHint: m.cfg.HooksHint, HooksHintOwner: m.cfg.HooksHintOwner, HooksHintToken: m.cfg.HooksHintToken,
		DryRun: !m.cfg.Execute,
	}
}

// fire runs the hooks of an event. Hooks of the events before the cut-over stop
// the migration when they fail (gh-ost's behaviour); the others are only logged.
func (o *operator) fire(ctx context.Context, ev hooks.Event, extra func(*hooks.Env)) error {
	if o.hooks == nil {
		return nil
	}
	env := o.hookEnv()
	if extra != nil {
		extra(&env)
	}
	err := o.hooks.Run(ctx, ev, env, nil)
	if err == nil {
		return nil
	}
	switch ev {
	case hooks.Startup, hooks.Validated, hooks.RowCountComplete, hooks.BeforeRowCopy, hooks.RowCopyComplete,
		hooks.BeginPostponed, hooks.BeforeCutOver, hooks.StopReplication, hooks.StartReplication:
		return hint.New(fmt.Sprintf("hook for %s failed: %v", ev, err), "the migration stopped before the cut-over; fix the hook or remove it from --hooks-path")
	}
	o.m.log.WithError(err).WithField("event", string(ev)).Warn("hook failed")
	return nil
}

// hooksStatusLoop runs the status hook every --hooks-status-interval.
func (o *operator) hooksStatusLoop(ctx context.Context) error {
	if o.hooks == nil || o.m.cfg.HooksStatusInterval <= 0 {
		return nil
	}
	t := time.NewTicker(o.m.cfg.HooksStatusInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		line := o.m.StatusLine()
		o.fire(ctx, hooks.Status, func(e *hooks.Env) { e.Status = line })
	}
}

// serveControl runs the interactive socket.
func (o *operator) serveControl(ctx context.Context) error {
	m := o.m
	sock := m.cfg.ServeSocketFile
	if sock == "" {
		sock = control.DefaultSocketFile(m.cfg.Database, m.cfg.Table)
	}
	srv := control.New(control.Config{
		SocketFile: sock, TCPPort: m.cfg.ServeTCPPort,
		ForceNamedCutOver: m.cfg.ForceNamedCutOver, ForceNamedPanic: m.cfg.ForceNamedPanic,
		OnCommand: func(cmd string) {
			// Asynchronous: a slow hook must not hold the operator's reply.
			go o.fire(ctx, hooks.InteractiveCommand, func(e *hooks.Env) { e.Command = cmd })
		},
	}, controller{m}, m.log)
	m.log.WithField("socket", sock).Info("serving interactive commands")
	return srv.Serve(ctx)
}

// controller is the Migration as control sees it.
type controller struct{ m *Migration }

func (c controller) StatusLine() string { return c.m.StatusLine() }
func (c controller) TableName() string  { return c.m.cfg.Table }
func (c controller) Applier() string    { return c.m.primaryInfo.String() }
func (c controller) Inspector() string  { return c.m.inspectedInfo.String() }
func (c controller) Throttle()          { c.m.op.user.Set(true) }
func (c controller) NoThrottle()        { c.m.op.user.Set(false) }
func (c controller) Panic()             { c.m.abort(errPanic) }
func (c controller) Coordinates() string {
	if c.m.reader == nil {
		return "not streaming yet"
	}
	read := c.m.reader.Position()
	s := "read: " + read.String()
	if g := c.m.reader.GTID(); g != "" {
		s += " (gtid " + g + ")"
	}
	if p := c.m.appliedPos.Load(); p != nil {
		s += "; applied: " + p.String()
	}
	return s
}

func (c controller) Checksum() (string, error) { return c.m.checksumOnRequest() }
func (c controller) StatusJSON() string        { return c.m.StatusJSON() }

func (c controller) Revert() error {
	m := c.m
	if m.reverting == nil || m.cfg.KeepOldTableInSync <= 0 {
		return fmt.Errorf("nothing to revert: this run migrates %s; after its cut-over, --keep-old-table-in-sync keeps the old table in sync for a revert (or run ghost --revert)", m.origT)
	}
	if m.State() > StatePostponed {
		return fmt.Errorf("the revert is already under way (state: %s)", m.State())
	}
	m.revertAsked.Store(true)
	return nil
}

func (c controller) Unpostpone() error {
	if c.m.State() == StatePostponed {
		c.m.unpostpone.Store(true)
		return nil
	}
	if c.m.State() < StatePostponed {
		// gh-ost accepts it early too: the cut-over will then not wait.
		c.m.unpostpone.Store(true)
		return nil
	}
	return fmt.Errorf("the cut-over is not being postponed (state: %s)", c.m.State())
}

func (c controller) StatusBlock() string {
	m := c.m
	var b strings.Builder
	fmt.Fprintf(&b, "# Migrating %s.%s; Ghost table is %s\n", m.cfg.Database, m.cfg.Table, m.ghostT)
	fmt.Fprintf(&b, "# Migrating %s; inspecting %s; executing on %s\n", m.primaryInfo, m.inspectedInfo, hostname())
	fmt.Fprintf(&b, "# Migration started at %s\n", m.started.Format(time.RFC1123Z))
	st := m.settings
	ml, cl := st.MaxLoad().String(), st.CriticalLoad().String()
	chunk := strconv.FormatInt(st.ChunkSize(), 10)
	if m.cfg.TargetChunkTime > 0 && !st.chunkSizeFixed.Load() {
		chunk += fmt.Sprintf(" (steered toward %v per chunk)", m.cfg.TargetChunkTime)
	}
	fmt.Fprintf(&b, "# chunk-size: %s; max-lag-millis: %dms; dml-batch-size: %d; max-load: %s; critical-load: %s; nice-ratio: %g\n",
		chunk, st.MaxLag().Milliseconds(), st.DMLBatchSize(), ml, cl, st.NiceRatio())
	if q := st.ThrottleQuery(); q != "" {
		fmt.Fprintf(&b, "# throttle-query: %s\n", q)
	}
	if u := st.ThrottleHTTP(); u != "" {
		fmt.Fprintf(&b, "# throttle-http: %s\n", u)
	}
	if r := st.ControlReplicas(); r != "" {
		fmt.Fprintf(&b, "# throttle-control-replicas: %s\n", r)
	}
	for _, f := range []struct{ name, path string }{
		{"throttle-flag-file", m.cfg.ThrottleFlagFile},
		{"throttle-additional-flag-file", m.cfg.ThrottleAdditionalFlagFile},
		{"postpone-cut-over-flag-file", m.cfg.PostponeCutOverFlagFile},
		{"panic-flag-file", m.cfg.PanicFlagFile},
	} {
		if f.path == "" {
			continue
		}
		state := "absent"
		if fileExists(f.path) {
			state = "exists"
		}
		fmt.Fprintf(&b, "# %s: %s [%s]\n", f.name, f.path, state)
	}
	sock := m.cfg.ServeSocketFile
	if sock == "" {
		sock = control.DefaultSocketFile(m.cfg.Database, m.cfg.Table)
	}
	fmt.Fprintf(&b, "# Serving on unix socket: %s\n", sock)
	if m.cfg.ServeTCPPort > 0 {
		fmt.Fprintf(&b, "# Serving on TCP port: %d\n", m.cfg.ServeTCPPort)
	}
	b.WriteString(m.StatusLine())
	return b.String()
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func (c controller) Get(name string) (string, error) { return c.m.settings.get(name) }

func (c controller) Set(name, value string) error {
	m := c.m
	if name == control.KnobThrottleControlReplicas {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.op.setControlReplicas(ctx, value); err != nil {
			return err
		}
	} else if err := m.settings.set(name, value); err != nil {
		return err
	}
	m.log.WithFields(map[string]any{"setting": name, "value": value}).Info("changed by interactive command")
	return nil
}
