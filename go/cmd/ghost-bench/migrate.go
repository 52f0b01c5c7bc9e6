package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/topology"
)

// ghostRun migrates a fresh copy of the source table with ghost, optionally under load.
func (b *bencher) ghostRun(ctx context.Context, name string, extra []string, rate float64) (*GhostRun, error) {
	g := &GhostRun{Name: name, Args: extra, LoadRate: rate}
	b.logf("run %s: preparing a fresh %s", name, runTable)
	prepare, settle, err := b.freshRunTable(ctx)
	if err != nil {
		return nil, err
	}
	g.PrepareInsertSelect, g.Settle = Dur(prepare), Dur(settle)

	// The primary's row lock waits, sampled from before the load starts: the copy's against the
	// load's own before ghost starts (docs/copy-and-apply.md).
	waitsCtx, stopWaits := context.WithCancel(ctx)
	defer stopWaits()
	waitsOrigin := time.Now()
	waitsDone := make(chan []waitSample, 1)
	go func() { waitsDone <- b.pollRowLockWaits(waitsCtx, waitsOrigin) }()
	var gen *loadgen.Generator
	var loadDone chan loadgen.Result
	if rate > 0 {
		if gen, loadDone, err = b.startLoad(ctx, "run "+name, rate); err != nil {
			return nil, err
		}
	}

	args := []string{
		"--host", b.topo.Replica.Host, "--port", strconv.Itoa(b.topo.Replica.Port),
		"--user", topology.User, "--password", topology.Password,
		"--database", benchDB, "--table", runTable, "--alter", benchAlter,
		"--execute", "--verbose",
	}
	// Why: the default of this flag is a file shared by every ghost on the host; another ghost's
	// throttling must not slow the bench down.
	if strings.Contains(b.ghostHelp, "--throttle-additional-flag-file") {
		args = append(args, "--throttle-additional-flag-file", filepath.Join(b.dir, "ghost.throttle"))
	}
	// Likewise the default control socket is named after the table, in /tmp.
	if strings.Contains(b.ghostHelp, "--serve-socket-file") {
		args = append(args, "--serve-socket-file", filepath.Join(b.dir, "ghost.sock"))
	}
	args = append(args, b.expandServers(extra)...)
	g.Command = shellJoin(append([]string{b.o.ghost}, args...))
	prefix := filepath.Join(b.dir, "ghost-"+strings.ReplaceAll(name, "+", "-"))
	g.StdoutLog, g.StderrLog = prefix+".stdout", prefix+".stderr"

	pollCtx, stopPoll := context.WithCancel(ctx)
	mark := b.cpuNow()
	host := hostNow()
	ghostStart := time.Now()
	lagDone := make(chan []LagSample, 1)
	go func() { lagDone <- b.pollLag(pollCtx, ghostStart) }()

	b.logf("run %s: %s", name, g.Command)
	runCtx, cancelRun := context.WithTimeout(ctx, b.o.ghostTimeout)
	var echo io.Writer
	if b.o.verbose {
		echo = b.out
	}
	out, wall, runErr := runGhost(runCtx, b.o.ghost, args, prefix, echo)
	cancelRun()
	exitAt := time.Now()
	g.Host = hostSince(host)
	if out == nil {
		stopWaits()
		<-waitsDone
		stopPoll()
		<-lagDone
		if gen != nil {
			gen.Stop()
			<-loadDone
		}
		return g, fmt.Errorf("run %s: %w", name, runErr)
	}
	if out.started.After(ghostStart) {
		ghostStart = out.started
	}
	g.Wall = Dur(wall)
	if runErr != nil {
		g.Error = runErr.Error()
		g.Tail = out.tail
	}
	// The replica's catch-up from the moment ghost exits (the load, if any, keeps writing).
	primaryCPU := b.cpuNow().primary - mark.primary
	catchUp := make(chan time.Duration, 1)
	var replicaCPU time.Duration
	go func() {
		d, err := b.waitReplica(ctx)
		if err != nil {
			d = -1
		}
		replicaCPU = b.cpuNow().replica - mark.replica
		catchUp <- d
	}()
	g.Phases = out.fillPhases(wall)
	at := func(d Dur) time.Time { return ghostStart.Add(d.D()) }

	if gen != nil {
		// Keep writing until the window across the cut-over is complete.
		time.Sleep(time.Until(at(g.Phases.CutOverEnd).Add(loadAfterGhost)))
		gen.Stop()
		res := <-loadDone
		g.Load = loadReport(res, gen.Config(), ghostStart, b.o.loadWarmup, g.Phases, at, g.Error == "")
	}
	if d := <-catchUp; d >= 0 {
		g.ReplicaCatchUp = Dur(d)
	}
	g.CPU = CPU{Primary: Dur(primaryCPU), Replica: Dur(replicaCPU), Ghost: Dur(out.cpu)}
	stopWaits()
	g.RowLockWaits = rowLockWaits(<-waitsDone, ghostStart.Sub(waitsOrigin), g.Phases)
	stopPoll()
	samples := <-lagDone
	g.ReplicaLagSeries = samples
	for _, s := range samples {
		g.ReplicaLag.Samples++
		g.ReplicaLag.SBMPeak = max(g.ReplicaLag.SBMPeak, s.SBM)
		if s.At.D() >= 0 && s.At.D() <= exitAt.Sub(ghostStart) {
			g.ReplicaLag.HeartbeatPeak = max(g.ReplicaLag.HeartbeatPeak, s.Heartbeat)
		}
	}
	b.summarize(g, out)
	if ctx.Err() != nil {
		return g, ctx.Err()
	}
	b.verify(ctx, g)
	b.logf("run %s: %s", name, g.brief())
	return g, nil
}

