package main

import (
	"context"
	"errors"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

// startLoad starts the load generator on runTable at rate writes/s and returns once the warm-up
// is over; the result arrives on the channel after gen.Stop.
func (b *bencher) startLoad(ctx context.Context, what string, rate float64) (*loadgen.Generator, chan loadgen.Result, error) {
	gen, err := loadgen.New(loadgen.Config{
		DSN:      b.topo.Primary.DSN(benchDB),
		Table:    runTable,
		Rate:     rate,
		Workers:  b.o.loadWorkers,
		Duration: b.o.loadWarmup + b.o.ghostTimeout + time.Minute,
		Seed:     b.o.seed,
	})
	if err != nil {
		return nil, nil, err
	}
	done := make(chan loadgen.Result, 1)
	go func() {
		res, err := gen.Run(ctx)
		if err != nil {
			b.logf("%s: load generator failed: %v", what, err)
		}
		done <- res
	}()
	select {
	case <-gen.Started():
	case <-done:
		return nil, nil, errors.New("load generator did not start")
	}
	b.logf("%s: %v writes/s on the primary, %s warm-up", what, rate, b.o.loadWarmup)
	time.Sleep(b.o.loadWarmup)
	return gen, done, nil
}

// loadReport cuts the load's statistics into the intervals of the run.
// The copy and cut-over intervals are left empty when ghost failed (completed is false): the
// phases of a failed run are not known.
func loadReport(res loadgen.Result, cfg loadgen.Config, ghostStart time.Time, warmup time.Duration, p Phases, at func(Dur) time.Time, completed bool) *LoadReport {
	st := res.Stats
	if st == nil {
		return nil
	}
	lr := &LoadReport{
		Rate: cfg.Rate, Workers: cfg.Workers, Errors: st.Errors(), Totals: st.Totals(),
		Due: res.Due, Sent: res.Sent, StoppedBy: res.StoppedBy,
	}
	// The first second of the warm-up fills the connections' caches: skip it when there is more.
	before := ghostStart.Add(-warmup)
	if warmup > 2*time.Second {
		before = before.Add(time.Second)
	}
	lr.Before = latency(st.Summary(before, ghostStart), ghostStart)
	if completed && p.CopyEnd > p.CopyStart {
		lr.DuringCopy = latency(st.Summary(at(p.CopyStart), at(p.CopyEnd)), ghostStart)
	}
	if completed && p.CutOverEnd > 0 {
		lr.AcrossCutOver = latency(st.Summary(at(p.CutOverStart).Add(-cutOverMargin), at(p.CutOverEnd).Add(cutOverMargin)), ghostStart)
	}
	lr.Whole = latency(st.All(), ghostStart)
	for _, s := range st.Series() {
		lr.PerSecond = append(lr.PerSecond, latency(s, ghostStart))
	}
	return lr
}
