// Command ghost-topology starts, inspects and stops a local primary + replica for trying ghost out
// and for running the tests against a long-lived topology (script/topology wraps it).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ghost-osc/ghost/go/topology"
)

const (
	envDir     = "GHOST_TOPOLOGY_DIR"
	defaultDir = "/tmp/ghost-topology"
	stateFile  = "state.json"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newApp(os.Stdout, os.Stderr).RunContext(ctx, os.Args)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ghost-topology: %v\n", err)
		os.Exit(1)
	}
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:      "ghost-topology",
		Usage:     "run a local MariaDB/MySQL primary + replica for ghost",
		Writer:    stdout,
		ErrWriter: stderr,
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "dir",
				Usage:   "directory for the state file and the servers' files",
				EnvVars: []string{envDir},
				Value:   defaultDir,
			},
		},
		Commands: []*cli.Command{
			{
				Name:  "up",
				Usage: "start a primary and a replica that keep running after this command exits",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "no-replica", Usage: "start the primary only"},
					&cli.StringFlag{Name: "backend", Usage: `"local" or "docker"`, EnvVars: []string{topology.EnvBackend}},
					&cli.StringSliceFlag{Name: "server-arg", Usage: "extra server argument (repeatable), e.g. --server-arg=--innodb-buffer-pool-size=1G"},
					&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log start-up progress to stderr"},
				},
				Action: func(c *cli.Context) error { return up(c, stdout, stderr) },
			},
			{
				Name:   "down",
				Usage:  "stop the servers and remove their files",
				Action: func(c *cli.Context) error { return down(c, stdout) },
			},
			{
				Name:   "status",
				Usage:  "show each server: address, process, replication and lag",
				Action: func(c *cli.Context) error { return status(c, stdout) },
			},
		},
	}
}

func statePath(c *cli.Context) string { return filepath.Join(c.String("dir"), stateFile) }

// loadState returns the saved topology, or nil when there is none.
func loadState(path string) (*topology.Topology, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return topology.Load(path)
}

func up(c *cli.Context, stdout, stderr io.Writer) error {
	path := statePath(c)
	old, err := loadState(path)
	if err != nil {
		return err
	}
	if old != nil {
		if old.Primary.Running() {
			return fmt.Errorf("a topology is already up (primary %s, state %s): run `down` first", old.Primary.Addr(), path)
		}
		// Left over from a crash or a reboot: clean it up before starting again.
		if err := old.Stop(); err != nil {
			return fmt.Errorf("clean up the stale topology of %s: %w", path, err)
		}
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("remove stale state: %w", err)
		}
	}
	opts := topology.Options{
		Dir:       c.String("dir"),
		NoReplica: c.Bool("no-replica"),
		ExtraArgs: c.StringSlice("server-arg"),
		Backend:   c.String("backend"),
		Detach:    true,
	}
	if c.Bool("verbose") {
		opts.Log = stderr
	}
	if opts.Backend == topology.BackendDocker {
		// testcontainers' reaper removes containers once their creator exits; these must outlive us.
		if err := os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true"); err != nil {
			return fmt.Errorf("disable the testcontainers reaper: %w", err)
		}
	}
	begin := time.Now()
	topo, err := topology.Start(c.Context, opts)
	if err != nil {
		return err
	}
	if err := topo.Save(path); err != nil {
		return errors.Join(err, topo.Stop())
	}
	printUp(stdout, topo, path, time.Since(begin))
	return nil
}

