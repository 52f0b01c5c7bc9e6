package throttle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// startRun runs th in the background. done is closed when Run returns; stop
// cancels Run, waits for it and returns its error.
func startRun(t *testing.T, th *Throttler) (stop func() error, done <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	finished := make(chan struct{})
	var err error
	go func() {
		defer close(finished)
		err = th.Run(ctx)
	}()
	stop = func() error {
		cancel()
		<-finished
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop, finished
}

func TestDecision(t *testing.T) {
	tests := []struct {
		name       string
		checks     []*fakeCheck
		want       bool
		wantReason string
		wantAbort  string
	}{
		{name: "no checks"},
		{name: "all clear", checks: []*fakeCheck{fixed("a", Result{}, nil), fixed("b", Result{}, nil)}},
		{
			name:   "first throttling check in order wins",
			checks: []*fakeCheck{fixed("a", Result{}, nil), fixed("b", Result{Throttle: true, Reason: "b says"}, nil), fixed("c", Result{Throttle: true, Reason: "c says"}, nil)},
			want:   true, wantReason: "b says",
		},
		{
			name:   "error throttles naming the check",
			checks: []*fakeCheck{fixed("max-load", Result{}, errors.New("server gone"))},
			want:   true, wantReason: "max-load: server gone",
		},
		{
			name:   "abort",
			checks: []*fakeCheck{fixed("a", Result{Throttle: true, Reason: "a says"}, nil), fixed("panic-flag-file", Result{Abort: true, Reason: "file exists"}, nil)},
			want:   true, wantReason: "aborting: file exists", wantAbort: "panic-flag-file",
		},
		{
			name:   "same name replaces",
			checks: []*fakeCheck{fixed("a", Result{Throttle: true, Reason: "old"}, nil), fixed("a", Result{}, nil)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := make([]Check, len(tt.checks))
			latest := map[string]*fakeCheck{} // the check each name ends up with
			for i, c := range tt.checks {
				checks[i] = c
				latest[c.name] = c
			}
			th := New(Config{Interval: time.Millisecond}, checks...)
			stop, done := startRun(t, th)
			if tt.wantAbort != "" {
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					t.Fatal("Run did not return on abort")
				}
				err := stop()
				var abort *AbortError
				if !errors.As(err, &abort) || abort.Check != tt.wantAbort || !errors.Is(err, ErrAbort) {
					t.Fatalf("Run() = %v; want abort from %s", err, tt.wantAbort)
				}
			} else {
				// A check is not started again before its result is stored, so a
				// second call means the first result is part of the decision.
				eventually(t, "every check collected", func() bool {
					for _, c := range latest {
						if c.calls.Load() < 2 {
							return false
						}
					}
					return true
				})
			}
			for _, c := range tt.checks {
				if latest[c.name] != c && c.calls.Load() != 0 {
					t.Errorf("check %s replaced by a later one of the same name was collected", c.name)
				}
			}
			got, reason := th.Throttled()
			if got != tt.want || reason != tt.wantReason {
				t.Errorf("Throttled() = %v, %q; want %v, %q", got, reason, tt.want, tt.wantReason)
			}
		})
	}
}

func TestDecisionWakesOnChange(t *testing.T) {
	check, on := switchCheck("user", "commanded by user")
	on.Store(true)
	th := New(Config{Interval: 5 * time.Millisecond}, check)
	startRun(t, th)
	eventually(t, "throttled", func() bool { b, _ := th.Throttled(); return b })

	waited := make(chan error, 1)
	go func() { waited <- waitUnthrottled(th, context.Background()) }()
	select {
	case err := <-waited:
		t.Fatalf("Wait returned %v while throttled", err)
	case <-time.After(50 * time.Millisecond):
	}
	on.Store(false)
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after unthrottling")
	}
	if b, reason := th.Throttled(); b || reason != "" {
		t.Errorf("Throttled() = %v, %q after unthrottling", b, reason)
	}
}

