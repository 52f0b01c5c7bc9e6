package loadgen

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one unit of a Loop's work: a statement or a whole transaction. It returns the kind of
// work it did (for Stats.Totals; "" counts as OpKind), the rows it affected and its error. The
// error is recorded by ErrorCode and never stops the loop. ctx carries LoopConfig.OpTimeout.
type Op func(ctx context.Context, w *Worker) (Kind, int64, error)

// OpKind is the kind recorded for an Op that names none.
const OpKind Kind = "op"

// Worker is what an Op knows of the goroutine running it. A worker runs its ops one after
// the other, so state an Op keeps per worker ID needs no lock.
type Worker struct {
	ID   int        // 0 .. Workers-1
	Rand *rand.Rand // the worker's own source, seeded from LoopConfig.Seed and ID
	Seq  int64      // the index of the current op in the whole run, from 0
}

// LoopConfig configures a Loop.
type LoopConfig struct {
	// Op is run by every worker, over and over. Required.
	Op Op
	// Workers is the number of goroutines running Op; default 1.
	Workers int
	// Rate > 0 makes the loop open: op i is due at start + i/Rate, the next free worker runs
	// it, and its latency counts from when it was due, queueing included (see the package
	// doc). With Rate 0 the loop is closed: each worker runs its next op Pause (plus a
	// random part of PauseJitter) after its last one ended, and latency counts from the send.
	Rate        float64
	Pause       time.Duration
	PauseJitter time.Duration
	// Duration bounds the run: no op is started at or after start+Duration; default and at
	// most MaxDuration.
	Duration time.Duration
	// MaxOps bounds the number of ops; default Rate*Duration (rounded up) for an open loop,
	// MaxWrites for a closed one; at most MaxWrites.
	MaxOps int64
	// Window is the width of a statistics window; default DefaultWindow.
	Window time.Duration
	// OpTimeout bounds one op; default DefaultOpTimeout.
	OpTimeout time.Duration
	// Seed makes the workers' sources reproducible; 0 picks a random seed.
	Seed uint64
}

func (c *LoopConfig) withDefaults() (LoopConfig, error) {
	out := *c
	if out.Workers == 0 {
		out.Workers = 1
	}
	if out.Duration == 0 {
		out.Duration = MaxDuration
	}
	if out.Window <= 0 {
		out.Window = DefaultWindow
	}
	if out.OpTimeout <= 0 {
		out.OpTimeout = DefaultOpTimeout
	}
	if out.Seed == 0 {
		out.Seed = rand.Uint64()
	}
	switch {
	case out.Op == nil:
		return out, errors.New("loadgen: the loop has no Op")
	case out.Workers < 1:
		return out, fmt.Errorf("loadgen: workers must be >= 1, got %d", out.Workers)
	case out.Rate < 0 || math.IsNaN(out.Rate) || math.IsInf(out.Rate, 0):
		return out, fmt.Errorf("loadgen: rate must be >= 0, got %v", out.Rate)
	case out.Pause < 0 || out.PauseJitter < 0:
		return out, fmt.Errorf("loadgen: negative pause %v or jitter %v", out.Pause, out.PauseJitter)
	case out.Duration < 0 || out.Duration > MaxDuration:
		return out, fmt.Errorf("loadgen: duration must be in (0, %v], got %v", MaxDuration, out.Duration)
	case out.MaxOps < 0 || out.MaxOps > MaxWrites:
		return out, fmt.Errorf("loadgen: max ops must be in [0, %d], got %d", MaxWrites, out.MaxOps)
	}
	if out.MaxOps == 0 {
		out.MaxOps = MaxWrites
		if out.Rate > 0 {
			out.MaxOps = int64(min(out.Rate*out.Duration.Seconds()+1, MaxWrites))
		}
	}
	return out, nil
}

// Loop runs an Op on a number of workers, open or closed loop, and records every op in Stats.
// Create it with NewLoop, start it once with Start, end it with Stop and Wait.
type Loop struct {
	cfg LoopConfig

	stopOnce  sync.Once
	stop      chan struct{}
	started   chan struct{} // closed once the schedule has begun
	startOnce atomic.Bool
	stats     atomic.Pointer[Stats]
	// gate is read-locked around every op; Hold takes it to keep the workers out.
	gate sync.RWMutex

	next atomic.Int64 // index of the next op to claim
	sent atomic.Int64

	mu       sync.Mutex
	firstErr map[string]error // the first error of each code

	wg     sync.WaitGroup
	start  time.Time
	reason atomic.Value // why the first worker stopped
	done   chan struct{}
	result Result
}

// NewLoop validates cfg and returns a Loop that has not started yet.
func NewLoop(cfg LoopConfig) (*Loop, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Loop{cfg: c, stop: make(chan struct{}), started: make(chan struct{}), done: make(chan struct{}),
		firstErr: map[string]error{}}, nil
}

// Config returns the configuration with defaults applied.
func (l *Loop) Config() LoopConfig { return l.cfg }

// Start starts the workers and returns at once; Stats is valid from then on. ctx bounds the
// run and every op in flight: a caller whose ops must run to their end (a transaction on a
// table and its twin whose outcome it tracks) passes a context that is not cancelled early
// and uses Stop.
func (l *Loop) Start(ctx context.Context) error {
	if !l.startOnce.CompareAndSwap(false, true) {
		return errors.New("loadgen: loop started twice")
	}
	l.start = time.Now()
	if l.cfg.Rate > 0 {
		// The first writes are not late by construction.
		l.start = l.start.Add(startLead)
	}
	stats := NewStats(l.start, l.cfg.Window)
	l.stats.Store(stats)
	close(l.started)
	deadline := l.start.Add(l.cfg.Duration)
	for id := range l.cfg.Workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			w := &Worker{ID: id, Rand: rand.New(rand.NewPCG(l.cfg.Seed, uint64(id)))}
			var why string
			if l.cfg.Rate > 0 {
				why = l.open(ctx, w, stats, deadline)
			} else {
				why = l.closed(ctx, w, stats, deadline)
			}
			l.reason.CompareAndSwap(nil, why)
		}()
	}
	go l.finish(deadline)
	return nil
}

