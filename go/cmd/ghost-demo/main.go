// Command ghost-demo runs a real ghost migration on a local primary + replica that it starts
// itself, under a write load, and proves the result row for row.
//
// Steps: start a topology (go/topology) in a temporary directory; create demo.orders with --rows
// rows and an identical twin demo.orders_twin; start writers that apply every write to both tables
// in one transaction; run bin/ghost against the replica with --execute; stop the writers; apply the
// same ALTER natively to the twin; compare the two tables (schema, row count, chunked checksums, a
// full join). The topology is stopped at the end, also on Ctrl-C. script/demo builds and runs it.
//
// It is a demo and a smoke test, never pointed at a real server: it only talks to the servers it
// started.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
)

// Names used by the demo.
const (
	database  = "demo"
	table     = "orders"
	twinTable = "orders_twin"
)

// defaultAlter is the migration the demo runs: a new column, a type change and a new index.
const defaultAlter = "ADD COLUMN note VARCHAR(64) NOT NULL DEFAULT '', MODIFY price DECIMAL(14,2) NOT NULL, ADD INDEX idx_status (status)"

// errFailed marks a run whose verdict (or migration) failed; the details are already printed.
var errFailed = errors.New("demo failed")

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// A second Ctrl-C kills the demo at once; the servers die with it (topology's Pdeathsig).
		stop()
		if errors.Is(ctx.Err(), context.Canceled) {
			fmt.Fprintln(os.Stderr, "\nghost-demo: interrupted: stopping ghost, the writers and the servers (Ctrl-C again to quit at once)")
		}
	}()
	app := &cli.App{
		Name:            "ghost-demo",
		Usage:           "run a ghost migration on a local primary + replica under write load and verify it row for row",
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.Int64Flag{Name: "rows", Value: 1_000_000, Usage: "rows in demo.orders (and in its twin)"},
			&cli.IntFlag{Name: "writers", Value: 4, Usage: "goroutines writing during the migration"},
			&cli.Float64Flag{Name: "write-rate", Value: 400, Usage: "target transactions per second of all writers together (each writes both tables)"},
			&cli.StringFlag{Name: "alter", Value: defaultAlter, Usage: "the ALTER ghost runs (and that is applied natively to the twin)"},
			&cli.StringFlag{Name: "ghost", Usage: "the ghost binary; default: ghost next to this executable, then bin/ghost"},
			&cli.StringSliceFlag{Name: "ghost-arg", Usage: "extra ghost flag (repeatable), e.g. --ghost-arg=--chunk-size=5000"},
			&cli.StringFlag{Name: "log-dir", Usage: "where ghost's log is written; default: a new directory under $TMPDIR"},
			&cli.StringSliceFlag{Name: "server-arg", Usage: "extra server argument for both servers (repeatable)"},
		},
		Action: func(c *cli.Context) error {
			cfg := demoConfig{
				Rows:       c.Int64("rows"),
				Writers:    c.Int("writers"),
				WriteRate:  c.Float64("write-rate"),
				Alter:      c.String("alter"),
				Ghost:      c.String("ghost"),
				GhostArgs:  c.StringSlice("ghost-arg"),
				LogDir:     c.String("log-dir"),
				ServerArgs: c.StringSlice("server-arg"),
			}
			if c.NArg() > 0 {
				return fmt.Errorf("unexpected argument %q (flags take the form --name=value)", c.Args().First())
			}
			return runDemo(c.Context, cfg)
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	err := app.RunContext(ctx, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	case ctx.Err() != nil:
		fmt.Fprintf(os.Stderr, "ghost-demo: interrupted (%v)\n", err)
		return 130
	default:
		fmt.Fprintf(os.Stderr, "ghost-demo: error: %v\n", err)
		return 1
	}
}

// demoConfig is what the flags decide.
type demoConfig struct {
	Rows       int64
	Writers    int
	WriteRate  float64
	Alter      string
	Ghost      string
	GhostArgs  []string
	LogDir     string
	ServerArgs []string
}

func (c *demoConfig) validate() error {
	switch {
	case c.Rows < 1 || c.Rows > 100_000_000:
		return fmt.Errorf("--rows must be between 1 and 100000000, got %d", c.Rows)
	case c.Writers < 0 || c.Writers > 64:
		return fmt.Errorf("--writers must be between 0 and 64, got %d", c.Writers)
	case c.Writers > 0 && !(c.WriteRate > 0):
		return fmt.Errorf("--write-rate must be > 0, got %v", c.WriteRate)
	case strings.TrimSpace(c.Alter) == "":
		return errors.New("--alter must not be empty")
	case strings.HasPrefix(strings.ToUpper(strings.TrimSpace(c.Alter)), "ALTER "):
		// The same text is appended to ALTER TABLE orders_twin.
		return errors.New("--alter takes the clause list only (ADD COLUMN ..., ...), not a whole ALTER TABLE statement")
	}
	return nil
}

// findGhost returns the ghost binary to run.
func findGhost(flag string) (string, error) {
	if flag != "" {
		if _, err := os.Stat(flag); err != nil {
			return "", fmt.Errorf("--ghost: %w", err)
		}
		return filepath.Abs(flag)
	}
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), "ghost"))
	}
	candidates = append(candidates, filepath.Join("bin", "ghost"))
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return filepath.Abs(p)
		}
	}
	return "", fmt.Errorf("ghost binary not found (looked at %s): run script/bootstrap or pass --ghost", strings.Join(candidates, ", "))
}

// stepper prints numbered steps with the time since the demo started.
type stepper struct {
	start time.Time
	n     int
	total int
}

func (s *stepper) step(format string, args ...any) {
	s.n++
	fmt.Printf("\n[%6.1fs] == %d/%d %s\n", time.Since(s.start).Seconds(), s.n, s.total, fmt.Sprintf(format, args...))
}

func (s *stepper) info(format string, args ...any) {
	fmt.Printf("[%6.1fs]    %s\n", time.Since(s.start).Seconds(), fmt.Sprintf(format, args...))
}
