package throttle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// LagFunc reads a replication lag.
type LagFunc func(ctx context.Context) (time.Duration, error)

// formatSeconds prints d in seconds with millisecond precision and no trailing
// zeros: "2.1s", "0.25s", "3s".
func formatSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', -1, 64) + "s"
}

// LagConfig configures Lag.
type LagConfig struct {
	// Lag reads the current lag of the inspected server (typically the
	// changelog heartbeat lag). Required.
	Lag LagFunc
	// MaxLag returns the current --max-lag-millis; zero or less disables the check.
	MaxLag func() time.Duration
}

// Lag throttles while the inspected server lags by more than the maximum.
type Lag struct{ cfg LagConfig }

// NewLag returns a Lag check.
func NewLag(cfg LagConfig) *Lag { return &Lag{cfg: cfg} }

// Name implements Check.
func (c *Lag) Name() string { return NameLag }

// Check implements Check.
func (c *Lag) Check(ctx context.Context) (Result, error) {
	maxLag := getDuration(c.cfg.MaxLag)
	if maxLag <= 0 {
		return Result{}, nil
	}
	if c.cfg.Lag == nil {
		return Result{}, errors.New("no lag reader configured")
	}
	lag, err := c.cfg.Lag(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("read lag: %w", err)
	}
	// Strictly greater, as gh-ost: lag equal to the maximum is acceptable.
	if lag > maxLag {
		return Result{Throttle: true, Reason: "lag=" + formatSeconds(lag)}, nil
	}
	return Result{}, nil
}

// Replica is one named lag source for ReplicaLag.
type Replica struct {
	// Name identifies the replica in reasons, typically host:port.
	Name string
	// Lag reads the replica's lag.
	Lag LagFunc
}

// ReplicaLagConfig configures ReplicaLag.
type ReplicaLagConfig struct {
	// Replicas returns the current --throttle-control-replicas, already
	// connected; it may change at run time. Nil or empty disables the check.
	Replicas func() []Replica
	// MaxLag returns the current --max-lag-millis; zero or less disables the check.
	MaxLag func() time.Duration
}

// ReplicaLag throttles while any control replica lags by more than the maximum.
type ReplicaLag struct{ cfg ReplicaLagConfig }

// NewReplicaLag returns a ReplicaLag check.
func NewReplicaLag(cfg ReplicaLagConfig) *ReplicaLag { return &ReplicaLag{cfg: cfg} }

// Name implements Check.
func (c *ReplicaLag) Name() string { return NameReplicaLag }

// Check implements Check. The first lagging (or unreadable) replica decides,
// in the order the replicas are listed.
func (c *ReplicaLag) Check(ctx context.Context) (Result, error) {
	maxLag := getDuration(c.cfg.MaxLag)
	if maxLag <= 0 || c.cfg.Replicas == nil {
		return Result{}, nil
	}
	for _, r := range c.cfg.Replicas() {
		if r.Lag == nil {
			return Result{}, fmt.Errorf("replica %s: no lag reader configured", r.Name)
		}
		lag, err := r.Lag(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("read lag of replica %s: %w", r.Name, err)
		}
		if lag > maxLag {
			return Result{Throttle: true, Reason: fmt.Sprintf("replica %s lag=%s", r.Name, formatSeconds(lag))}, nil
		}
	}
	return Result{}, nil
}

// MaxLoadConfig configures MaxLoad.
type MaxLoadConfig struct {
	// Thresholds returns the current --max-load; an empty Load disables the check.
	Thresholds func() Load
	// Server is the migrated (applier) server. Required when thresholds are set.
	Server Server
}

// MaxLoad throttles while any listed global status variable is at or above
// its threshold.
type MaxLoad struct{ cfg MaxLoadConfig }

// NewMaxLoad returns a MaxLoad check.
func NewMaxLoad(cfg MaxLoadConfig) *MaxLoad { return &MaxLoad{cfg: cfg} }

// Name implements Check.
func (c *MaxLoad) Name() string { return NameMaxLoad }

// Check implements Check.
func (c *MaxLoad) Check(ctx context.Context) (Result, error) {
	name, value, threshold, err := exceeded(ctx, c.cfg.Server, getLoad(c.cfg.Thresholds))
	if err != nil || name == "" {
		return Result{}, err
	}
	return Result{Throttle: true, Reason: fmt.Sprintf("max-load %s=%d >= %d", name, value, threshold)}, nil
}

