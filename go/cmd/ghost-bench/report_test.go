package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

func TestLoadReportIntervals(t *testing.T) {
	ghostStart := time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)
	st := loadgen.NewStats(ghostStart.Add(-5*time.Second), 100*time.Millisecond)
	// One write every 10ms from -5s to +20s; 1ms each, except 500ms during the cut-over at 15s.
	for at := -5 * time.Second; at < 20*time.Second; at += 10 * time.Millisecond {
		lat := time.Millisecond
		if at >= 15*time.Second && at < 15*time.Second+200*time.Millisecond {
			lat = 500 * time.Millisecond
		}
		sched := ghostStart.Add(at)
		st.Record(loadgen.Update, sched, sched, sched.Add(lat), "", 1)
	}
	p := Phases{CopyStart: Dur(time.Second), CopyEnd: Dur(14 * time.Second), CutOverStart: Dur(15 * time.Second),
		CutOverEnd: Dur(15*time.Second + 300*time.Millisecond)}
	at := func(d Dur) time.Time { return ghostStart.Add(d.D()) }
	res := loadgen.Result{Stats: st, Due: 2500, Sent: 2500, StoppedBy: "stop"}
	lr := loadReport(res, loadgen.Config{Rate: 100, Workers: 4}, ghostStart, 5*time.Second, p, at, true)

	check := func(name string, l Latency, from, to time.Duration, writes int64, maxMS float64) {
		t.Helper()
		if l.From.D() != from || l.To.D() != to || l.Writes != writes || l.Max != maxMS {
			t.Errorf("%s = %+v; want [%v, %v) %d writes, max %vms", name, l, from, to, writes, maxMS)
		}
	}
	check("before", lr.Before, -4*time.Second, 0, 400, 1) // the first second of the warm-up is skipped
	check("during copy", lr.DuringCopy, time.Second, 14*time.Second, 1300, 1)
	check("across cut-over", lr.AcrossCutOver, 13*time.Second, 17300*time.Millisecond, 430, 500)
	if lr.AcrossCutOver.P99 != 500 || lr.AcrossCutOver.P50 != 1 {
		t.Errorf("across cut-over p50/p99 = %v/%v", lr.AcrossCutOver.P50, lr.AcrossCutOver.P99)
	}
	if len(lr.PerSecond) != 250 || lr.Whole.Writes != 2500 {
		t.Errorf("%d windows, %d writes", len(lr.PerSecond), lr.Whole.Writes)
	}

	failed := loadReport(res, loadgen.Config{Rate: 100}, ghostStart, 5*time.Second, p, at, false)
	if failed.DuringCopy.Writes != 0 || failed.AcrossCutOver.Writes != 0 || failed.Before.Writes != 400 {
		t.Errorf("failed run: %+v", failed)
	}
}

