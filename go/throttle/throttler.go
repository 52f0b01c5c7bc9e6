package throttle

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// DefaultInterval is the Throttler's tick when Config.Interval is zero; it is
// gh-ost's lag collection interval. Slower checks are wrapped with Every.
const DefaultInterval = 100 * time.Millisecond

// Config configures a Throttler.
type Config struct {
	// Interval is the tick on which due checks are started and the default
	// collection interval of checks not wrapped with Every. Zero means
	// DefaultInterval.
	Interval time.Duration
}

// slot holds one registered check and its latest result. A slot is replaced,
// never reused, when its check is replaced, so a result arriving for a
// replaced check can be recognised and dropped.
type slot struct {
	check    Check
	interval time.Duration
	started  time.Time // last start; zero until the first
	running  bool      // a collection is in flight; never start a second one
	result   Result
	hasRun   bool
}

// Throttler collects checks and caches the combined decision. All methods are
// safe for concurrent use; Run must be called at most once at a time.
type Throttler struct {
	interval time.Duration

	// mu guards every field below. Checks run without it held; only their
	// results are stored under it.
	mu             sync.Mutex
	slots          []*slot // in priority order: the first throttling result is the reason shown
	throttled      bool
	reason         string
	hibernateUntil time.Time
	aborted        *AbortError
	// changed is closed and replaced whenever the decision changes, waking
	// every waiter at once (Decision).
	changed chan struct{}
}

// New returns a Throttler with the given checks, in priority order (see
// SetChecks).
func New(cfg Config, checks ...Check) *Throttler {
	interval := cfg.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := &Throttler{interval: interval, changed: make(chan struct{})}
	t.SetChecks(checks...)
	return t
}

// Run collects the checks on a ticker until ctx is done, each check in its
// own goroutine at its own interval so that a slow check (an HTTP timeout, a
// critical-load recheck) delays no other. It returns nil when ctx is done, or
// an *AbortError (matching ErrAbort) as soon as a check asks to abort; the
// caller is expected to cancel the migration with it. No collection happens
// while hibernating.
func (t *Throttler) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		ticker := time.NewTicker(t.interval)
		defer ticker.Stop()
		for {
			t.startDue(gctx, g, time.Now())
			select {
			case <-gctx.Done():
				return nil
			case <-ticker.C:
			}
		}
	})
	return g.Wait()
}

// startDue starts every check whose interval has elapsed and which is not
// already running, unless hibernating.
func (t *Throttler) startDue(ctx context.Context, g *errgroup.Group, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.hibernateUntil.IsZero() {
		if now.Before(t.hibernateUntil) {
			return
		}
		t.hibernateUntil = time.Time{}
		t.decideLocked(now)
	}
	for _, s := range t.slots {
		if s.running || (!s.started.IsZero() && now.Sub(s.started) < s.interval) {
			continue
		}
		s.running, s.started = true, now
		g.Go(func() error { return t.collect(ctx, s) })
	}
}

// collect runs one check and records its result.
func (t *Throttler) collect(ctx context.Context, s *slot) error {
	res, err := s.check.Check(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	s.running = false
	if ctx.Err() != nil {
		// Shutting down: an error now is most likely the cancellation itself
		// and must not show up as a throttle reason.
		return nil
	}
	if !slices.Contains(t.slots, s) {
		return nil // replaced or removed while running
	}
	if err != nil {
		res = Result{Throttle: true, Reason: fmt.Sprintf("%s: %v", s.check.Name(), err)}
	}
	s.result, s.hasRun = res, true
	now := time.Now()
	if res.Hibernate > 0 && t.hibernateUntil.IsZero() {
		t.hibernateUntil = now.Add(res.Hibernate)
	}
	if res.Abort && t.aborted == nil {
		t.aborted = &AbortError{Check: s.check.Name(), Reason: res.Reason}
	}
	t.decideLocked(now)
	if res.Abort {
		return t.aborted
	}
	return nil
}

// decideLocked recomputes the decision from the cached results and wakes
// waiters if it changed. t.mu must be held.
func (t *Throttler) decideLocked(now time.Time) {
	throttled, reason := false, ""
	switch {
	case t.aborted != nil:
		// Keep the migration still between the abort and its cancellation.
		throttled, reason = true, "aborting: "+t.aborted.Reason
	case !t.hibernateUntil.IsZero() && now.Before(t.hibernateUntil):
		throttled, reason = true, ReasonHibernation
	default:
		for _, s := range t.slots {
			if s.hasRun && (s.result.Throttle || s.result.Abort) {
				throttled, reason = true, s.result.Reason
				break
			}
		}
	}
	if throttled == t.throttled && reason == t.reason {
		return
	}
	t.throttled, t.reason = throttled, reason
	close(t.changed)
	t.changed = make(chan struct{})
}

// Throttled returns the cached decision and its reason.
func (t *Throttler) Throttled() (bool, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.throttled, t.reason
}

// Decision returns the cached decision, its reason, and a channel closed when it next changes.
func (t *Throttler) Decision() (bool, string, <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.throttled, t.reason, t.changed
}

// SetChecks replaces all registered checks with checks, in priority order; a check
// with the same name as an earlier one takes its place. The results of the replaced
// checks are discarded at once, and a collection of one still in flight is ignored;
// the new checks are collected on the next tick.
func (t *Throttler) SetChecks(checks ...Check) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.slots = nil
	for _, c := range checks {
		t.addLocked(c)
	}
	t.decideLocked(time.Now())
}

// addLocked appends a slot for c, or puts it in place of the slot of the check
// with the same name. t.mu must be held.
func (t *Throttler) addLocked(c Check) {
	s := &slot{check: c, interval: t.interval}
	if iv, ok := c.(intervaler); ok && iv.Interval() > 0 {
		s.interval = iv.Interval()
	}
	for i, old := range t.slots {
		if old.check.Name() == c.Name() {
			t.slots[i] = s
			return
		}
	}
	t.slots = append(t.slots, s)
}
