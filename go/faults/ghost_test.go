package faults

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/control"
)

// The migration every test runs, and its idempotent form for reruns: on a table the
// killed run already swapped, the rerun's ALTER changes nothing and ghost still copies,
// swaps and cleans up.
const (
	alterAddW       = "ADD COLUMN w INT NOT NULL DEFAULT 7"
	alterAddWRerun  = "ADD COLUMN IF NOT EXISTS w INT NOT NULL DEFAULT 7"
	sentryComment   = "ghost cut-over sentry"
	defaultRunLimit = 3 * time.Minute
)

// Log lines the tests wait for (stderr, logrus text format).
var (
	reMigrating    = regexp.MustCompile(`msg=state .*state=migrating`)
	reCuttingOver  = regexp.MustCompile(`msg=state .*state="cutting over"`)
	reCutOverDone  = regexp.MustCompile(`msg="cut-over complete"`)
	reCopyComplete = regexp.MustCompile(`msg="row copy complete"`)
	rePostponed    = regexp.MustCompile(`msg="cut-over postponed`)
	reAttemptFail  = regexp.MustCompile(`msg="cut-over attempt failed.*attempt=(\d+)`)
	reChunkRetry   = regexp.MustCompile(`msg="chunk copy failed(; retrying|: the server is out of reach)`)
	reReconnect    = regexp.MustCompile(`msg="binlog connection lost; reconnecting`)
)

func rePaused(step string) *regexp.Regexp {
	return regexp.MustCompile(`msg="cut-over paused for a fault test" step=` + regexp.QuoteMeta(step) + `\b`)
}

// line is one line ghost printed, with the time the test read it.
type line struct {
	at     time.Time
	stderr bool
	text   string
}

// ghost is a running ghost process whose output is read line by line as it comes.
type ghost struct {
	t    *testing.T
	name string
	args []string
	sock string
	cmd  *exec.Cmd

	mu      sync.Mutex
	lines   []line
	changed chan struct{} // closed and replaced on every new line and at exit
	exited  bool
	code    int
	done    chan struct{}
	started time.Time
}

// ghostArgs are the flags of a run against the fixture's replica; extra entries override
// them ("" is a bare boolean flag; "-" removes a flag).
func (f *fixture) ghostArgs(sock string, extra map[string]string) []string {
	opts := map[string]string{
		"host":                          f.topo.Replica.Host,
		"port":                          strconv.Itoa(f.topo.Replica.Port),
		"user":                          f.topo.Replica.User,
		"password":                      f.topo.Replica.Password,
		"database":                      f.db,
		"table":                         f.table,
		"alter":                         alterAddW,
		"execute":                       "",
		"verbose":                       "",
		"replica-server-id":             strconv.Itoa(int(serverIDs.Add(1))),
		"serve-socket-file":             sock,
		"throttle-additional-flag-file": filepath.Join(f.dir, "no-such.throttle"),
		"heartbeat-interval-millis":     "100",
		"cut-over-lock-timeout-seconds": "5",
		"default-retries":               "10",
	}
	// GHOST_FAULTS_COPY=locking runs every fault test with the other copy (issue 16: both
	// copies pass them); a test's own "copy" wins.
	if c := os.Getenv("GHOST_FAULTS_COPY"); c != "" {
		opts["copy"] = c
	}
	for k, v := range extra {
		if v == "-" {
			delete(opts, k)
			continue
		}
		opts[k] = v
	}
	// "@command" names a subcommand (backfill), which comes first.
	var args []string
	if sub := opts["@command"]; sub != "" {
		args = append(args, sub)
	}
	delete(opts, "@command")
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if opts[k] == "" {
			args = append(args, "--"+k)
		} else {
			args = append(args, "--"+k+"="+opts[k])
		}
	}
	return args
}

// startGhost starts ghost; name tells runs of one test apart in the logs.
func (f *fixture) startGhost(name string, extra map[string]string) *ghost {
	f.t.Helper()
	sock := filepath.Join(f.dir, name+".sock")
	g := &ghost{t: f.t, name: name, sock: sock, args: f.ghostArgs(sock, extra),
		changed: make(chan struct{}), done: make(chan struct{})}
	g.cmd = exec.Command(ghostBin, g.args...)
	stdout, err := g.cmd.StdoutPipe()
	if err != nil {
		f.t.Fatal(err)
	}
	stderr, err := g.cmd.StderrPipe()
	if err != nil {
		f.t.Fatal(err)
	}
	g.started = time.Now()
	if err := g.cmd.Start(); err != nil {
		f.t.Fatalf("start ghost: %v", err)
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go g.read(stdout, false, &readers)
	go g.read(stderr, true, &readers)
	go func() {
		readers.Wait()
		err := g.cmd.Wait()
		code := 0
		if err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
		}
		g.mu.Lock()
		g.exited, g.code = true, code
		close(g.changed)
		g.changed = make(chan struct{})
		g.mu.Unlock()
		close(g.done)
	}()
	f.t.Cleanup(func() {
		if g.running() {
			g.cmd.Process.Kill()
			<-g.done
		}
		if f.t.Failed() {
			f.t.Logf("ghost %s %s\n%s", g.name, strings.Join(g.args, " "), g.output())
		}
	})
	return g
}