func TestDecisionNotThrottled(t *testing.T) {
	th := New(Config{})
	if err := waitUnthrottled(th, context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDecisionWaitHonoursContext(t *testing.T) {
	th := New(Config{Interval: time.Millisecond}, fixed("a", Result{Throttle: true, Reason: "x"}, nil))
	startRun(t, th)
	eventually(t, "throttled", func() bool { b, _ := th.Throttled(); return b })
	cause := errors.New("migration cancelled")
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		time.Sleep(10 * time.Millisecond)
		cancel(cause)
	}()
	if err := waitUnthrottled(th, ctx); !errors.Is(err, cause) {
		t.Fatalf("Wait() = %v; want the context's cause", err)
	}
}

func TestRunAbortPropagates(t *testing.T) {
	panicCheck, on := &fakeCheck{name: NamePanicFlagFile}, make(chan struct{})
	panicCheck.fn = func(context.Context) (Result, error) {
		select {
		case <-on:
			return Result{Abort: true, Reason: "panic-flag-file /tmp/x exists"}, nil
		default:
			return Result{}, nil
		}
	}
	slow := &fakeCheck{name: "slow", fn: func(ctx context.Context) (Result, error) {
		<-ctx.Done() // a check stuck until shutdown must not hold Run up
		return Result{}, ctx.Err()
	}}
	th := New(Config{Interval: 5 * time.Millisecond}, slow, panicCheck)
	stop, done := startRun(t, th)
	time.Sleep(20 * time.Millisecond)
	close(on)
	select {
	case <-done:
		err := stop()
		var abort *AbortError
		if !errors.As(err, &abort) || abort.Check != NamePanicFlagFile || abort.Reason != "panic-flag-file /tmp/x exists" {
			t.Fatalf("Run() = %v; want abort from the panic flag file", err)
		}
		want := "throttle check requested abort: panic-flag-file: panic-flag-file /tmp/x exists"
		if err.Error() != want {
			t.Errorf("error text\n got: %s\nwant: %s", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return on abort")
	}
	if b, reason := th.Throttled(); !b || reason != "aborting: panic-flag-file /tmp/x exists" {
		t.Errorf("Throttled() = %v, %q after abort", b, reason)
	}
}

func TestRunReturnsNilOnCancel(t *testing.T) {
	th := New(Config{Interval: time.Millisecond}, fixed("a", Result{}, nil))
	stop, _ := startRun(t, th)
	time.Sleep(10 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatalf("Run() = %v; want nil on cancel", err)
	}
}

func TestCancellationIsNotAReason(t *testing.T) {
	started := make(chan struct{})
	c := &fakeCheck{name: "blocked", fn: func(ctx context.Context) (Result, error) {
		close(started)
		<-ctx.Done()
		return Result{}, ctx.Err()
	}}
	th := New(Config{}, c)
	stop, _ := startRun(t, th)
	<-started
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if b, reason := th.Throttled(); b {
		t.Errorf("throttled with %q after shutdown", reason)
	}
}

func TestEveryInterval(t *testing.T) {
	fast := fixed("fast", Result{}, nil)
	slow := fixed("slow", Result{}, nil)
	th := New(Config{Interval: 2 * time.Millisecond}, fast, Every(time.Hour, slow))
	startRun(t, th)
	eventually(t, "fast check collected repeatedly", func() bool { return fast.calls.Load() >= 10 })
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("slow check collected %d times; want once per hour", n)
	}
}

func TestSlowCheckDoesNotDelayOthers(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	slow := &fakeCheck{name: "slow", fn: func(ctx context.Context) (Result, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return Result{}, nil
	}}
	fast, on := switchCheck("fast", "fast says")
	th := New(Config{Interval: 2 * time.Millisecond}, slow, fast)
	startRun(t, th)
	on.Store(true)
	eventually(t, "fast check throttles", func() bool { b, _ := th.Throttled(); return b })
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("slow check started %d times while still running; want 1", n)
	}
}

func TestSetChecksReplacesAtRuntime(t *testing.T) {
	const maxLoad = "max-load Threads_running=30 >= 25"
	old := fixed(NameMaxLoad, Result{Throttle: true, Reason: maxLoad}, nil)
	other := fixed("other", Result{Throttle: true, Reason: "other"}, nil)
	th := New(Config{Interval: 2 * time.Millisecond}, old, other)
	startRun(t, th)
	eventually(t, "max-load throttles", func() bool { _, r := th.Throttled(); return r == maxLoad })

	th.SetChecks(fixed(NameMaxLoad, Result{}, nil), other)
	// The old result is dropped at once; the next reason in priority shows once collected.
	if _, r := th.Throttled(); r == maxLoad {
		t.Errorf("reason right after replacement = %q", r)
	}
	eventually(t, "the other check's reason", func() bool { _, r := th.Throttled(); return r == "other" })
	th.SetChecks(fixed(NameMaxLoad, Result{}, nil))
	eventually(t, "unthrottled", func() bool { b, _ := th.Throttled(); return !b })
}

func TestReplacedCheckResultIsIgnored(t *testing.T) {
	release := make(chan struct{})
	old := &fakeCheck{name: "q", fn: func(context.Context) (Result, error) {
		<-release
		return Result{Throttle: true, Reason: "stale"}, nil
	}}
	th := New(Config{Interval: 2 * time.Millisecond}, old)
	startRun(t, th)
	eventually(t, "old check started", func() bool { return old.calls.Load() == 1 })
	th.SetChecks(fixed("q", Result{}, nil))
	close(release)
	time.Sleep(30 * time.Millisecond)
	if b, r := th.Throttled(); b {
		t.Errorf("throttled with %q from a replaced check", r)
	}
}

func TestConcurrentReconfiguration(t *testing.T) {
	th := New(Config{Interval: time.Millisecond})
	startRun(t, th)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 200 {
				name := fmt.Sprintf("c%d", j%3)
				th.SetChecks(fixed(name, Result{Throttle: j%2 == 0, Reason: name}, nil), fixed(fmt.Sprintf("w%d", i), Result{}, nil))
				th.Throttled()
				if j%7 == 0 {
					th.SetChecks()
				}
			}
		})
	}
	wg.Wait()
}

