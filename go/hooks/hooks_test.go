package hooks

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

func testLogger() (*logrus.Entry, *bytes.Buffer) {
	var buf bytes.Buffer
	l := logrus.New()
	l.Out = &buf
	l.Formatter = &logrus.TextFormatter{DisableTimestamp: true}
	return logrus.NewEntry(l), &buf
}

// writeHook writes an executable shell script.
func writeHook(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func TestOrderAndPrefixes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "ran")
	record := `echo "$(basename "$0")" >> "$GHOST_OUT"`
	writeHook(t, dir, "ghost-on-success-b", record)
	writeHook(t, dir, "ghost-on-success-a", record)
	writeHook(t, dir, "gh-ost-on-success", record)
	writeHook(t, dir, "ghost-on-success", record)
	writeHook(t, dir, "ghost-on-startup", record)    // another event
	writeHook(t, dir, "ghost-on-status", record)     // another event
	writeHook(t, dir, "xghost-on-success", record)   // wrong prefix
	writeHook(t, dir, "ghost-on-successful", record) // prefix match, as gh-ost's glob
	if err := os.WriteFile(filepath.Join(dir, "ghost-on-success.txt"), []byte("notes"), 0o644); err != nil {
		t.Fatal(err) // not executable: ignored
	}
	if err := os.Mkdir(filepath.Join(dir, "ghost-on-success-dir"), 0o755); err != nil {
		t.Fatal(err) // directory: ignored
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "ghost-on-success-dangling")); err != nil {
		t.Fatal(err) // dangling link: ignored
	}
	if err := os.Symlink(filepath.Join(dir, "ghost-on-success"), filepath.Join(dir, "ghost-on-success-link")); err != nil {
		t.Fatal(err) // link to an executable: runs
	}

	log, _ := testLogger()
	r := New(Config{Path: dir}, log)
	if err := r.Run(context.Background(), Success, Env{}, map[string]string{"OUT": out}); err != nil {
		t.Fatal(err)
	}
	want := []string{"gh-ost-on-success", "ghost-on-success", "ghost-on-success-a", "ghost-on-success-b", "ghost-on-success-link", "ghost-on-successful"}
	if got := readLines(t, out); !slices.Equal(got, want) {
		t.Errorf("ran %v; want %v", got, want)
	}
}

func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "env")
	writeHook(t, dir, "ghost-on-interactive-command", `env | grep -E '^(GHOST|GH_OST)_' | sort > "$DUMP"`)
	t.Setenv("DUMP", out)            // ghost's own environment is passed on
	t.Setenv("GHOST_DRY_RUN", "bad") // and overridden by ghost's values

	env := Env{
		DatabaseName:   "shop",
		TableName:      "orders",
		GhostTableName: "_orders_gho",
		OldTableName:   "_orders_del",
		DDL:            "ADD COLUMN note TEXT",
		Elapsed:        90*time.Second + 700*time.Millisecond,
		ElapsedCopy:    60 * time.Second,
		EstimatedRows:  1000,
		CopiedRows:     250,
		InspectedHost:  "replica:3306",
		MigratedHost:   "primary:3306",
		ExecutingHost:  "ops1",
		InspectedLag:   20 * time.Millisecond,
		HeartbeatLag:   1500 * time.Millisecond,
		Progress:       25,
		ETA:            180 * time.Second,
		HooksHint:      "ticket-1",
		HooksHintOwner: "dba",
		HooksHintToken: "tok",
		DryRun:         false,
		Command:        "throttle",
	}
	log, _ := testLogger()
	if err := New(Config{Path: dir}, log).Run(context.Background(), InteractiveCommand, env, map[string]string{"EXTRA": "x y"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(string(b)), "\n")
	values := []string{
		"DATABASE_NAME=shop",
		"TABLE_NAME=orders",
		"GHOST_TABLE_NAME=_orders_gho",
		"OLD_TABLE_NAME=_orders_del",
		"DDL=ADD COLUMN note TEXT",
		"ELAPSED_SECONDS=90",
		"ELAPSED_COPY_SECONDS=60",
		"ESTIMATED_ROWS=1000",
		"COPIED_ROWS=250",
		"INSPECTED_HOST=replica:3306",
		"MIGRATED_HOST=primary:3306",
		"EXECUTING_HOST=ops1",
		"INSPECTED_LAG=0.020000",
		"HEARTBEAT_LAG=1.500000",
		"PROGRESS=25.000000",
		"ETA_SECONDS=180",
		"HOOKS_HINT=ticket-1",
		"HOOKS_HINT_OWNER=dba",
		"HOOKS_HINT_TOKEN=tok",
		"DRY_RUN=false",
		"COMMAND=throttle",
		"EXTRA=x y",
	}
	var want []string
	for _, v := range values {
		want = append(want, "GHOST_"+v, "GH_OST_"+v)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("environment\n got: %q\nwant: %q", got, want)
	}
}