// exceeded returns the first variable (by name) at or above its threshold, or
// an empty name when none is.
func exceeded(ctx context.Context, srv Server, load Load) (name string, value, threshold int64, err error) {
	if len(load) == 0 {
		return "", 0, 0, nil
	}
	if srv == nil {
		return "", 0, 0, errors.New("no server configured")
	}
	for _, name := range load.Names() {
		value, err := srv.StatusVariable(ctx, name)
		if err != nil {
			return "", 0, 0, err
		}
		if value >= load[name] {
			return name, value, load[name], nil
		}
	}
	return "", 0, 0, nil
}

// CriticalLoadConfig configures CriticalLoad.
type CriticalLoadConfig struct {
	// Thresholds returns the current --critical-load; an empty Load disables the check.
	Thresholds func() Load
	// Server is the migrated (applier) server. Required when thresholds are set.
	Server Server
	// RecheckInterval is --critical-load-interval-millis: when positive, a
	// variable found over its threshold is read again after this long and the
	// check aborts only if it is still over. Zero aborts at once.
	RecheckInterval time.Duration
	// Hibernate is --critical-load-hibernate-seconds: when positive, critical
	// load makes the throttler hibernate for this long instead of aborting.
	Hibernate time.Duration
}

// CriticalLoad aborts the migration (or hibernates it) when a listed global
// status variable reaches its threshold.
type CriticalLoad struct{ cfg CriticalLoadConfig }

// NewCriticalLoad returns a CriticalLoad check.
func NewCriticalLoad(cfg CriticalLoadConfig) *CriticalLoad { return &CriticalLoad{cfg: cfg} }

// Name implements Check.
func (c *CriticalLoad) Name() string { return NameCriticalLoad }

// Check implements Check. The recheck wait happens inside Check; the
// Throttler runs each check in its own goroutine, so the wait holds up no
// other check.
func (c *CriticalLoad) Check(ctx context.Context) (Result, error) {
	load := getLoad(c.cfg.Thresholds)
	name, value, threshold, err := exceeded(ctx, c.cfg.Server, load)
	if err != nil || name == "" {
		return Result{}, err
	}
	reason := fmt.Sprintf("critical-load %s=%d >= %d", name, value, threshold)
	if c.cfg.Hibernate > 0 {
		return Result{Throttle: true, Reason: reason, Hibernate: c.cfg.Hibernate}, nil
	}
	if c.cfg.RecheckInterval <= 0 {
		return Result{Throttle: true, Abort: true, Reason: reason}, nil
	}
	if err := sleep(ctx, c.cfg.RecheckInterval); err != nil {
		return Result{}, err
	}
	value, err = c.cfg.Server.StatusVariable(ctx, name)
	if err != nil {
		return Result{}, err
	}
	if value >= threshold {
		return Result{Throttle: true, Abort: true, Reason: fmt.Sprintf("critical-load %s=%d >= %d, still after %s", name, value, threshold, c.cfg.RecheckInterval)}, nil
	}
	return Result{}, nil
}

// QueryConfig configures Query.
type QueryConfig struct {
	// Query returns the current --throttle-query; empty disables the check.
	Query func() string
	// Server runs the query (gh-ost runs it on the inspected server).
	Server Server
}

// Query throttles while the throttle query returns a value greater than zero.
type Query struct{ cfg QueryConfig }

// NewQuery returns a Query check.
func NewQuery(cfg QueryConfig) *Query { return &Query{cfg: cfg} }

// Name implements Check.
func (c *Query) Name() string { return NameQuery }

// Check implements Check.
func (c *Query) Check(ctx context.Context) (Result, error) {
	query := getString(c.cfg.Query)
	if query == "" {
		return Result{}, nil
	}
	if c.cfg.Server == nil {
		return Result{}, errors.New("no server configured")
	}
	v, err := c.cfg.Server.QueryInt(ctx, query)
	if err != nil {
		return Result{}, err
	}
	if v > 0 {
		return Result{Throttle: true, Reason: fmt.Sprintf("throttle-query returned %d", v)}, nil
	}
	return Result{}, nil
}

// DefaultHTTPTimeout is the default of --throttle-http-timeout-millis.
const DefaultHTTPTimeout = time.Second

