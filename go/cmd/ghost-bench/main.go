// Command ghost-bench measures ghost against the server's own copy on a local primary + replica.
//
// It starts its own topology in a temporary directory, fills a sysbench-like table and, in one
// run, times the server's INSERT ... SELECT and ALTER ... ALGORITHM=COPY on identical copies, then
// migrates a fresh identical table with ghost (default settings, then the "fast" settings), and the
// same two again under a fixed-rate write load. It prints a table and writes JSON; docs/bench.md
// explains the figures. script/bench builds and runs it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
)

// defaultFastArgs are the ghost settings of the "fast" runs. Measured on a 2-core machine: see
// docs/bench.md.
const defaultFastArgs = "--host {primary.host} --port {primary.port} --allow-on-master --throttle-control-replicas {replica.host}:{replica.port} --target-chunk-time 200ms"

var errUnterminated = errors.New("unterminated quote")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newApp(os.Stdout, os.Stderr).RunContext(ctx, os.Args)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ghost-bench: %v\n", err)
		os.Exit(1)
	}
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:            "ghost-bench",
		Usage:           "measure ghost against INSERT ... SELECT and ALTER ... ALGORITHM=COPY on a local topology",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.Int64Flag{Name: "rows", Value: 1_000_000, Usage: "rows of the sysbench-like table"},
			&cli.Float64Flag{Name: "load-rate", Value: 500, Usage: "writes/s of the load during the loaded runs; 0 skips the loaded runs"},
			&cli.IntFlag{Name: "load-workers", Value: 16, Usage: "connections of the load generator"},
			&cli.DurationFlag{Name: "load-warmup", Value: 5 * time.Second, Usage: "load before ghost starts (the \"before\" latency)"},
			&cli.StringFlag{Name: "fast-args", Value: defaultFastArgs, Usage: "extra ghost arguments of the fast runs; {primary.host} {primary.port} {replica.host} {replica.port} name the bench servers, and a later --host/--port wins over the replica the bench passes"},
			&cli.Int64Flag{Name: "apply-events", Value: 100_000, Usage: "row events of the apply-capacity run's large burst (a tenth in the small one); 0 skips it"},
			&cli.StringFlag{Name: "runs", Value: "default,fast", Usage: "which ghost settings to run (default, fast); each also runs under load when --load-rate > 0"},
			&cli.StringFlag{Name: "json", Usage: "write the results here (default: results.json in the bench directory)"},
			&cli.BoolFlag{Name: "keep", Usage: "leave the topology running at the end"},
			&cli.BoolFlag{Name: "skip-server-baselines", Usage: "skip the INSERT ... SELECT and ALTER ... ALGORITHM=COPY timings"},
			&cli.StringFlag{Name: "ghost", Usage: "ghost binary (default: ghost next to this binary, else bin/ghost)"},
			&cli.StringFlag{Name: "dir", Value: os.TempDir(), Usage: "parent of the bench directory (topology, ghost output, results)"},
			&cli.StringFlag{Name: "buffer-pool", Value: "2G", Usage: "innodb_buffer_pool_size of both servers"},
			&cli.StringFlag{Name: "redo-log", Value: "1G", Usage: "innodb_log_file_size of both servers (the server's default, 96M in MariaDB, is a toy size: every bulk writer then waits for checkpoints)"},
			&cli.StringSliceFlag{Name: "server-arg", Usage: "extra server argument for both servers (repeatable)"},
			&cli.DurationFlag{Name: "ghost-timeout", Value: 30 * time.Minute, Usage: "bound on one ghost run"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the table's and the load's random values"},
			&cli.BoolFlag{Name: "verbose", Usage: "echo ghost's status lines and the topology's start-up"},
		},
		Action: func(c *cli.Context) error {
			opts, err := optionsFrom(c)
			if err != nil {
				return err
			}
			return run(c.Context, opts, stdout, stderr)
		},
	}
}

