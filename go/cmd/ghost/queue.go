package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/ghost-osc/ghost/go/migration"
	"github.com/urfave/cli/v2"
)

// A queue file (TOML) lists migrations to run one after another (docs/scripted-runs.md):
//
//	[defaults]            # flags of every entry, by name
//	host = "replica1"
//	conf = "/etc/ghost/ghost.cnf"
//	max-lag-millis = 1500
//
//	[[migration]]
//	database = "shop"
//	table = "orders"
//	alter = "ADD COLUMN note TEXT"
//	flags = { chunk-size = 2000 }   # this entry's own flags, over the defaults
type queueFile struct {
	Defaults  map[string]any `toml:"defaults"`
	Migration []queueEntry   `toml:"migration"`
}

type queueEntry struct {
	Database string         `toml:"database"`
	Table    string         `toml:"table"`
	Alter    string         `toml:"alter"`
	Flags    map[string]any `toml:"flags"`
}

// window is a daily time window, local time; an end before the start crosses midnight.
type window struct {
	set        bool
	start, end time.Duration // since midnight
}

var reWindow = regexp.MustCompile(`^(\d\d):(\d\d)-(\d\d):(\d\d)$`)

func parseWindow(s string) (window, error) {
	if s == "" {
		return window{}, nil
	}
	m := reWindow.FindStringSubmatch(s)
	if m == nil {
		return window{}, fmt.Errorf("--window %q: want HH:MM-HH:MM", s)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	if n[0] > 23 || n[2] > 23 || n[1] > 59 || n[3] > 59 || n[0] == n[2] && n[1] == n[3] {
		return window{}, fmt.Errorf("--window %q: want two different times of day HH:MM-HH:MM", s)
	}
	return window{set: true, start: time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute,
		end: time.Duration(n[2])*time.Hour + time.Duration(n[3])*time.Minute}, nil
}

// open tells whether t falls inside the window (always, without one).
func (w window) open(t time.Time) bool {
	if !w.set {
		return true
	}
	y, mo, d := t.Date()
	since := t.Sub(time.Date(y, mo, d, 0, 0, 0, 0, t.Location()))
	if w.start < w.end {
		return since >= w.start && since < w.end
	}
	return since >= w.start || since < w.end
}

// queueOptions are the queue command's flags.
type queueOptions struct {
	file        string
	window      window
	atEnd       string // postpone | abort
	stopOnError bool
	execute     bool
	summaryDir  string
	clock       func() time.Time
	poll        time.Duration
}

// queueCommand is `ghost queue FILE`.
func queueCommand(runEntry func(args []string) int, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "queue",
		Usage:     "run the migrations a TOML file lists, one after another, within a time window (docs/scripted-runs.md)",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "window", Usage: "HH:MM-HH:MM, local time: no migration starts outside it (an end before the start crosses midnight)"},
			&cli.StringFlag{Name: "at-window-end", Value: "postpone", Usage: "a migration still running at the window's end: postpone (its cut-over waits for the next window) or abort"},
			&cli.BoolFlag{Name: "stop-on-error", Usage: "stop at the first migration that fails (default: go on with the next)"},
			&cli.BoolFlag{Name: "execute", Usage: "really migrate; without it every entry is a noop run"},
			&cli.StringFlag{Name: "summary-dir", Usage: "where each entry's summary (JSON) goes (default: FILE.summaries beside FILE)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("%w: ghost queue takes one FILE", errUsage)
			}
			w, err := parseWindow(c.String("window"))
			if err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			o := queueOptions{file: c.Args().First(), window: w, atEnd: c.String("at-window-end"), stopOnError: c.Bool("stop-on-error"),
				execute: c.Bool("execute"), summaryDir: c.String("summary-dir"), clock: time.Now, poll: time.Second}
			if o.atEnd != "postpone" && o.atEnd != "abort" {
				return fmt.Errorf("%w: --at-window-end must be postpone or abort, got %q", errUsage, o.atEnd)
			}
			code, err := runQueue(c.Context, o, runEntry, stdout)
			if err != nil {
				return err
			}
			if code != 0 {
				return exitCode{code, fmt.Sprintf("a queued migration failed (worst exit status %d)", code)}
			}
			return nil
		},
	}
}

// errUsage marks a bad queue command line.
var errUsage = errors.New("bad usage")

// exitCode carries a subcommand's exit status out of it (a queue's worst entry, a plan's
// risks), with the line that says why.
type exitCode struct {
	code int
	msg  string
}

func (e exitCode) Error() string { return e.msg }