// HTTPConfig configures HTTP.
type HTTPConfig struct {
	// URL returns the current --throttle-http; empty disables the check.
	URL func() string
	// Timeout bounds each request (--throttle-http-timeout-millis); zero
	// means DefaultHTTPTimeout.
	Timeout time.Duration
	// IgnoreErrors is --ignore-http-errors: when the URL cannot be reached at
	// all, carry on instead of throttling. A non-200 answer still throttles.
	IgnoreErrors bool
}

// HTTP throttles unless a HEAD request to the URL answers 200 OK.
type HTTP struct{ cfg HTTPConfig }

// NewHTTP returns an HTTP check.
func NewHTTP(cfg HTTPConfig) *HTTP { return &HTTP{cfg: cfg} }

// Name implements Check.
func (c *HTTP) Name() string { return NameHTTP }

// Check implements Check.
func (c *HTTP) Check(ctx context.Context) (Result, error) {
	url := getString(c.cfg.URL)
	if url == "" {
		return Result{}, nil
	}
	timeout := c.cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return Result{}, fmt.Errorf("build request for %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if c.cfg.IgnoreErrors {
			return Result{}, nil
		}
		return Result{}, fmt.Errorf("HEAD %s: %w", url, err)
	}
	// Drain so the connection can be reused on the next tick.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Result{Throttle: true, Reason: fmt.Sprintf("throttle-http %s returned %d", url, resp.StatusCode)}, nil
	}
	return Result{}, nil
}

// FlagFile throttles while a file exists. Two instances serve
// --throttle-flag-file and --throttle-additional-flag-file.
type FlagFile struct {
	name string
	path string
}

// NewFlagFile returns a FlagFile check registered under name (NameFlagFile or
// NameAdditionalFlagFile) watching path; an empty path disables it.
func NewFlagFile(name, path string) *FlagFile { return &FlagFile{name: name, path: path} }

// Name implements Check.
func (c *FlagFile) Name() string { return c.name }

// Check implements Check.
func (c *FlagFile) Check(context.Context) (Result, error) {
	exists, err := fileExists(c.path)
	if err != nil || !exists {
		return Result{}, err
	}
	return Result{Throttle: true, Reason: "flag-file " + c.path + " exists"}, nil
}

// PanicFlagFile aborts the migration when a file appears (--panic-flag-file).
type PanicFlagFile struct{ path string }

// NewPanicFlagFile returns a PanicFlagFile check; an empty path disables it.
func NewPanicFlagFile(path string) *PanicFlagFile { return &PanicFlagFile{path: path} }

// Name implements Check.
func (c *PanicFlagFile) Name() string { return NamePanicFlagFile }

// Check implements Check.
func (c *PanicFlagFile) Check(context.Context) (Result, error) {
	exists, err := fileExists(c.path)
	if err != nil || !exists {
		return Result{}, err
	}
	return Result{Throttle: true, Abort: true, Reason: "panic-flag-file " + c.path + " exists"}, nil
}

func fileExists(path string) (bool, error) {
	if path == "" {
		return false, nil
	}
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("stat flag file: %w", err)
	}
	return true, nil
}

// User throttles while the user has asked for it with the interactive
// "throttle" command, until "no-throttle". Safe for concurrent use.
type User struct {
	mu      sync.Mutex
	on      bool
	changed chan struct{} // closed and replaced on every change
}

// NewUser returns a User check, initially not throttling.
func NewUser() *User { return &User{changed: make(chan struct{})} }

// Name implements Check.
func (c *User) Name() string { return NameUser }

// Set turns the user throttle on or off.
func (c *User) Set(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.on != on {
		c.on = on
		close(c.changed)
		c.changed = make(chan struct{})
	}
}

// Enabled reports whether the user throttle is on, and a channel closed at its next change:
// the command takes effect at once, not at the throttler's next collection.
func (c *User) Enabled() (bool, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.on, c.changed
}

// Check implements Check.
func (c *User) Check(context.Context) (Result, error) {
	if on, _ := c.Enabled(); on {
		return Result{Throttle: true, Reason: "commanded by user"}, nil
	}
	return Result{}, nil
}

func getDuration(f func() time.Duration) time.Duration {
	if f == nil {
		return 0
	}
	return f()
}

func getString(f func() string) string {
	if f == nil {
		return ""
	}
	return f()
}

func getLoad(f func() Load) Load {
	if f == nil {
		return nil
	}
	return f()
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