func TestVarsEventSpecificAndETA(t *testing.T) {
	names := func(e Env) []string {
		var n []string
		for _, v := range e.Vars() {
			n = append(n, v.Name)
		}
		return n
	}
	base := names(Env{})
	if len(base) != 20 || slices.Contains(base, "COMMAND") || slices.Contains(base, "STATUS") || slices.Contains(base, "LAST_BATCH_COPY_ERROR") {
		t.Errorf("base variables = %v", base)
	}
	all := names(Env{Command: "c", Status: "s", LastBatchCopyError: "e"})
	for _, n := range []string{"COMMAND", "STATUS", "LAST_BATCH_COPY_ERROR"} {
		if !slices.Contains(all, n) {
			t.Errorf("%s missing from %v", n, all)
		}
	}
	eta := func(e Env) string {
		for _, v := range e.Vars() {
			if v.Name == "ETA_SECONDS" {
				return v.Value
			}
		}
		return ""
	}
	if got := eta(Env{ETA: -1}); got != "-1" {
		t.Errorf("unknown ETA = %q; want -1", got)
	}
	if got := eta(Env{}); got != "0" {
		t.Errorf("due ETA = %q; want 0", got)
	}
	if got := (Env{DryRun: true}).Vars(); got[19] != (Var{"DRY_RUN", "true"}) {
		t.Errorf("dry run var = %+v", got[19])
	}
}

func TestBadExtra(t *testing.T) {
	for _, name := range []string{"", "lower", "A=B", "TABLE_NAME"} {
		if _, err := (Env{}).Environ(map[string]string{name: "v"}); err == nil {
			t.Errorf("extra name %q accepted", name)
		}
	}
}

func TestFailureStopsAndNamesHook(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "ran")
	writeHook(t, dir, "ghost-on-before-cut-over-1", `echo one >> "$GHOST_OUT"; echo "not today" >&2; exit 3`)
	writeHook(t, dir, "ghost-on-before-cut-over-2", `echo two >> "$GHOST_OUT"`)
	log, logged := testLogger()
	err := New(Config{Path: dir}, log).Run(context.Background(), BeforeCutOver, Env{}, map[string]string{"OUT": out})
	if err == nil {
		t.Fatal("failing hook returned no error")
	}
	for _, want := range []string{"before-cut-over", filepath.Join(dir, "ghost-on-before-cut-over-1"), "exit status 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if got := readLines(t, out); !slices.Equal(got, []string{"one"}) {
		t.Errorf("ran %v; want only the first hook", got)
	}
	if !strings.Contains(logged.String(), "not today") {
		t.Errorf("stderr not logged:\n%s", logged)
	}
}

func TestOutputLogged(t *testing.T) {
	dir := t.TempDir()
	writeHook(t, dir, "gh-ost-on-status", `echo "status is $GH_OST_STATUS"; echo oops >&2`)
	log, logged := testLogger()
	if err := New(Config{Path: dir}, log).Run(context.Background(), Status, Env{Status: "Copy: 1/2"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`msg="status is Copy: 1/2"`, "msg=oops", "event=status", "hook=" + filepath.Join(dir, "gh-ost-on-status")} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logged)
		}
	}
}