func (g *ghost) read(r io.Reader, stderr bool, wg *sync.WaitGroup) {
	defer wg.Done()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		g.mu.Lock()
		g.lines = append(g.lines, line{at: time.Now(), stderr: stderr, text: sc.Text()})
		close(g.changed)
		g.changed = make(chan struct{})
		g.mu.Unlock()
	}
}

func (g *ghost) running() bool {
	select {
	case <-g.done:
		return false
	default:
		return true
	}
}

// output is everything ghost printed, in the order it was read.
func (g *ghost) output() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var b strings.Builder
	for _, l := range g.lines {
		tag := "out"
		if l.stderr {
			tag = "err"
		}
		fmt.Fprintf(&b, "%s %s| %s\n", l.at.Format("15:04:05.000"), tag, l.text)
	}
	return b.String()
}

// stderr is ghost's log output.
func (g *ghost) stderr() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var b strings.Builder
	for _, l := range g.lines {
		if l.stderr {
			b.WriteString(l.text + "\n")
		}
	}
	return b.String()
}

// find returns the first line matching re.
func (g *ghost) find(re *regexp.Regexp) (line, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, l := range g.lines {
		if re.MatchString(l.text) {
			return l, true
		}
	}
	return line{}, false
}

// findAll returns every line matching re.
func (g *ghost) findAll(re *regexp.Regexp) []line {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []line
	for _, l := range g.lines {
		if re.MatchString(l.text) {
			out = append(out, l)
		}
	}
	return out
}

// waitLine waits for a line matching re and fails the test if ghost exits or the time
// runs out first.
func (g *ghost) waitLine(re *regexp.Regexp, timeout time.Duration) line {
	g.t.Helper()
	l, ok := g.awaitLine(re, timeout)
	if !ok {
		g.t.Fatalf("ghost %s: no line matching %q within %s (running: %v)", g.name, re, timeout, g.running())
	}
	return l
}

// awaitLine is waitLine without failing.
func (g *ghost) awaitLine(re *regexp.Regexp, timeout time.Duration) (line, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		g.mu.Lock()
		for ; seen < len(g.lines); seen++ {
			if re.MatchString(g.lines[seen].text) {
				l := g.lines[seen]
				g.mu.Unlock()
				return l, true
			}
		}
		exited, changed := g.exited, g.changed
		g.mu.Unlock()
		if exited {
			return line{}, false
		}
		select {
		case <-changed:
		case <-deadline.C:
			return line{}, false
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (g *ghost) kill() {
	g.t.Helper()
	if err := g.cmd.Process.Signal(syscall.SIGKILL); err != nil && g.running() {
		g.t.Fatalf("kill ghost: %v", err)
	}
	<-g.done
}

// wait waits for ghost to exit and returns its exit code; it kills it and fails the test
// after timeout.
func (g *ghost) wait(timeout time.Duration) int {
	g.t.Helper()
	select {
	case <-g.done:
	case <-time.After(timeout):
		g.cmd.Process.Kill()
		<-g.done
		g.t.Fatalf("ghost %s still running after %s; killed", g.name, timeout)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.code
}

// succeed waits for a successful exit.
func (g *ghost) succeed(timeout time.Duration) {
	g.t.Helper()
	if code := g.wait(timeout); code != 0 {
		g.t.Fatalf("ghost %s exited %d, want 0; error: %s", g.name, code, g.errorLine())
	}
}

// fail waits for a failed exit and returns its error line.
func (g *ghost) fail(timeout time.Duration) string {
	g.t.Helper()
	if code := g.wait(timeout); code == 0 {
		g.t.Fatalf("ghost %s succeeded, want a failure", g.name)
	}
	return g.errorLine()
}

// errorLine is the "ghost: error: ..." line of a failed run.
func (g *ghost) errorLine() string {
	l, _ := g.find(regexp.MustCompile(`^ghost: error: `))
	return l.text
}

// send runs one interactive command on ghost's socket and returns the reply.
func (g *ghost) send(command string) string {
	g.t.Helper()
	var last error
	for i := 0; i < 50; i++ {
		reply, err := g.trySend(command)
		if err == nil {
			return reply
		}
		last = err
		if !g.running() {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.t.Fatalf("ghost %s: command %q: %v", g.name, command, last)
	return ""
}

func (g *ghost) trySend(command string) (string, error) {
	return control.Ask("unix", g.sock, command, 15*time.Second)
}

// status returns ghost's status line, read through the socket.
func (g *ghost) status() string {
	g.t.Helper()
	return strings.TrimSpace(g.send("sup"))
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// startMigrating starts ghost and waits until it has read its first heartbeat back
// through the binlog and entered the state migrating, or has exited.
func (f *fixture) startMigrating(name string, extra map[string]string) *ghost {
	f.t.Helper()
	g := f.startGhost(name, extra)
	g.awaitLine(reMigrating, 2*time.Minute)
	return g
}
