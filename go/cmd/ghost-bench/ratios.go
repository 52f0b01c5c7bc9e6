package main

import (
	"fmt"
	"slices"
	"strings"
)

// ratios divides every run's times by the INSERT ... SELECT reference.
func (b *bencher) ratios() {
	b.ownRatios()
	// One INSERT ... SELECT timing varies by half on a shared machine; every fresh table of a
	// run is made by the same statement on the same data while the servers are idle, so the
	// median of all of them is the steadier yardstick.
	var samples []Dur
	what := "the runs' table preparations"
	if b.rep.Baselines != nil && b.rep.Baselines.InsertSelect > 0 {
		samples = append(samples, b.rep.Baselines.InsertSelect)
		what = "baseline (a) and each run's table preparation"
	}
	for _, g := range b.rep.Runs {
		if g.PrepareInsertSelect > 0 {
			samples = append(samples, g.PrepareInsertSelect)
		}
	}
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	b.rep.InsertSelectRef = samples[len(samples)/2]
	b.rep.InsertSelectSource = fmt.Sprintf("median of %d timings: %s; range %s-%s",
		len(samples), what, fmtDur(samples[0]), fmtDur(samples[len(samples)-1]))
	ref := b.rep.InsertSelectRef.D().Seconds()
	for _, g := range b.rep.Runs {
		if g.Error != "" {
			continue // a failed run's time means nothing
		}
		g.WallRatio = g.Wall.D().Seconds() / ref
		g.CopyRatio = g.CopyTime.D().Seconds() / ref
		if bl := b.rep.Baselines; bl != nil && bl.InsertSelectCPU.Total() > 0 {
			g.CPURatio = g.CPU.Total().D().Seconds() / bl.InsertSelectCPU.Total().D().Seconds()
		}
		if bl := b.rep.Baselines; bl != nil && g.LoadRate == 0 && bl.InsertSelect > 0 {
			g.ReplicatedRatio = (g.Wall + g.ReplicaCatchUp).D().Seconds() / (bl.InsertSelect + bl.InsertSelectReplica).D().Seconds()
		}
	}
}

// ownRatios sets the ratios that compare a run with itself and need no INSERT ... SELECT: a
// loaded run's wall time against the unloaded run of the same arguments, and the writers' p99
// during a copy (ghost's or the server's (c)) against their p99 before it.
func (b *bencher) ownRatios() {
	idle := map[string]*GhostRun{}
	for _, g := range b.rep.Runs {
		if g.LoadRate == 0 && g.Error == "" {
			idle[strings.Join(g.Args, "\x00")] = g
		}
	}
	for _, g := range b.rep.Runs {
		if g.LoadRate == 0 || g.Error != "" {
			continue
		}
		if i := idle[strings.Join(g.Args, "\x00")]; i != nil && i.Wall > 0 {
			g.OwnIdleRatio = g.Wall.D().Seconds() / i.Wall.D().Seconds()
		}
		if g.Load != nil {
			g.Load.P99Ratio = g.Load.p99Ratio()
		}
	}
	if bl := b.rep.Baselines; bl != nil && bl.ServerCopyLoadedLoad != nil {
		bl.ServerCopyLoadedLoad.P99Ratio = bl.ServerCopyLoadedLoad.p99Ratio()
	}
}
