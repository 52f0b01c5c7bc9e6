package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/migration"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// queueDefaults is the [defaults] table of a test queue: the test topology's replica.
func queueDefaults() string {
	return fmt.Sprintf("[defaults]\nhost = %q\nport = %d\nuser = %q\npassword = %q\nverbose = true\n\n",
		topo.Replica.Host, topo.Replica.Port, topo.Replica.User, topo.Replica.Password)
}

func queueEntryTOML(db, table, alter, flags string) string {
	s := fmt.Sprintf("[[migration]]\ndatabase = %q\ntable = %q\nalter = %q\n", db, table, alter)
	id := serverIDs.Add(1)
	s += fmt.Sprintf("flags = { replica-server-id = %d, serve-socket-file = %q%s }\n\n", id, ownSocket(id), flags)
	return s
}

// syncWriter is a buffer several runs write to.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func readReport(t *testing.T, path string) migration.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("summary %s: %v", path, err)
	}
	var r migration.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestQueue runs a queue of three migrations whose second is refused (an ALTER the server
// rejects): the first and third are migrated, each entry has its summary, the exit status is
// the worst entry's; run again, the done entries are skipped and the failed one runs again.
func TestQueue(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	for _, tb := range []string{"a", "b", "c"} {
		exec(t, db, strings.ReplaceAll(baseTable, "TABLE t ", "TABLE "+tb+" "), strings.ReplaceAll(baseRows, "INTO t ", "INTO "+tb+" "))
	}
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "nightly.toml")
	q := queueDefaults() + queueEntryTOML(name, "a", "ADD COLUMN x INT", "") +
		queueEntryTOML(name, "b", "ADD COLUMN nope nope", "") + queueEntryTOML(name, "c", "ADD COLUMN y INT", "")
	if err := os.WriteFile(file, []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := ghost("queue", "--execute", file)
	if code != migration.ExitRefused {
		t.Errorf("queue: exit %d, want %d (the worst entry's)\nstdout %s\nstderr %s", code, migration.ExitRefused, stdout, stderr)
	}
	sums := filepath.Join(dir, "nightly.toml.summaries")
	for i, want := range []string{"success", "refused", "success"} {
		tb := []string{"a", "b", "c"}[i]
		r := readReport(t, filepath.Join(sums, fmt.Sprintf("%03d-%s.%s.json", i+1, name, tb)))
		if r.Outcome != want || r.Table != tb {
			t.Errorf("entry %d: %s %s, want %s", i+1, r.Table, r.Outcome, want)
		}
	}
	if got := tablesOf(t, db, name); got != "a,b,c,_a_del,_a_ghk,_c_del,_c_ghk" && got != "_a_del,_a_ghk,_c_del,_c_ghk,a,b,c" {
		t.Errorf("tables after the queue: %s", got)
	}
	code, stdout, _ = ghost("queue", "--execute", file)
	if code != migration.ExitRefused || strings.Count(stdout, "done in an earlier run") != 2 || !strings.Contains(stdout, "queue: 2 "+name+".b: starting") {
		t.Errorf("rerun: exit %d\n%s", code, stdout)
	}
	t.Logf("%s", stdout)
}

// TestQueueWindow runs real migrations on a fake clock: a closed window starts nothing; a
// migration still copying when the window closes postpones its cut-over until it opens again
// (--at-window-end postpone), or stops (abort) and the queue with it.
func TestQueueWindow(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, baseTable, "INSERT INTO t SELECT seq, seq, 'x', seq FROM seq_1_to_20000", strings.ReplaceAll(baseTable, "TABLE t ", "TABLE u "))
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "q.toml")
	slow := ", chunk-size = 100, nice-ratio = 3"
	q := queueDefaults() + queueEntryTOML(name, "t", "ADD COLUMN x INT", slow) + queueEntryTOML(name, "u", "ADD COLUMN x INT", "")
	if err := os.WriteFile(file, []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	w, _ := parseWindow("01:00-05:00")
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.Local)
	var now atomic.Int64
	set := func(hm time.Duration) { now.Store(day.Add(hm).UnixNano()) }
	out := &syncWriter{}
	entry := func(args []string) int {
		return run(append([]string{"ghost"}, args...), nil, out, out)
	}
	opts := func(atEnd string) queueOptions {
		return queueOptions{file: file, window: w, atEnd: atEnd, execute: true, summaryDir: filepath.Join(dir, atEnd),
			clock: func() time.Time { return time.Unix(0, now.Load()) }, poll: 50 * time.Millisecond}
	}

	set(12 * time.Hour)
	code, err := runQueue(context.Background(), opts("postpone"), entry, out)
	if err != nil || code != 0 || !strings.Contains(out.String(), "the window is closed: 2 migration(s) left") {
		t.Fatalf("closed window: %d %v\n%s", code, err, out)
	}

	// Postpone: the window closes while t copies; its cut-over waits until it opens again.
	set(4*time.Hour + 59*time.Minute)
	res := make(chan int, 1)
	go func() {
		c, err := runQueue(context.Background(), opts("postpone"), entry, out)
		if err != nil {
			t.Error(err)
		}
		res <- c
	}()
	waitFor(t, out, "state=migrating")
	set(5*time.Hour + time.Minute)
	waitFor(t, out, `msg="cut-over postponed while the flag file exists"`)
	time.Sleep(time.Second)
	if got := tablesOf(t, db, name); strings.Contains(got, "_t_del") {
		t.Fatalf("the cut-over ran outside the window: %s", got)
	}
	set(24*time.Hour + 2*time.Hour) // the next night's window
	if c := <-res; c != 0 {
		t.Errorf("postponed queue: exit %d\n%s", c, out)
	}
	if got := tablesOf(t, db, name); !strings.Contains(got, "_t_del") || !strings.Contains(got, "_u_del") {
		t.Errorf("tables after the postponed queue: %s", got)
	}

	// Abort: the window closes while t copies again (a new ALTER); t stops, u never starts.
	exec(t, db, "DROP TABLE _t_del", "DROP TABLE _t_ghk")
	q = queueDefaults() + queueEntryTOML(name, "t", "ADD COLUMN z INT", slow) + queueEntryTOML(name, "u", "ADD COLUMN z INT", "")
	if err := os.WriteFile(file, []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	out.b.Reset()
	out.mu.Unlock()
	set(4*time.Hour + 59*time.Minute)
	go func() {
		c, err := runQueue(context.Background(), opts("abort"), entry, out)
		if err != nil {
			t.Error(err)
		}
		res <- c
	}()
	waitFor(t, out, "state=migrating")
	set(5*time.Hour + time.Minute)
	if c := <-res; c != migration.ExitAborted || strings.Contains(out.String(), "queue: 2 ") && strings.Contains(out.String(), "u: starting") {
		t.Errorf("aborted queue: exit %d\n%s", c, out)
	}
	if r := readReport(t, filepath.Join(dir, "abort", fmt.Sprintf("001-%s.t.json", name))); r.Outcome != "aborted" {
		t.Errorf("the aborted entry's summary: %+v", r)
	}
	if !strings.Contains(out.String(), "the window is closed: 1 migration(s) left") {
		t.Errorf("the queue does not say it stopped at the window:\n%s", out)
	}
}

func waitFor(t *testing.T, out *syncWriter, s string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q:\n%s", s, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
