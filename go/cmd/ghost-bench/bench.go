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

	"github.com/ghost-osc/ghost/go/topology"
)

// Timing of the measurements around a ghost run.
const (
	heartbeatEvery = 100 * time.Millisecond // ghost-bench's own heartbeat on the primary
	lagPollEvery   = 250 * time.Millisecond
	cutOverMargin  = 2 * time.Second // "across the cut-over" is [start-2s, end+2s)
	loadAfterGhost = cutOverMargin + 500*time.Millisecond
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
