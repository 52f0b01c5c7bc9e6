package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/throttle"
)

// knobs are the text settings an operator may change at run time.
type knobs struct {
	mu              sync.Mutex
	maxLoad         throttle.Load
	criticalLoad    throttle.Load
	throttleQuery   string
	throttleHTTP    string
	controlReplicas string
	replicas        []throttle.Replica
	replicaDBs      []*sql.DB
}

func (k *knobs) get(f func(k *knobs) string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return f(k)
}

// newThrottler builds every throttle check; each reads its live setting on every
// collection, so interactive changes take effect at the next tick.
func (m *Migration) newThrottler(ctx context.Context) (*throttle.Throttler, error) {
	var err error
	if m.knobs.maxLoad, err = throttle.ParseLoad(m.cfg.MaxLoad); err != nil {
		return nil, hint.New(fmt.Sprintf("--max-load %q: %v", m.cfg.MaxLoad, err), "use the form Threads_running=25,Threads_connected=500")
	}
	if m.knobs.criticalLoad, err = throttle.ParseLoad(m.cfg.CriticalLoad); err != nil {
		return nil, hint.New(fmt.Sprintf("--critical-load %q: %v", m.cfg.CriticalLoad, err), "use the form Threads_running=100")
	}
	m.knobs.throttleQuery = m.cfg.ThrottleQuery
	m.knobs.throttleHTTP = m.cfg.ThrottleHTTP
	if err := m.setControlReplicas(ctx, m.cfg.ThrottleControlReplicas); err != nil {
		return nil, err
	}
	primary := throttle.SQLServer{DB: m.primary}
	inspected := throttle.SQLServer{DB: m.inspected}
	lag := throttle.NewLag(throttle.LagConfig{
		Lag:    func(context.Context) (time.Duration, error) { return m.ReplicaLag(), nil },
		MaxLag: m.tun.MaxLag,
	})
	replicas := throttle.Every(time.Second, throttle.NewReplicaLag(throttle.ReplicaLagConfig{
		Replicas: func() []throttle.Replica {
			m.knobs.mu.Lock()
			defer m.knobs.mu.Unlock()
			return m.knobs.replicas
		},
		MaxLag: m.tun.MaxLag,
	}))
	maxLoad := throttle.Every(time.Second, throttle.NewMaxLoad(throttle.MaxLoadConfig{
		Thresholds: func() throttle.Load { m.knobs.mu.Lock(); defer m.knobs.mu.Unlock(); return m.knobs.maxLoad },
		Server:     primary,
	}))
	critical := throttle.Every(time.Second, throttle.NewCriticalLoad(throttle.CriticalLoadConfig{
		Thresholds:      func() throttle.Load { m.knobs.mu.Lock(); defer m.knobs.mu.Unlock(); return m.knobs.criticalLoad },
		Server:          primary,
		RecheckInterval: m.cfg.CriticalLoadInterval,
		Hibernate:       m.cfg.CriticalLoadHibernate,
	}))
	query := throttle.Every(time.Second, throttle.NewQuery(throttle.QueryConfig{
		Query:  func() string { return m.knobs.get(func(k *knobs) string { return k.throttleQuery }) },
		Server: inspected,
	}))
	httpCheck := throttle.Every(max(m.cfg.ThrottleHTTPInterval, 10*time.Millisecond), throttle.NewHTTP(throttle.HTTPConfig{
		URL:          func() string { return m.knobs.get(func(k *knobs) string { return k.throttleHTTP }) },
		Timeout:      m.cfg.ThrottleHTTPTimeout,
		IgnoreErrors: m.cfg.IgnoreHTTPErrors,
	}))
	// Registration order is the priority of the reason shown (docs/throttle.md).
	var checks []throttle.Check
	if m.cfg.PanicFlagFile != "" {
		checks = append(checks, throttle.NewPanicFlagFile(m.cfg.PanicFlagFile))
	}
	checks = append(checks, critical, m.userThrottle)
	if m.cfg.ThrottleFlagFile != "" {
		checks = append(checks, throttle.NewFlagFile(throttle.NameFlagFile, m.cfg.ThrottleFlagFile))
	}
	if m.cfg.ThrottleAdditionalFlagFile != "" {
		checks = append(checks, throttle.NewFlagFile(throttle.NameAdditionalFlagFile, m.cfg.ThrottleAdditionalFlagFile))
	}
	checks = append(checks, lag, replicas, maxLoad, query, httpCheck)
	return throttle.New(throttle.Config{Interval: 100 * time.Millisecond}, checks...), nil
}