func TestHibernation(t *testing.T) {
	var hibernate sync.Once
	calls := 0
	var mu sync.Mutex
	critical := &fakeCheck{name: NameCriticalLoad, fn: func(context.Context) (Result, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		res := Result{}
		hibernate.Do(func() {
			res = Result{Throttle: true, Reason: "critical-load Threads_running=100 >= 80", Hibernate: 100 * time.Millisecond}
		})
		return res, nil
	}}
	other := fixed("other", Result{}, nil)
	th := New(Config{Interval: 2 * time.Millisecond}, other, critical)
	startRun(t, th)

	eventually(t, "hibernation", func() bool { _, r := th.Throttled(); return r == ReasonHibernation })
	seen := time.Now()
	mu.Lock()
	callsAtStart := calls
	mu.Unlock()
	otherAtStart := other.calls.Load()
	time.Sleep(50 * time.Millisecond)
	if b, r := th.Throttled(); !b || r != ReasonHibernation {
		t.Errorf("mid-hibernation Throttled() = %v, %q", b, r)
	}
	// No collection while hibernating (at most one already in flight).
	if n := other.calls.Load(); n > otherAtStart+1 {
		t.Errorf("checks collected %d times during hibernation", n-otherAtStart)
	}
	mu.Lock()
	if calls > callsAtStart+1 {
		t.Errorf("critical-load collected %d times during hibernation", calls-callsAtStart)
	}
	mu.Unlock()
	if err := waitUnthrottled(th, context.Background()); err != nil {
		t.Fatal(err)
	}
	if b, r := th.Throttled(); b || r == ReasonHibernation {
		t.Errorf("after the wait Throttled() = %v, %q", b, r)
	}
	if d := time.Since(seen); d < 40*time.Millisecond {
		t.Errorf("the wait ended %s after hibernation was seen; it lasts 100 ms", d)
	}
}

// waitUnthrottled blocks while th is throttled, the way go/migration waits: on the channel
// Decision returns, closed at the next change.
func waitUnthrottled(th *Throttler, ctx context.Context) error {
	for {
		on, _, changed := th.Decision()
		if !on {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}