// entryArgs is the ghost command line of an entry: the defaults, then the entry's flags, then
// what the queue sets itself.
func entryArgs(defaults map[string]any, e queueEntry, extra ...string) ([]string, error) {
	flags := map[string]any{}
	for k, v := range defaults {
		flags[k] = v
	}
	for k, v := range e.Flags {
		flags[k] = v
	}
	for _, k := range []string{"database", "table", "alter", "execute", "summary-file", "postpone-cut-over-flag-file", "panic-flag-file"} {
		if _, ok := flags[k]; ok {
			return nil, fmt.Errorf("flag %q is set by the queue itself: give it as the entry's %s or leave it out", k, k)
		}
	}
	var args []string
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch v := flags[k].(type) {
		case bool:
			args = append(args, fmt.Sprintf("--%s=%t", k, v))
		case string, int64, float64:
			args = append(args, fmt.Sprintf("--%s=%v", k, v))
		case []any:
			for _, x := range v {
				args = append(args, fmt.Sprintf("--%s=%v", k, x))
			}
		default:
			return nil, fmt.Errorf("flag %q: a value of type %T", k, v)
		}
	}
	args = append(args, "--database="+e.Database, "--table="+e.Table, "--alter="+e.Alter)
	return append(args, extra...), nil
}

// runQueue runs the entries in order and returns the worst exit status among them.
func runQueue(ctx context.Context, o queueOptions, runEntry func(args []string) int, out io.Writer) (int, error) {
	var q queueFile
	md, err := toml.DecodeFile(o.file, &q)
	if err != nil {
		return 0, fmt.Errorf("%w: queue file %s: %v", errUsage, o.file, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return 0, fmt.Errorf("%w: queue file %s: unknown key %s", errUsage, o.file, un[0])
	}
	for i, e := range q.Migration {
		if e.Database == "" || e.Table == "" || strings.TrimSpace(e.Alter) == "" {
			return 0, fmt.Errorf("%w: queue file %s: migration %d needs database, table and alter", errUsage, o.file, i+1)
		}
		if _, err := entryArgs(q.Defaults, e); err != nil {
			return 0, fmt.Errorf("%w: queue file %s: migration %d: %v", errUsage, o.file, i+1, err)
		}
	}
	dir := o.summaryDir
	if dir == "" {
		dir = o.file + ".summaries"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	flags, err := os.MkdirTemp("", "ghost-queue-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(flags)

	worst := 0
	say := func(format string, args ...any) { fmt.Fprintf(out, "queue: "+format+"\n", args...) }
	for i, e := range q.Migration {
		name := fmt.Sprintf("%d %s.%s", i+1, e.Database, e.Table)
		summary := filepath.Join(dir, fmt.Sprintf("%03d-%s.%s.json", i+1, e.Database, e.Table))
		if o.execute && doneBefore(summary) {
			say("%s: done in an earlier run (%s); skipped", name, summary)
			continue
		}
		if !o.window.open(o.clock()) {
			say("the window is closed: %d migration(s) left for the next run", len(q.Migration)-i)
			break
		}
		postpone := filepath.Join(flags, fmt.Sprintf("postpone-%d", i+1))
		panicFile := filepath.Join(flags, fmt.Sprintf("panic-%d", i+1))
		extra := []string{"--summary-file=" + summary, "--postpone-cut-over-flag-file=" + postpone, "--panic-flag-file=" + panicFile}
		if o.execute {
			extra = append(extra, "--execute")
		}
		args, _ := entryArgs(q.Defaults, e, extra...)
		say("%s: starting", name)
		code := runWatched(ctx, o, args, postpone, panicFile, runEntry)
		say("%s: exit status %d (%s); summary %s", name, code, migration.Outcome(code), summary)
		worst = max(worst, code)
		if code != 0 && o.stopOnError {
			say("--stop-on-error: stopping after %s", name)
			break
		}
		if code == migration.ExitAborted && o.window.set && !o.window.open(o.clock()) {
			say("the window is closed: %d migration(s) left for the next run", len(q.Migration)-i-1)
			break
		}
		if ctx.Err() != nil {
			break
		}
	}
	return worst, nil
}

// runWatched runs one entry while watching the window: outside it, the entry's postpone flag
// file holds its cut-over (--at-window-end postpone) or its panic flag file stops it (abort);
// inside it, the postpone file is removed (ghost creates it when it starts, as gh-ost does).
func runWatched(ctx context.Context, o queueOptions, args []string, postpone, panicFile string, runEntry func([]string) int) int {
	done := make(chan int, 1)
	go func() { done <- runEntry(args) }()
	t := time.NewTicker(o.poll)
	defer t.Stop()
	for {
		open := o.window.open(o.clock())
		switch {
		case open:
			os.Remove(postpone)
		case o.atEnd == "abort":
			os.WriteFile(panicFile, nil, 0o644)
		default:
			os.WriteFile(postpone, nil, 0o644)
		}
		select {
		case code := <-done:
			return code
		case <-t.C:
		case <-ctx.Done():
			os.WriteFile(panicFile, nil, 0o644)
			return <-done
		}
	}
}

// doneBefore tells whether an earlier run of the queue finished this entry.
func doneBefore(summary string) bool {
	b, err := os.ReadFile(summary)
	if err != nil {
		return false
	}
	var r migration.Report
	return json.Unmarshal(b, &r) == nil && r.Outcome == "success" && r.Execute
}