// options are the parsed flags.
type options struct {
	rows          int64
	loadRate      float64
	loadWorkers   int
	loadWarmup    time.Duration
	fastArgs      []string
	runs          []string
	applyEvents   int64
	jsonPath      string
	keep          bool
	skipBaselines bool
	ghost         string
	dir           string
	bufferPool    string
	redoLog       string
	serverArgs    []string
	ghostTimeout  time.Duration
	seed          uint64
	verbose       bool
	command       []string
}

func optionsFrom(c *cli.Context) (options, error) {
	o := options{
		rows:          c.Int64("rows"),
		loadRate:      c.Float64("load-rate"),
		loadWorkers:   c.Int("load-workers"),
		loadWarmup:    c.Duration("load-warmup"),
		applyEvents:   c.Int64("apply-events"),
		jsonPath:      c.String("json"),
		keep:          c.Bool("keep"),
		skipBaselines: c.Bool("skip-server-baselines"),
		ghost:         c.String("ghost"),
		dir:           c.String("dir"),
		bufferPool:    c.String("buffer-pool"),
		redoLog:       c.String("redo-log"),
		serverArgs:    c.StringSlice("server-arg"),
		ghostTimeout:  c.Duration("ghost-timeout"),
		seed:          c.Uint64("seed"),
		verbose:       c.Bool("verbose"),
		command:       os.Args,
	}
	if c.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	var err error
	if o.fastArgs, err = splitArgs(c.String("fast-args")); err != nil {
		return o, fmt.Errorf("--fast-args: %w", err)
	}
	for _, r := range strings.Split(c.String("runs"), ",") {
		switch r = strings.TrimSpace(r); r {
		case "default", "fast":
			o.runs = append(o.runs, r)
		case "":
		default:
			return o, fmt.Errorf("--runs: unknown run %q (want default, fast)", r)
		}
	}
	switch {
	case o.rows < 1:
		return o, fmt.Errorf("--rows must be at least 1")
	case o.loadRate < 0:
		return o, fmt.Errorf("--load-rate must not be negative")
	case o.applyEvents < 0 || (o.applyEvents > 0 && o.applyEvents < 1000):
		return o, fmt.Errorf("--apply-events must be 0 (skip) or at least 1000")
	case o.applyEvents > 0 && o.rows < 1000:
		return o, fmt.Errorf("the apply run updates 1000 rows per transaction: it needs --rows of at least 1000 (or --apply-events 0)")
	case o.loadWorkers < 1:
		return o, fmt.Errorf("--load-workers must be at least 1")
	case o.ghostTimeout <= 0:
		return o, fmt.Errorf("--ghost-timeout must be positive")
	}
	if o.ghost == "" {
		o.ghost = defaultGhost()
	}
	if o.ghost, err = filepath.Abs(o.ghost); err != nil {
		return o, err
	}
	if _, err := os.Stat(o.ghost); err != nil {
		return o, fmt.Errorf("ghost binary: %w (build it with script/build or pass --ghost)", err)
	}
	return o, nil
}

// defaultGhost is the ghost binary next to this one, else bin/ghost.
func defaultGhost() string {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "ghost")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join("bin", "ghost")
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(o.dir, "ghost-bench-")
	if err != nil {
		return err
	}
	if o.jsonPath == "" {
		o.jsonPath = filepath.Join(dir, "results.json")
	}
	b := &bencher{o: o, dir: dir, out: stdout, errOut: stderr}
	rep, err := b.run(ctx)
	if rep != nil && len(rep.Runs)+boolInt(rep.Baselines != nil) > 0 {
		printReport(stdout, rep)
		if jerr := writeJSON(o.jsonPath, rep); jerr != nil {
			err = errors.Join(err, fmt.Errorf("write %s: %w", o.jsonPath, jerr))
		} else {
			fmt.Fprintf(stdout, "results: %s\n", o.jsonPath)
		}
	}
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func machine(o options) Machine {
	return Machine{
		CPUs:        runtime.NumCPU(),
		GoVersion:   runtime.Version(),
		BufferPool:  o.bufferPool,
		RedoLog:     o.redoLog,
		ServerArgs:  o.serverArgs,
		GhostBinary: o.ghost,
	}
}