// brief is a one-line summary for the progress log.
func (g *GhostRun) brief() string {
	if g.Error != "" {
		return "FAILED: " + g.Error
	}
	s := fmt.Sprintf("wall %s, copy %s (%s rows/s), %d events, cut-over blocked %dms, replica lag peak %s",
		fmtDur(g.Wall), fmtDur(g.CopyTime), fmtRate(g.RowsPerSec), g.Events, g.CutOverBlock.D().Milliseconds(),
		fmtDur(g.ReplicaLag.HeartbeatPeak))
	if g.Load != nil {
		s += fmt.Sprintf("; writers across cut-over %s, errors %s", g.Load.AcrossCutOver, fmtErrors(g.Load.Errors))
	}
	if !g.Verify.OK() {
		s += "; VERIFY FAILED " + g.Verify.Note
	}
	return s
}

// summarize fills the ghost-side figures of g from its output.
func (b *bencher) summarize(g *GhostRun, out *ghostOutput) {
	out.mu.Lock()
	defer out.mu.Unlock()
	g.Status = out.status
	g.Warnings = out.logs
	g.StatusLines = len(out.status)
	var last StatusLine
	for _, s := range out.status {
		last = s
		g.MaxBacklog = max(g.MaxBacklog, s.Backlog)
		g.BacklogCap = max(g.BacklogCap, s.BacklogCap)
		g.GhostLagPeak = max(g.GhostLagPeak, Dur(s.Lag))
		g.GhostHBLagPeak = max(g.GhostHBLagPeak, Dur(s.HeartbeatLag))
		if s.Throttled() {
			g.ThrottledLines++
			if !slices.Contains(g.ThrottleStates, s.State) && len(g.ThrottleStates) < 10 {
				g.ThrottleStates = append(g.ThrottleStates, s.State)
			}
		}
	}
	p := g.Phases
	if d := out.done; d != nil {
		g.Done = d
		g.RowsCopied, g.CopyTime, g.RowsPerSec, g.Events = d.RowsCopied, Dur(d.CopyTime), d.RowsPerSec, d.Events
		g.CutOverBlock, g.HasBlock = Dur(d.CutOverBlock), d.HasCutOverBlock
		g.Checksum = Dur(d.ChecksumTime)
		if d.ChecksumTime > 0 && d.CopyTime > 0 {
			g.ChecksumRatio = d.ChecksumTime.Seconds() / d.CopyTime.Seconds()
		}
	} else {
		g.RowsCopied, g.Events = last.Copied, last.Applied
		if p.CopyEnd > p.CopyStart {
			g.CopyTime = p.CopyEnd - p.CopyStart
			g.RowsPerSec = float64(g.RowsCopied) / g.CopyTime.D().Seconds()
		}
	}
	if applying := p.CutOverStart - p.CopyStart; applying > 0 {
		g.EventsPerSec = float64(g.Events) / applying.D().Seconds()
	}
}

// pollLag samples the replica's lag until ctx ends.
func (b *bencher) pollLag(ctx context.Context, origin time.Time) []LagSample {
	var out []LagSample
	t := time.NewTicker(lagPollEvery)
	defer t.Stop()
	for {
		s := LagSample{At: Dur(time.Since(origin)), SBM: -1}
		if st, err := b.topo.Replica.ReplicaStatus(ctx); err == nil && st.SecondsBehind != nil {
			s.SBM = *st.SecondsBehind
		}
		var us sql.NullInt64
		err := b.replica.QueryRowContext(ctx,
			"SELECT TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) FROM bench_meta.heartbeat WHERE id = 1").Scan(&us)
		if err == nil && us.Valid {
			s.Heartbeat = Dur(time.Duration(us.Int64) * time.Microsecond)
		}
		if ctx.Err() == nil {
			out = append(out, s)
		}
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
	}
}

