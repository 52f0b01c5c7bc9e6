package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/topology"
)

// Timing of the measurements around a ghost run.
const (
	heartbeatEvery = 100 * time.Millisecond // ghost-bench's own heartbeat on the primary
	lagPollEvery   = 250 * time.Millisecond
	cutOverMargin  = 2 * time.Second // "across the cut-over" is [start-2s, end+2s)
	loadAfterGhost = cutOverMargin + 500*time.Millisecond
	// Before each measurement the servers must be idle: InnoDB flushes the previous step's dirty
	// pages and purges its dropped tables in the background, and that CPU would be billed to
	// the next measurement. Idle is under settleCPU of CPU per settleSlice, both servers together.
	settleSlice = 500 * time.Millisecond
	settleCPU   = 50 * time.Millisecond // 10% of one core
	settleMax   = 60 * time.Second
	// settleDirtyPages is "flushed": the bench's own heartbeat keeps a few pages dirty.
	settleDirtyPages = 100
	flushIOCapacity  = 20000 // pages/s while flushing: as fast as the disk takes them
)

// bencher runs one bench: topology, source table, baselines and ghost runs.
type bencher struct {
	o           options
	dir         string
	out, errOut io.Writer

	ghostHelp string // ghost --help, to pass only flags this ghost has

	topo    *topology.Topology
	primary *sql.DB // bench database on the primary
	replica *sql.DB // bench database on the replica
	rep     *Report
}