func printUp(w io.Writer, t *topology.Topology, path string, took time.Duration) {
	p := t.Primary
	fmt.Fprintf(w, "topology up in %v: %s %s (%s backend)\n", took.Round(10*time.Millisecond), p.Flavor, p.Version, t.Backend)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range t.Servers() {
		where := s.DataDir
		if s.ContainerID != "" {
			where = "container " + s.ContainerID[:min(12, len(s.ContainerID))]
		}
		fmt.Fprintf(tw, "  %s\t%s\tpid %d\t%s\n", s.Name, s.Addr(), s.PID, where)
	}
	tw.Flush()
	fmt.Fprintf(w, "  users: %s/%s (all privileges), replication %s/%s\n", topology.User, topology.Password,
		topology.ReplicationUser, topology.ReplicationPassword)
	fmt.Fprintf(w, "  state: %s\n\n", path)

	client := "mariadb"
	if p.Flavor == topology.FlavorMySQL {
		client = "mysql"
	}
	fmt.Fprintf(w, "connect:  %s -h%s -P%d -u%s -p%s\n", client, p.Host, p.Port, p.User, p.Password)
	// gh-ost convention: --host names a replica, whose primary ghost finds itself.
	target, extra := p, " --allow-on-master"
	if t.Replica != nil {
		target, extra = t.Replica, ""
	}
	fmt.Fprintf(w, "migrate:  bin/ghost --host=%s --port=%d --user=%s --password=%s --database=DB --table=TABLE --alter=\"ENGINE=InnoDB\"%s --execute\n",
		target.Host, target.Port, target.User, target.Password, extra)
	fmt.Fprintf(w, "tests:    GHOST_TOPOLOGY_STATE=%s script/test\n", path)
	fmt.Fprintf(w, "stop:     script/topology down\n")
}

func down(c *cli.Context, stdout io.Writer) error {
	path := statePath(c)
	t, err := loadState(path)
	if err != nil {
		return err
	}
	if t == nil {
		fmt.Fprintf(stdout, "no topology state at %s: nothing to stop\n", path)
		return nil
	}
	ctx, cancel := context.WithTimeout(c.Context, time.Minute)
	defer cancel()
	if err := t.StopContext(ctx); err != nil {
		return fmt.Errorf("stop (state kept in %s): %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove state: %w", err)
	}
	fmt.Fprintf(stdout, "topology down: stopped %s and removed its files\n", describe(t))
	return nil
}

func describe(t *topology.Topology) string {
	var parts []string
	for _, s := range t.Servers() {
		parts = append(parts, s.Name+" "+s.Addr())
	}
	return strings.Join(parts, ", ")
}

func status(c *cli.Context, stdout io.Writer) error {
	path := statePath(c)
	t, err := loadState(path)
	if err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("no topology state at %s: run `up` first", path)
	}
	fmt.Fprintf(stdout, "state %s (%s backend)\n", path, t.Backend)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	var problems []string
	for _, s := range t.Servers() {
		line, problem := serverStatus(c.Context, s)
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Name, s.Addr(), line)
		if problem != "" {
			problems = append(problems, s.Name+": "+problem)
		}
	}
	tw.Flush()
	if len(problems) > 0 {
		return fmt.Errorf("topology unhealthy: %s", strings.Join(problems, "; "))
	}
	return nil
}

// serverStatus describes one server; problem is non-empty when it is not healthy.
func serverStatus(ctx context.Context, s *topology.Server) (line, problem string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	proc := "container " + s.ContainerID[:min(12, len(s.ContainerID))]
	if s.ContainerID == "" {
		if !s.Running() {
			return fmt.Sprintf("pid %d\tnot running", s.PID), "process not running"
		}
		proc = fmt.Sprintf("pid %d alive", s.PID)
	}
	pos, err := s.GTIDPosition(ctx)
	if err != nil {
		return proc + "\tnot answering", err.Error()
	}
	st, err := s.ReplicaStatus(ctx)
	if err != nil {
		return proc + "\tno replication status", err.Error()
	}
	repl := "not a replica"
	if st.Configured {
		lag := "NULL"
		if st.SecondsBehind != nil {
			lag = fmt.Sprintf("%ds", *st.SecondsBehind)
		}
		repl = fmt.Sprintf("replication io=%s sql=%s lag=%s", st.IOState, yesNo(st.SQLRunning), lag)
		switch {
		case !st.IORunning:
			problem = "replication IO thread " + st.IOState + ": " + st.LastIOError
		case !st.SQLRunning:
			problem = "replication SQL thread stopped: " + st.LastSQLError
		}
	}
	return fmt.Sprintf("%s\t%s\tgtid %s", proc, repl, oneLine(pos)), problem
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// oneLine flattens a MySQL gtid_executed, which separates uuid sets with ",\n".
func oneLine(s string) string {
	if s == "" {
		return "(empty)"
	}
	return strings.ReplaceAll(s, "\n", "")
}