func TestTimeoutKillsHookAndChildren(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(t.TempDir(), "child")
	// The background child keeps the output pipe open: only killing the
	// process group (plus WaitDelay) lets Run return.
	writeHook(t, dir, "ghost-on-row-copy-complete", `sleep 30 & echo $! > "$GHOST_PIDFILE"; sleep 30`)
	log, _ := testLogger()
	start := time.Now()
	err := New(Config{Path: dir, Timeout: 200 * time.Millisecond}, log).Run(context.Background(), RowCopyComplete, Env{}, map[string]string{"PIDFILE": pidFile})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Run() = %v; want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "ghost-on-row-copy-complete") || !strings.Contains(err.Error(), "row-copy-complete") {
		t.Errorf("error %q does not name the hook and event", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run took %v after a 200ms timeout", d)
	}
	pid := strings.TrimSpace(string(must(os.ReadFile(pidFile))))
	deadline := time.Now().Add(5 * time.Second)
	for childAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("hook's background child %s survived the timeout", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// childAlive reports whether pid exists and is not a zombie.
func childAlive(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name: "123 (sleep) S ...".
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

func TestContextCancel(t *testing.T) {
	dir := t.TempDir()
	writeHook(t, dir, "ghost-on-failure", `sleep 30`)
	log, _ := testLogger()
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(100*time.Millisecond, func() { cancel(cause) })
	err := New(Config{Path: dir}, log).Run(ctx, Failure, Env{}, nil)
	if !errors.Is(err, cause) || errors.Is(err, ErrTimeout) {
		t.Fatalf("Run() = %v; want the cancellation cause", err)
	}
}

func TestNoHooksPath(t *testing.T) {
	log, _ := testLogger()
	r := New(Config{}, log)
	if err := r.Run(context.Background(), Startup, Env{}, nil); err != nil {
		t.Fatal(err)
	}
	if hooks, err := r.Find(Startup); err != nil || hooks != nil {
		t.Fatalf("Find() = %v, %v", hooks, err)
	}
}

func TestMissingHooksPath(t *testing.T) {
	log, _ := testLogger()
	err := New(Config{Path: filepath.Join(t.TempDir(), "nope")}, log).Run(context.Background(), Startup, Env{}, nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Run() = %v; want not-exist", err)
	}
}

func TestUnknownEvent(t *testing.T) {
	log, _ := testLogger()
	if err := New(Config{Path: t.TempDir()}, log).Run(context.Background(), Event("on-fire"), Env{}, nil); err == nil {
		t.Fatal("unknown event accepted")
	}
}

func TestEvents(t *testing.T) {
	want := []string{"startup", "validated", "rowcount-complete", "before-row-copy", "status", "interactive-command", "batch-copy-retry",
		"row-copy-complete", "stop-replication", "start-replication", "begin-postponed", "before-cut-over", "success", "failure"}
	var got []string
	for _, e := range Events() {
		got = append(got, string(e))
		if !e.Valid() {
			t.Errorf("%s not valid", e)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Events() = %v", got)
	}
}

func TestCappedBuffer(t *testing.T) {
	b := &cappedBuffer{limit: 5}
	for _, s := range []string{"abc", "def", "gh"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if b.buf.String() != "abcde" || b.dropped != 3 {
		t.Errorf("kept %q, dropped %d", b.buf.String(), b.dropped)
	}
}

func TestNilLogger(t *testing.T) {
	dir := t.TempDir()
	writeHook(t, dir, "ghost-on-startup", `echo hello`)
	if err := New(Config{Path: dir}, nil).Run(context.Background(), Startup, Env{}, nil); err != nil {
		t.Fatal(err)
	}
}