func (b *bencher) logf(format string, args ...any) {
	fmt.Fprintf(b.out, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (b *bencher) run(ctx context.Context) (rep *Report, err error) {
	begin := time.Now()
	b.rep = &Report{
		Started: begin, Command: b.o.command, Machine: machine(b.o), Rows: b.o.rows,
		LoadRate: b.o.loadRate, LoadWorkers: b.o.loadWorkers, FastArgs: b.o.fastArgs,
	}
	b.rep.Machine.LoadAvgStart = loadAvg()
	defer func() {
		b.rep.Duration = Dur(time.Since(begin))
		b.rep.Machine.LoadAvgEnd = loadAvg()
		b.ratios()
	}()
	if v, err := exec.CommandContext(ctx, b.o.ghost, "--version").Output(); err == nil {
		b.rep.Machine.GhostVersion = strings.TrimPrefix(strings.TrimSpace(string(v)), "ghost version ")
	}
	if help, err := exec.CommandContext(ctx, b.o.ghost, "--help").Output(); err == nil {
		b.ghostHelp = string(help)
	}

	if err := b.startTopology(ctx); err != nil {
		return nil, err
	}
	defer func() {
		if b.o.keep {
			b.printKept()
			return
		}
		if serr := b.topo.Stop(); serr != nil {
			err = errors.Join(err, fmt.Errorf("stop topology: %w", serr))
		}
	}()

	hbCtx, stopHB := context.WithCancel(ctx)
	hbDone := make(chan struct{})
	go func() { defer close(hbDone); b.heartbeat(hbCtx) }()
	defer func() { stopHB(); <-hbDone }()

	if err := b.load(ctx); err != nil {
		return b.rep, err
	}
	if !b.o.skipBaselines {
		if err := b.baselines(ctx); err != nil {
			return b.rep, err
		}
	}
	type spec struct {
		name string
		args []string
		rate float64
	}
	var specs []spec
	for _, r := range b.o.runs {
		args := []string{}
		if r == "fast" {
			args = b.o.fastArgs
		}
		specs = append(specs, spec{r, args, 0})
	}
	if b.o.loadRate > 0 {
		for _, r := range b.o.runs {
			s := specs[slices.IndexFunc(specs, func(s spec) bool { return s.name == r })]
			specs = append(specs, spec{r + "+load", s.args, b.o.loadRate})
		}
	}
	for _, s := range specs {
		if ctx.Err() != nil {
			break
		}
		g, err := b.ghostRun(ctx, s.name, s.args, s.rate)
		if g != nil {
			b.rep.Runs = append(b.rep.Runs, g)
		}
		if err != nil {
			return b.rep, err
		}
	}
	if b.o.applyEvents > 0 && ctx.Err() == nil {
		a, err := b.applyRun(ctx, b.o.applyEvents)
		b.rep.Apply = a
		if err != nil {
			return b.rep, err
		}
	}
	return b.rep, ctx.Err()
}

func (b *bencher) startTopology(ctx context.Context) error {
	// innodb_log_file_size also sizes MySQL 8.0.30+'s redo capacity when
	// innodb_redo_log_capacity is not given (deprecated there, still read).
	args := append([]string{"--innodb-buffer-pool-size=" + b.o.bufferPool, "--innodb-log-file-size=" + b.o.redoLog}, b.o.serverArgs...)
	opts := topology.Options{Dir: b.dir, ExtraArgs: args, Detach: b.o.keep}
	if b.o.verbose {
		opts.Log = b.errOut
	}
	b.logf("starting a primary + replica under %s", b.dir)
	topo, err := topology.Start(ctx, opts)
	if err != nil {
		return err
	}
	b.topo = topo
	if topo.Replica == nil {
		return errors.New("topology has no replica")
	}
	if b.o.keep {
		if err := topo.Save(filepath.Join(b.dir, "state.json")); err != nil {
			return err
		}
	}
	b.rep.TopologyDir = topo.Dir
	b.rep.Machine.Server = topo.Primary.Flavor + " " + topo.Primary.Version
	b.rep.Machine.TopologyLocal = topo.Backend == topology.BackendLocal
	for _, q := range []string{
		"CREATE DATABASE " + benchDB,
		"CREATE DATABASE bench_meta",
		"CREATE TABLE bench_meta.heartbeat (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)",
		"INSERT INTO bench_meta.heartbeat VALUES (1, NOW(6))",
	} {
		if err := topo.Primary.Exec(ctx, q); err != nil {
			return err
		}
	}
	if b.primary, err = topo.Primary.Open(benchDB); err != nil {
		return err
	}
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		return err
	}
	if b.replica, err = topo.Replica.Open(benchDB); err != nil {
		return err
	}
	b.logf("%s %s: primary %s, replica %s", topo.Primary.Flavor, topo.Primary.Version, topo.Primary.Addr(), topo.Replica.Addr())
	return nil
}

func (b *bencher) printKept() {
	fmt.Fprintf(b.out, "\ntopology kept running (--keep): primary %s, replica %s, user %s/%s, database %s\n",
		b.topo.Primary.Addr(), b.topo.Replica.Addr(), topology.User, topology.Password, benchDB)
	fmt.Fprintf(b.out, "stop it with: bin/ghost-topology --dir %s down\n", b.dir)
}

// heartbeat writes the current time on the primary until ctx ends; the replica's copy of the row
// tells its lag.
func (b *bencher) heartbeat(ctx context.Context) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Errors are ignored: a missed beat only makes the measured lag look 100ms larger.
		_, _ = b.primary.ExecContext(ctx, "UPDATE bench_meta.heartbeat SET ts = NOW(6) WHERE id = 1")
	}
}

// load creates the source table and waits for the replica.
func (b *bencher) load(ctx context.Context) error {
	b.logf("loading %d rows into %s.%s", b.o.rows, benchDB, sourceTable)
	begin := time.Now()
	if err := loadSource(ctx, b.primary, b.o.rows, b.o.seed); err != nil {
		return err
	}
	primaryDone := time.Since(begin)
	if err := b.topo.WaitReplicaCaughtUp(ctx); err != nil {
		return err
	}
	b.rep.LoadTime = Dur(time.Since(begin))
	b.logf("loaded in %s (replica caught up after %s)", fmtDur(Dur(primaryDone)), fmtDur(b.rep.LoadTime))
	return nil
}

// settle waits until both servers are idle, at most settleMax, and returns how long it waited:
// first their buffer pools are flushed (see flushDirty), then their CPU use must fall under
// settleCPU.
func (b *bencher) settle(ctx context.Context) time.Duration {
	begin := time.Now()
	for _, s := range []struct {
		name string
		db   *sql.DB
	}{{"primary", b.primary}, {"replica", b.replica}} {
		if err := flushDirty(ctx, s.db, begin.Add(settleMax)); err != nil {
			b.logf("%s: %v; measuring anyway", s.name, err)
		}
	}
	prev := b.cpuNow()
	for time.Since(begin) < settleMax {
		select {
		case <-ctx.Done():
			return time.Since(begin)
		case <-time.After(settleSlice):
		}
		cur := b.cpuNow()
		used := cur.primary - prev.primary + cur.replica - prev.replica
		prev = cur
		if used < settleCPU {
			return time.Since(begin)
		}
	}
	b.logf("servers still busy after %s; measuring anyway", settleMax)
	return time.Since(begin)
}