// finish waits for the workers and fills in the result.
func (l *Loop) finish(deadline time.Time) {
	l.wg.Wait()
	end := time.Now()
	res := Result{Stats: l.stats.Load(), Start: l.start, End: end, Sent: l.sent.Load()}
	res.StoppedBy, _ = l.reason.Load().(string)
	if l.cfg.Rate > 0 {
		// Ops due: those scheduled strictly before the earlier of the end and the deadline (the
		// workers' own rule), within MaxOps: i*interval < last-start for i = 0..ceil(...)-1.
		last := end
		if deadline.Before(last) {
			last = deadline
		}
		if last.After(l.start) {
			interval := float64(time.Second) / l.cfg.Rate
			res.Due = min(int64(math.Ceil(float64(last.Sub(l.start))/interval)), l.cfg.MaxOps)
		}
	}
	res.Due = max(res.Due, res.Sent)
	l.result = res
	close(l.done)
}

// Stop asks the loop to end: no further op is started; ops in flight complete. It may be
// called at any time (before Start too) and more than once.
func (l *Loop) Stop() { l.stopOnce.Do(func() { close(l.stop) }) }

// Wait waits until every worker has returned (after Stop, the context, Duration or MaxOps)
// and returns the result. It must not be called before Start, nor while the caller holds
// the workers (Hold without Release).
func (l *Loop) Wait() Result {
	<-l.done
	return l.result
}

// Started is closed once the schedule has begun.
func (l *Loop) Started() <-chan struct{} { return l.started }

// Stats returns the live statistics, or nil before Start.
func (l *Loop) Stats() *Stats { return l.stats.Load() }

// Hold returns once the ops in flight have ended; no op starts until Release. An open loop's
// schedule keeps running meanwhile: the ops due queue up and their latency includes the hold.
func (l *Loop) Hold() { l.gate.Lock() }

// Release lets the workers go on after Hold.
func (l *Loop) Release() { l.gate.Unlock() }

// FirstErrors returns the first error recorded for each error code.
func (l *Loop) FirstErrors() map[string]error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.firstErr)
}

// stopped reports why the loop must end, or "".
func (l *Loop) stopped(ctx context.Context) string {
	select {
	case <-l.stop:
		return "stop"
	case <-ctx.Done():
		return "context"
	default:
		return ""
	}
}

// sleep waits d; it returns why the loop must end when that comes first, else "".
func (l *Loop) sleep(ctx context.Context, timer *time.Timer, d time.Duration) string {
	if d <= 0 {
		return ""
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return ""
	case <-l.stop:
		return "stop"
	case <-ctx.Done():
		return "context"
	}
}

// open claims scheduled ops and runs them until the run ends; it returns why it stopped.
func (l *Loop) open(ctx context.Context, w *Worker, stats *Stats, deadline time.Time) string {
	interval := float64(time.Second) / l.cfg.Rate
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if why := l.stopped(ctx); why != "" {
			return why
		}
		i := l.next.Add(1) - 1
		if i >= l.cfg.MaxOps {
			return "max-writes"
		}
		scheduled := l.start.Add(time.Duration(float64(i) * interval))
		if !scheduled.Before(deadline) {
			return "duration"
		}
		if why := l.sleep(ctx, timer, time.Until(scheduled)); why != "" {
			return why
		}
		w.Seq = i
		l.run(ctx, w, stats, scheduled)
	}
}

// closed runs ops back to back, with the configured pause, until the run ends; it returns
// why it stopped.
func (l *Loop) closed(ctx context.Context, w *Worker, stats *Stats, deadline time.Time) string {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if why := l.stopped(ctx); why != "" {
			return why
		}
		if !time.Now().Before(deadline) {
			return "duration"
		}
		i := l.next.Add(1) - 1
		if i >= l.cfg.MaxOps {
			return "max-writes"
		}
		w.Seq = i
		l.run(ctx, w, stats, time.Time{})
		pause := l.cfg.Pause
		if l.cfg.PauseJitter > 0 {
			pause += time.Duration(w.Rand.Int64N(int64(l.cfg.PauseJitter)))
		}
		if why := l.sleep(ctx, timer, pause); why != "" {
			return why
		}
	}
}

// run runs one op and records it; a zero scheduled time means "when it was sent".
func (l *Loop) run(ctx context.Context, w *Worker, stats *Stats, scheduled time.Time) {
	l.gate.RLock()
	defer l.gate.RUnlock()
	octx, cancel := context.WithTimeout(ctx, l.cfg.OpTimeout)
	defer cancel()
	sent := time.Now()
	if scheduled.IsZero() {
		scheduled = sent
	}
	l.sent.Add(1)
	kind, affected, err := l.cfg.Op(octx, w)
	if kind == "" {
		kind = OpKind
	}
	code := ErrorCode(err)
	stats.Record(kind, scheduled, sent, time.Now(), code, affected)
	if err != nil {
		l.mu.Lock()
		if _, ok := l.firstErr[code]; !ok {
			l.firstErr[code] = err
		}
		l.mu.Unlock()
	}
}