// verify checks the migrated table: the new column exists on both servers; without load the
// content equals the source; in any case the replica's copy equals the primary's.
func (b *bencher) verify(ctx context.Context, g *GhostRun) {
	reference := ""
	if g.LoadRate == 0 && g.Error == "" {
		reference = sourceTable
	}
	g.Verify = b.verifyTable(ctx, runTable, reference, g.Error == "")
}

// verifyTable checks table after a run: column x exists on both servers (a note says so when
// it is missing after a successful run), its id, k, c, pad equal reference's unless reference
// is empty, and the replica's copy equals the primary's.
func (b *bencher) verifyTable(ctx context.Context, table, reference string, succeeded bool) (v Verify) {
	var notes []string
	defer func() { v.Note = strings.Join(notes, "; ") }()
	if _, err := b.waitReplica(ctx); err != nil {
		notes = append(notes, err.Error())
		return v
	}
	added := true
	for _, db := range []*sql.DB{b.primary, b.replica} {
		ok, err := hasColumn(ctx, db, table, "x")
		if err != nil {
			notes = append(notes, err.Error())
		}
		added = added && ok
	}
	v.ColumnAdded = added
	if !added && succeeded {
		notes = append(notes, "column x missing after a successful run")
	}
	got, err := fingerprint(ctx, b.primary, table)
	if err != nil {
		notes = append(notes, err.Error())
		return v
	}
	if reference != "" {
		want, err := fingerprint(ctx, b.primary, reference)
		if err != nil {
			notes = append(notes, err.Error())
			return v
		}
		match := got == want
		v.ContentMatch = &match
		if !match {
			notes = append(notes, fmt.Sprintf("content differs from %s: %+v, want %+v", reference, got, want))
		}
	}
	rgot, err := fingerprint(ctx, b.replica, table)
	if err != nil {
		notes = append(notes, err.Error())
		return v
	}
	match := rgot == got
	v.ReplicaMatch = &match
	if !match {
		notes = append(notes, fmt.Sprintf("replica differs from the primary: %+v vs %+v", rgot, got))
	}
	return v
}

// waitSample is the primary's Innodb_row_lock_waits at a moment.
type waitSample struct {
	at    time.Duration // since the sampling began
	waits int64
}

func (b *bencher) pollRowLockWaits(ctx context.Context, origin time.Time) []waitSample {
	var out []waitSample
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		var name string
		var n int64
		if err := b.primary.QueryRowContext(context.WithoutCancel(ctx), "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'").Scan(&name, &n); err == nil {
			out = append(out, waitSample{time.Since(origin), n})
		}
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
	}
}

// RowLockWaits counts the primary's row lock waits per second before ghost started (the load
// alone) and during its copy.
type RowLockWaits struct {
	Before       int64   `json:"before"`
	BeforePerSec float64 `json:"before_per_second"`
	Copy         int64   `json:"during_copy"`
	CopyPerSec   float64 `json:"during_copy_per_second"`
}

// rowLockWaits reads the samples: ghostAt is when ghost started after the sampling began, and
// the phases are relative to ghost's start.
func rowLockWaits(s []waitSample, ghostAt time.Duration, p Phases) *RowLockWaits {
	at := func(d time.Duration) int64 { // the count at the last sample at or before d
		var n int64 = -1
		for _, x := range s {
			if x.at <= d {
				n = x.waits
			}
		}
		return n
	}
	r := &RowLockWaits{}
	if len(s) == 0 {
		return nil
	}
	if b0, b1 := s[0].waits, at(ghostAt); b1 >= 0 && ghostAt > s[0].at {
		r.Before = b1 - b0
		r.BeforePerSec = float64(r.Before) / (ghostAt - s[0].at).Seconds()
	}
	c0, c1 := at(ghostAt+p.CopyStart.D()), at(ghostAt+p.CopyEnd.D())
	if c0 >= 0 && c1 >= c0 && p.CopyEnd > p.CopyStart {
		r.Copy = c1 - c0
		r.CopyPerSec = float64(r.Copy) / (p.CopyEnd - p.CopyStart).D().Seconds()
	}
	return r
}
