package hooks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// Event is a point in the migration at which hooks run.
type Event string

// The events, in the order a migration normally meets them. Their names are
// gh-ost's, so gh-ost hook files keep working.
const (
	Startup            Event = "startup"
	Validated          Event = "validated"
	RowCountComplete   Event = "rowcount-complete"
	BeforeRowCopy      Event = "before-row-copy"
	Status             Event = "status"
	InteractiveCommand Event = "interactive-command"
	BatchCopyRetry     Event = "batch-copy-retry"
	RowCopyComplete    Event = "row-copy-complete"
	StopReplication    Event = "stop-replication"
	StartReplication   Event = "start-replication"
	BeginPostponed     Event = "begin-postponed"
	BeforeCutOver      Event = "before-cut-over"
	Success            Event = "success"
	Failure            Event = "failure"
)

// Events returns every event.
func Events() []Event {
	return []Event{
		Startup, Validated, RowCountComplete, BeforeRowCopy, Status, InteractiveCommand, BatchCopyRetry,
		RowCopyComplete, StopReplication, StartReplication, BeginPostponed, BeforeCutOver, Success, Failure,
	}
}

// Valid reports whether e is one of Events.
func (e Event) Valid() bool {
	for _, known := range Events() {
		if e == known {
			return true
		}
	}
	return false
}

// File name prefixes: a hook for event E is named Prefix+E or GhOstPrefix+E,
// followed by anything (ghost-on-success-10-notify, gh-ost-on-success).
const (
	Prefix      = "ghost-on-"
	GhOstPrefix = "gh-ost-on-"
)

// DefaultTimeout bounds each hook when Config.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// maxLoggedOutput caps how much of a hook's output is kept for the log, so a
// runaway hook cannot exhaust memory.
const maxLoggedOutput = 64 << 10

// ErrTimeout is wrapped by the error Run returns when a hook runs too long.
var ErrTimeout = errors.New("hook timed out")

// Config configures a Runner.
type Config struct {
	// Path is --hooks-path, the directory holding hook executables. Empty
	// disables hooks.
	Path string
	// Timeout bounds each hook; the hook and its children are killed when it
	// passes. Zero means DefaultTimeout.
	Timeout time.Duration
}

// Runner finds and runs hooks. It is safe for concurrent use; hooks of one
// Run call run one at a time.
type Runner struct {
	cfg Config
	log *logrus.Entry
}

// New returns a Runner. log receives hook start, output and outcome; nil
// discards them.
func New(cfg Config, log *logrus.Entry) *Runner {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if log == nil {
		log = discardLog()
	}
	return &Runner{cfg: cfg, log: log}
}

// Find returns the paths of the hooks for event, in the order they run:
// executable regular files (or links to them) in the hooks directory named
// with either prefix followed by the event name, sorted by file name.
func (r *Runner) Find(event Event) ([]string, error) {
	if r.cfg.Path == "" {
		return nil, nil
	}
	if !event.Valid() {
		return nil, fmt.Errorf("find hooks: unknown event %q", event)
	}
	entries, err := os.ReadDir(r.cfg.Path) // sorted by file name
	if err != nil {
		return nil, fmt.Errorf("read hooks path: %w", err)
	}
	var hooks []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, Prefix+string(event)) && !strings.HasPrefix(name, GhOstPrefix+string(event)) {
			continue
		}
		path := filepath.Join(r.cfg.Path, name)
		info, err := os.Stat(path) // follows links
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // dangling link
			}
			return nil, fmt.Errorf("stat hook: %w", err)
		}
		if !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			continue // not runnable: notes, disabled hooks (chmod -x), directories
		}
		hooks = append(hooks, path)
	}
	return hooks, nil
}

// Run runs the hooks for event, one at a time in name order, with env (and
// extra) added to ghost's own environment. It stops at the first hook that
// fails, exits non-zero or times out, and returns an error naming the hook
// file, the event and the exit status. With no hooks path it does nothing.
//
// extra holds additional variables by name without prefix ("FOO" is exported
// as GHOST_FOO and GH_OST_FOO); names must be upper-case letters, digits and
// underscores.
func (r *Runner) Run(ctx context.Context, event Event, env Env, extra map[string]string) error {
	if r.cfg.Path == "" {
		return nil
	}
	vars, err := env.environ(extra)
	if err != nil {
		return fmt.Errorf("run %s hooks: %w", event, err)
	}
	hooks, err := r.Find(event)
	if err != nil {
		return fmt.Errorf("run %s hooks: %w", event, err)
	}
	environ := append(os.Environ(), vars...)
	for _, path := range hooks {
		if err := r.runOne(ctx, event, path, environ); err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) runOne(ctx context.Context, event Event, path string, environ []string) error {
	log := r.log.WithFields(logrus.Fields{"hook": path, "event": string(event)})
	log.Info("running hook")
	hctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(hctx, path)
	cmd.Env = environ
	out := &cappedBuffer{limit: maxLoggedOutput}
	// One writer for both streams keeps their lines in the order written.
	cmd.Stdout, cmd.Stderr = out, out
	killProcessGroup(cmd)
	// A backgrounded child can hold the output pipe open after the hook
	// itself has been killed; stop waiting for it shortly after.
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	logOutput(log, out)

	switch {
	case err == nil:
		log.WithField("elapsed", elapsed.Round(time.Millisecond).String()).Info("hook succeeded")
		return nil
	case errors.Is(hctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("%s hook %s: %w after %s", event, path, ErrTimeout, r.cfg.Timeout)
	case ctx.Err() != nil:
		return fmt.Errorf("%s hook %s: %w", event, path, context.Cause(ctx))
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return fmt.Errorf("%s hook %s: %w", event, path, err)
	}
	return fmt.Errorf("%s hook %s: start: %w", event, path, err)
}

// logOutput logs the hook's output line by line.
func logOutput(log *logrus.Entry, out *cappedBuffer) {
	sc := bufio.NewScanner(bytes.NewReader(out.buf.Bytes()))
	sc.Buffer(make([]byte, 0, 4096), maxLoggedOutput)
	for sc.Scan() {
		log.Info(sc.Text())
	}
	if out.dropped > 0 {
		log.Warnf("hook output truncated: %d bytes not logged", out.dropped)
	}
}

// cappedBuffer keeps the first limit bytes written to it and counts the rest.
// exec serialises writes when Stdout and Stderr are the same writer.
type cappedBuffer struct {
	buf     bytes.Buffer
	limit   int
	dropped int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.limit - b.buf.Len()
	if room >= len(p) {
		return b.buf.Write(p)
	}
	if room > 0 {
		b.buf.Write(p[:room])
	}
	b.dropped += len(p) - max(room, 0)
	return len(p), nil
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

func discardLog() *logrus.Entry {
	l := logrus.New()
	l.Out = io.Discard
	return logrus.NewEntry(l)
}