// flushDirty has the server write every dirty page of its buffer pool now, until
// Innodb_buffer_pool_pages_dirty falls under settleDirtyPages: innodb_max_dirty_pages_pct goes
// to 0 and innodb_io_capacity(_max) up to flushIOCapacity for the time, then all three back.
//
// Why: a step that wrote a million rows leaves some 40,000 dirty pages, which InnoDB otherwise
// writes back over the next minutes at innodb_io_capacity (200 pages/s by default). On this
// machine's disk that background writing stalls commits by 100-300 ms every few seconds, in
// whatever is measured next: the writers' latency "before" ghost started was measured in it
// (p99 126-274 ms, against 2-5 ms once the pages had been written).
func flushDirty(ctx context.Context, db *sql.DB, deadline time.Time) (err error) {
	// Raised in this order and restored in the reverse one: io_capacity may not exceed _max.
	vars := []string{"innodb_io_capacity_max", "innodb_io_capacity", "innodb_max_dirty_pages_pct"}
	flush := []string{fmt.Sprint(flushIOCapacity), fmt.Sprint(flushIOCapacity), "0"}
	saved := make([]string, 0, len(vars))
	defer func() {
		// On a cancelled ctx too: the servers outlive the bench with --keep.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		for i := len(saved) - 1; i >= 0; i-- {
			if _, rerr := db.ExecContext(rctx, fmt.Sprintf("SET GLOBAL %s = %s", vars[i], saved[i])); rerr != nil && err == nil {
				err = fmt.Errorf("restore %s = %s: %w", vars[i], saved[i], rerr)
			}
		}
	}()
	for i, v := range vars {
		var cur string
		if err := db.QueryRowContext(ctx, "SELECT @@GLOBAL."+v).Scan(&cur); err != nil {
			return fmt.Errorf("read %s: %w", v, err)
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("SET GLOBAL %s = %s", v, flush[i])); err != nil {
			return fmt.Errorf("set %s = %s: %w", v, flush[i], err)
		}
		saved = append(saved, cur)
	}
	for {
		var name string
		var dirty int64
		if err := db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&name, &dirty); err != nil {
			return fmt.Errorf("read Innodb_buffer_pool_pages_dirty: %w", err)
		}
		if dirty < settleDirtyPages {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still %d dirty pages", dirty)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitReplica returns how long the replica took to catch up from now.
func (b *bencher) waitReplica(ctx context.Context) (time.Duration, error) {
	begin := time.Now()
	err := b.topo.WaitReplicaCaughtUp(ctx)
	return time.Since(begin), err
}

// baselines times the server's own INSERT ... SELECT and ALTER ... ALGORITHM=COPY.
func (b *bencher) baselines(ctx context.Context) error {
	bl := &Baselines{}
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return err
	}
	b.settle(ctx)
	b.logf("(a) INSERT INTO copy SELECT * FROM %s", sourceTable)
	mark := b.cpuNow()
	d, err := copyTable(ctx, b.primary, "copy")
	if err != nil {
		return err
	}
	bl.InsertSelect = Dur(d)
	bl.InsertSelectCPU.Primary = Dur(b.cpuNow().primary - mark.primary)
	r, err := b.waitReplica(ctx)
	if err != nil {
		return err
	}
	bl.InsertSelectReplica = Dur(r)
	bl.InsertSelectCPU.Replica = Dur(b.cpuNow().replica - mark.replica)
	b.logf("    %s on the primary, replica %s later", fmtDur(bl.InsertSelect), fmtDur(bl.InsertSelectReplica))

	if _, err := copyTable(ctx, b.primary, "copy2"); err != nil {
		return err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return err
	}
	b.settle(ctx)
	b.logf("(b) ALTER TABLE copy2 %s, ALGORITHM=COPY", benchAlter)
	mark = b.cpuNow()
	d, err = timeExec(ctx, b.primary, "ALTER TABLE copy2 "+benchAlter+", ALGORITHM=COPY")
	if err != nil {
		return err
	}
	bl.AlterCopy = Dur(d)
	bl.AlterCopyCPU.Primary = Dur(b.cpuNow().primary - mark.primary)
	if r, err = b.waitReplica(ctx); err != nil {
		return err
	}
	bl.AlterCopyReplica = Dur(r)
	bl.AlterCopyCPU.Replica = Dur(b.cpuNow().replica - mark.replica)
	b.logf("    %s on the primary, replica %s later", fmtDur(bl.AlterCopy), fmtDur(bl.AlterCopyReplica))
	b.rep.Baselines = bl
	if b.o.loadRate > 0 {
		if err := b.serverCopyLoaded(ctx, bl); err != nil {
			return err
		}
	}
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return err
	}
	_, err = b.waitReplica(ctx)
	return err
}