func TestPrintReport(t *testing.T) {
	yes := true
	r := &Report{
		Rows: 1000, Machine: Machine{CPUs: 2, Server: "mariadb 10.11"}, FastArgs: []string{"--chunk-size", "5000"},
		Baselines: &Baselines{InsertSelect: Dur(2 * time.Second), AlterCopy: Dur(1500 * time.Millisecond)},
		Runs: []*GhostRun{
			{Name: "default", Wall: Dur(4 * time.Second), CopyTime: Dur(3 * time.Second), RowsCopied: 1000, RowsPerSec: 333,
				HasBlock: true, CutOverBlock: Dur(12 * time.Millisecond), BacklogCap: 1000,
				Verify: Verify{ColumnAdded: true, ContentMatch: &yes, ReplicaMatch: &yes}, StdoutLog: "/tmp/b/ghost-default.stdout"},
			{Name: "default+load", LoadRate: 500, Error: "ghost exited with code 1: boom", PrepareInsertSelect: Dur(time.Second),
				Load: &LoadReport{Before: Latency{Writes: 10, P50: 1.5, P99: 12, Max: 1200}, Errors: map[string]int64{"1146": 3, "1205": 1}}},
		},
	}
	b := &bencher{rep: r}
	b.ratios()
	if r.Runs[0].WallRatio != 2 || r.Runs[1].WallRatio != 0 {
		t.Errorf("ratios %v %v", r.Runs[0].WallRatio, r.Runs[1].WallRatio)
	}
	var out bytes.Buffer
	printReport(&out, r)
	text := out.String()
	for _, want := range []string{
		"(a) INSERT INTO copy SELECT * FROM sbtest_src:        2.00s",
		"fast = --chunk-size 5000",
		"wall / INSERT..SELECT    2.00x",
		"FAILED",
		"12ms",
		"1.5ms / 12ms / 1.20s",
		"1146:3 1205:1",
		"default+load: ghost exited with code 1: boom",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// The ratios divide by the median of baseline (a) and the runs' table preparations, so that one
// slow INSERT ... SELECT sample does not make ghost look fast.
func TestRatiosDivideByMedianInsertSelect(t *testing.T) {
	r := &Report{
		Baselines: &Baselines{InsertSelect: Dur(9 * time.Second)},
		Runs: []*GhostRun{
			{PrepareInsertSelect: Dur(5 * time.Second), Wall: Dur(12 * time.Second)},
			{PrepareInsertSelect: Dur(4 * time.Second), Wall: Dur(9 * time.Second)},
			{PrepareInsertSelect: Dur(6 * time.Second), Wall: Dur(6 * time.Second)},
		},
	}
	(&bencher{rep: r}).ratios()
	if r.InsertSelectRef.D() != 6*time.Second {
		t.Fatalf("ref %v; want the median 6s of 4, 5, 6, 9", r.InsertSelectRef.D())
	}
	if r.Runs[0].WallRatio != 2 || r.Runs[1].WallRatio != 1.5 || r.Runs[2].WallRatio != 1 {
		t.Errorf("ratios %v %v %v; want 2 1.5 1", r.Runs[0].WallRatio, r.Runs[1].WallRatio, r.Runs[2].WallRatio)
	}
	if want := "median of 4 timings: baseline (a) and each run's table preparation; range 4.00s-9.00s"; r.InsertSelectSource != want {
		t.Errorf("source %q; want %q", r.InsertSelectSource, want)
	}
}

func TestRatiosFallBackToPreparation(t *testing.T) {
	r := &Report{Runs: []*GhostRun{
		{PrepareInsertSelect: Dur(3 * time.Second), Wall: Dur(6 * time.Second)},
		{PrepareInsertSelect: Dur(1 * time.Second), Wall: Dur(6 * time.Second)},
		{PrepareInsertSelect: Dur(2 * time.Second), Wall: Dur(6 * time.Second)},
	}}
	(&bencher{rep: r}).ratios()
	if r.InsertSelectRef.D() != 2*time.Second || r.Runs[0].WallRatio != 3 {
		t.Errorf("ref %v, ratio %v", r.InsertSelectRef.D(), r.Runs[0].WallRatio)
	}
}

// A loaded run is compared with the unloaded run of the same arguments, and its writers' p99
// during the copy with their p99 before it; so is the server's own copy under load (c).
func TestOwnRatios(t *testing.T) {
	fast := []string{"--chunk-size", "5000"}
	load := func(before, during float64) *LoadReport {
		return &LoadReport{Before: Latency{P99: before}, DuringCopy: Latency{P99: during}}
	}
	r := &Report{
		Baselines: &Baselines{ServerCopyLoadedLoad: load(4, 20)},
		Runs: []*GhostRun{
			{Name: "default", Wall: Dur(4 * time.Second)},
			{Name: "fast", Args: fast, Wall: Dur(5 * time.Second)},
			{Name: "default+load", LoadRate: 500, Wall: Dur(6 * time.Second), Load: load(2, 10)},
			{Name: "fast+load", Args: fast, LoadRate: 500, Wall: Dur(10 * time.Second), Load: load(3, 0)},
			{Name: "fast+load again", Args: fast, LoadRate: 500, Wall: Dur(9 * time.Second), Error: "boom", Load: load(1, 9)},
		},
	}
	(&bencher{rep: r}).ratios()
	for i, want := range []float64{0, 0, 1.5, 2, 0} {
		if got := r.Runs[i].OwnIdleRatio; got != want {
			t.Errorf("%s: own idle ratio %v; want %v", r.Runs[i].Name, got, want)
		}
	}
	if got := r.Runs[2].Load.P99Ratio; got != 5 {
		t.Errorf("default+load p99 ratio %v; want 5", got)
	}
	if got := r.Runs[3].Load.P99Ratio; got != 0 {
		t.Errorf("fast+load p99 ratio %v; want 0 (no writes during the copy measured)", got)
	}
	if got := r.Runs[4].Load.P99Ratio; got != 0 {
		t.Errorf("failed run p99 ratio %v; want 0", got)
	}
	if got := r.Baselines.ServerCopyLoadedLoad.P99Ratio; got != 5 {
		t.Errorf("(c) p99 ratio %v; want 5", got)
	}
	var out bytes.Buffer
	printReport(&out, r)
	for _, want := range []string{"wall / own idle run", "1.50x", "2.00x", "p99 during copy / before", "5.00x", "; p99 5.00x)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