// setControlReplicas connects to --throttle-control-replicas (host:port list).
func (m *Migration) setControlReplicas(ctx context.Context, list string) error {
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
	m.knobs.mu.Lock()
	old := m.knobs.replicaDBs
	m.knobs.replicas, m.knobs.replicaDBs, m.knobs.controlReplicas = reps, dbs, list
	m.knobs.mu.Unlock()
	for _, d := range old {
		d.Close()
	}
	return nil
}

// hookEnv is the environment every hook sees.
func (m *Migration) hookEnv() hooks.Env {
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
func (m *Migration) fire(ctx context.Context, ev hooks.Event, extra func(*hooks.Env)) error {
	if m.hooks == nil {
		return nil
	}
	env := m.hookEnv()
	if extra != nil {
		extra(&env)
	}
	err := m.hooks.Run(ctx, ev, env, nil)
	if err == nil {
		return nil
	}
	switch ev {
	case hooks.Startup, hooks.Validated, hooks.RowCountComplete, hooks.BeforeRowCopy, hooks.RowCopyComplete,
		hooks.BeginPostponed, hooks.BeforeCutOver, hooks.StopReplication, hooks.StartReplication:
		return hint.New(fmt.Sprintf("hook for %s failed: %v", ev, err), "the migration stopped before the cut-over; fix the hook or remove it from --hooks-path")
	}
	m.log.WithError(err).WithField("event", string(ev)).Warn("hook failed")
	return nil
}

// hooksStatusLoop runs the status hook every --hooks-status-interval.
func (m *Migration) hooksStatusLoop(ctx context.Context) error {
	if m.hooks == nil || m.cfg.HooksStatusInterval <= 0 {
		return nil
	}
	t := time.NewTicker(m.cfg.HooksStatusInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		line := m.StatusLine()
		m.fire(ctx, hooks.Status, func(e *hooks.Env) { e.Status = line })
	}
}

// serveControl runs the interactive socket.
func (m *Migration) serveControl(ctx context.Context) error {
	sock := m.cfg.ServeSocketFile
	if sock == "" {
		sock = control.DefaultSocketFile(m.cfg.Database, m.cfg.Table)
	}
	srv := control.New(control.Config{
		SocketFile: sock, TCPPort: m.cfg.ServeTCPPort,
		ForceNamedCutOver: m.cfg.ForceNamedCutOver, ForceNamedPanic: m.cfg.ForceNamedPanic,
		OnCommand: func(cmd string) {
			// Asynchronous: a slow hook must not hold the operator's reply.
			go m.fire(ctx, hooks.InteractiveCommand, func(e *hooks.Env) { e.Command = cmd })
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
func (c controller) Throttle()          { c.m.userThrottle.Set(true) }
func (c controller) NoThrottle()        { c.m.userThrottle.Set(false) }
func (c controller) Panic()             { c.m.abort(errors.New("panic: commanded by user")) }
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
	ml := m.knobs.get(func(k *knobs) string { return k.maxLoad.String() })
	cl := m.knobs.get(func(k *knobs) string { return k.criticalLoad.String() })
	chunk := strconv.FormatInt(m.tun.ChunkSize(), 10)
	if m.cfg.TargetChunkTime > 0 && !m.chunkSizeFixed.Load() {
		chunk += fmt.Sprintf(" (steered toward %v per chunk)", m.cfg.TargetChunkTime)
	}
	fmt.Fprintf(&b, "# chunk-size: %s; max-lag-millis: %dms; dml-batch-size: %d; max-load: %s; critical-load: %s; nice-ratio: %g\n",
		chunk, m.tun.MaxLag().Milliseconds(), m.tun.DMLBatchSize(), ml, cl, m.tun.NiceRatio())
	if q := m.knobs.get(func(k *knobs) string { return k.throttleQuery }); q != "" {
		fmt.Fprintf(&b, "# throttle-query: %s\n", q)
	}
	if u := m.knobs.get(func(k *knobs) string { return k.throttleHTTP }); u != "" {
		fmt.Fprintf(&b, "# throttle-http: %s\n", u)
	}
	if r := m.knobs.get(func(k *knobs) string { return k.controlReplicas }); r != "" {
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

func (c controller) Get(name string) (string, error) {
	m := c.m
	switch name {
	case control.KnobChunkSize:
		return strconv.FormatInt(m.tun.ChunkSize(), 10), nil
	case control.KnobDMLBatchSize:
		return strconv.FormatInt(m.tun.DMLBatchSize(), 10), nil
	case control.KnobMaxLagMillis:
		return strconv.FormatInt(m.tun.MaxLag().Milliseconds(), 10), nil
	case control.KnobNiceRatio:
		return strconv.FormatFloat(m.tun.NiceRatio(), 'g', -1, 64), nil
	case control.KnobMaxLoad:
		return m.knobs.get(func(k *knobs) string { return k.maxLoad.String() }), nil
	case control.KnobCriticalLoad:
		return m.knobs.get(func(k *knobs) string { return k.criticalLoad.String() }), nil
	case control.KnobThrottleQuery:
		return m.knobs.get(func(k *knobs) string { return k.throttleQuery }), nil
	case control.KnobThrottleHTTP:
		return m.knobs.get(func(k *knobs) string { return k.throttleHTTP }), nil
	case control.KnobThrottleControlReplicas:
		return m.knobs.get(func(k *knobs) string { return k.controlReplicas }), nil
	}
	return "", fmt.Errorf("unknown setting %q", name)
}

func (c controller) Set(name, value string) error {
	m := c.m
	switch name {
	case control.KnobChunkSize:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < config.MinChunkSize || n > config.MaxChunkSize {
			return fmt.Errorf("chunk-size must be between %d and %d", config.MinChunkSize, config.MaxChunkSize)
		}
		m.chunkSizeFixed.Store(true)
		m.tun.SetChunkSize(n)
	case control.KnobDMLBatchSize:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 1 || n > 10000 {
			return fmt.Errorf("dml-batch-size must be between 1 and 10000")
		}
		m.tun.SetDMLBatchSize(n)
	case control.KnobMaxLagMillis:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 100 {
			return fmt.Errorf("max-lag-millis must be at least 100")
		}
		m.tun.SetMaxLag(time.Duration(n) * time.Millisecond)
	case control.KnobNiceRatio:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || f > 100 {
			return fmt.Errorf("nice-ratio must be between 0 and 100")
		}
		m.tun.SetNiceRatio(f)
	case control.KnobMaxLoad, control.KnobCriticalLoad:
		l, err := throttle.ParseLoad(value)
		if err != nil {
			return err
		}
		m.knobs.mu.Lock()
		if name == control.KnobMaxLoad {
			m.knobs.maxLoad = l
		} else {
			m.knobs.criticalLoad = l
		}
		m.knobs.mu.Unlock()
	case control.KnobThrottleQuery:
		m.knobs.mu.Lock()
		m.knobs.throttleQuery = value
		m.knobs.mu.Unlock()
	case control.KnobThrottleHTTP:
		if value != "" && !strings.HasPrefix(value, "http://") && !strings.HasPrefix(value, "https://") {
			return fmt.Errorf("throttle-http must be an http:// or https:// URL")
		}
		m.knobs.mu.Lock()
		m.knobs.throttleHTTP = value
		m.knobs.mu.Unlock()
	case control.KnobThrottleControlReplicas:
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return m.setControlReplicas(ctx, value)
	default:
		return fmt.Errorf("unknown setting %q", name)
	}
	m.log.WithFields(map[string]any{"setting": name, "value": value}).Info("changed by interactive command")
	return nil
}