// serverCopyLoaded is baseline (c): INSERT ... SELECT of the source into a new table while the
// load writes a fresh sbtest1, with the same warm-up and margins as a loaded ghost run.
func (b *bencher) serverCopyLoaded(ctx context.Context, bl *Baselines) error {
	if _, _, err := b.freshRunTable(ctx); err != nil {
		return err
	}
	gen, loadDone, err := b.startLoad(ctx, "(c)", b.o.loadRate)
	if err != nil {
		return err
	}
	b.logf("(c) INSERT INTO copy3 SELECT * FROM %s while the load writes %s", sourceTable, runTable)
	start := time.Now()
	d, err := copyTable(ctx, b.primary, "copy3")
	if err != nil {
		gen.Stop()
		<-loadDone
		return err
	}
	time.Sleep(loadAfterGhost)
	gen.Stop()
	res := <-loadDone
	bl.ServerCopyLoaded = Dur(d)
	// The statement plays ghost's part: it is "during copy", from its start; no cut-over.
	at := func(x Dur) time.Time { return start.Add(x.D()) }
	bl.ServerCopyLoadedLoad = loadReport(res, gen.Config(), start, b.o.loadWarmup, Phases{CopyEnd: Dur(d)}, at, true)
	b.logf("    %s; writers before %s, during %s", fmtDur(bl.ServerCopyLoaded), bl.ServerCopyLoadedLoad.Before, bl.ServerCopyLoadedLoad.DuringCopy)
	_, err = b.waitReplica(ctx)
	return err
}

// freshRunTable replaces every table but the source by a fresh copy of it named runTable and
// waits for the replica and for both servers to be idle. It returns how long the copy (another
// INSERT ... SELECT sample) and the wait for idle servers took.
func (b *bencher) freshRunTable(ctx context.Context) (prepare, settle time.Duration, err error) {
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return 0, 0, err
	}
	if prepare, err = copyTable(ctx, b.primary, runTable); err != nil {
		return 0, 0, err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return 0, 0, err
	}
	return prepare, b.settle(ctx), nil
}

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

// ghostRun migrates a fresh copy of the source table with ghost, optionally under load.
func (b *bencher) ghostRun(ctx context.Context, name string, extra []string, rate float64) (*GhostRun, error) {
	g := &GhostRun{Name: name, Args: extra, LoadRate: rate}
	b.logf("run %s: preparing a fresh %s", name, runTable)
	prepare, settle, err := b.freshRunTable(ctx)
	if err != nil {
		return nil, err
	}
	g.PrepareInsertSelect, g.Settle = Dur(prepare), Dur(settle)

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

// loadAvg returns the first three fields of /proc/loadavg ("" elsewhere): other work on the
// machine skews every figure.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// shellJoin quotes args for a POSIX shell, for printing.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") == "" {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// expandServers replaces {primary.host}, {primary.port}, {replica.host} and {replica.port} in
// extra ghost arguments with the bench topology's addresses, which are known only once it runs
// (say --fast-args "--host {primary.host} --port {primary.port} --allow-on-master").
func (b *bencher) expandServers(args []string) []string {
	r := strings.NewReplacer(
		"{primary.host}", b.topo.Primary.Host, "{primary.port}", strconv.Itoa(b.topo.Primary.Port),
		"{replica.host}", b.topo.Replica.Host, "{replica.port}", strconv.Itoa(b.topo.Replica.Port))
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = r.Replace(a)
	}
	return out
}
