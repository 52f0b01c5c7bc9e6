package main

import (
	"fmt"
	"github.com/ghost-osc/ghost/go/migration"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// statsdLine is one metric as an agent receives it.
type statsdLine struct {
	name, value, kind, tags string
	at                      time.Time
}

var statsdRE = regexp.MustCompile(`^([a-z_.]+):(-?[0-9.e+]+)\|([a-z]+)(?:\|#(.*))?$`)

// statsdAgent listens on a UDP port of 127.0.0.1 and keeps every line it receives.
type statsdAgent struct {
	pc   net.PacketConn
	mu   sync.Mutex
	got  []statsdLine
	bad  []string
	done chan struct{}
}

func newStatsdAgent(t *testing.T) *statsdAgent {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := &statsdAgent{pc: pc, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		buf := make([]byte, 65536)
		for {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			now := time.Now()
			a.mu.Lock()
			for _, l := range strings.Split(string(buf[:n]), "\n") {
				m := statsdRE.FindStringSubmatch(l)
				if m == nil {
					a.bad = append(a.bad, l)
					continue
				}
				a.got = append(a.got, statsdLine{name: m[1], value: m[2], kind: m[3], tags: m[4], at: now})
			}
			a.mu.Unlock()
		}
	}()
	t.Cleanup(a.stop)
	return a
}

func (a *statsdAgent) addr() string { return a.pc.LocalAddr().String() }

// stop closes the socket once the datagrams already sent have been read.
func (a *statsdAgent) stop() {
	time.Sleep(200 * time.Millisecond)
	a.pc.Close()
	<-a.done
}

func (a *statsdAgent) lines() []statsdLine {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.got)
}

// named returns the lines of one metric, in arrival order.
func named(lines []statsdLine, name string) []statsdLine {
	var out []statsdLine
	for _, l := range lines {
		if l.name == name {
			out = append(out, l)
		}
	}
	return out
}

func value(t *testing.T, l statsdLine) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(l.value, 64)
	if err != nil {
		t.Fatalf("%s: value %q: %v", l.name, l.value, err)
	}
	return v
}

// TestStatsd runs a migration with --statsd-addr pointing at a UDP listener. It starts
// throttled by a flag file and, while throttled, rows are written; the file is removed
// and the copy runs slowly (10-row chunks, --nice-ratio) so that several samples fall
// inside it. What arrives: gh-ost's metric names with the given tags on every line, the
// rows copied growing from 0 to the count of the summary, the events applied, the lag
// gauges tagged with the throttle state, the throttled interval's duration and count
// when it ends, and the Go runtime gauges every --runtime-metrics-interval.
func TestStatsd(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=InnoDB",
		"INSERT INTO t (id, v) SELECT seq, seq FROM seq_1_to_1000")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	agent := newStatsdAgent(t)
	flag := filepath.Join(t.TempDir(), "throttle.flag")
	if err := os.WriteFile(flag, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--execute",
			"--statsd-addr", agent.addr(), "--statsd-tags", "env:test", "--statsd-tags", "service:ghost,team:db",
			"--runtime-metrics-interval", "1", "--throttle-flag-file", flag,
			"--chunk-size", "10", "--nice-ratio", "10", "--ok-to-drop-table",
			"--max-lag-millis", "600000")...) // only the flag file throttles
		done <- result{code, stdout, stderr}
	}()

	// Throttled: samples arrive with throttle.active 1 and nothing copied.
	deadline := time.Now().Add(60 * time.Second)
	throttledSamples := func() int {
		n := 0
		for _, l := range named(agent.lines(), "gh_ost.throttle.active") {
			if l.value == "1" {
				n++
			}
		}
		return n
	}
	for throttledSamples() < 3 {
		select {
		case r := <-done:
			t.Fatalf("ghost ended while throttled: exit %d\n%s", r.code, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no throttle.active samples after 60s; got %d lines", len(agent.lines()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	exec(t, db, "INSERT INTO t (id, v) SELECT seq, seq FROM seq_1001_to_1005", "UPDATE t SET v = v + 1 WHERE id <= 5")
	time.Sleep(1500 * time.Millisecond) // the throttled interval lasts well over a second
	unthrottled := time.Now()
	if err := os.Remove(flag); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(3 * time.Minute):
		t.Fatal("ghost did not finish in 3 minutes")
	}
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	agent.stop()
	lines := agent.lines()
	if len(agent.bad) > 0 {
		t.Errorf("lines not in the DogStatsD format: %q", agent.bad)
	}

	// Every line carries the tags, the global ones first.
	for _, l := range lines {
		if !strings.HasPrefix(l.tags, "env:test,service:ghost,team:db") {
			t.Fatalf("%s:%s|%s has tags %q", l.name, l.value, l.kind, l.tags)
		}
	}
	for _, n := range []string{"row_copy.rows_copied", "row_copy.rows_estimate", "dml.events_applied",
		"binlog.backlog_size", "binlog.backlog_capacity", "binlog.backlog_utilization",
		"lag.replication_seconds", "lag.heartbeat_seconds", "throttle.active",
		"go_runtime.alloc_bytes", "go_runtime.sys_bytes", "go_runtime.heap_inuse_bytes", "go_runtime.num_gc",
		"go_runtime.gc_pause_total_ns", "go_runtime.goroutines"} {
		ls := named(lines, "gh_ost."+n)
		if len(ls) < 2 {
			t.Errorf("gh_ost.%s arrived %d times, want it every second", n, len(ls))
			continue
		}
		if ls[0].kind != "g" {
			t.Errorf("gh_ost.%s is of type %q, want a gauge", n, ls[0].kind)
		}
	}

	// The rows copied grow, never shrink, and end at the summary's count.
	m := regexp.MustCompile(`rows copied: (\d+)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no summary in stdout:\n%s", r.stdout)
	}
	final, _ := strconv.ParseFloat(m[1], 64)
	copied := named(lines, "gh_ost.row_copy.rows_copied")
	var seen []float64
	for i, l := range copied {
		v := value(t, l)
		if i > 0 && v < value(t, copied[i-1]) {
			t.Errorf("rows_copied went down: %v after %v", v, value(t, copied[i-1]))
		}
		if !slices.Contains(seen, v) {
			seen = append(seen, v)
		}
	}
	if len(seen) < 3 || seen[0] != 0 || seen[len(seen)-1] != final || final < 1000 {
		t.Errorf("rows_copied took the values %v; want 0, some between, and the summary's %v (>= 1000)", seen, final)
	}
	if v := value(t, named(lines, "gh_ost.row_copy.rows_estimate")[len(named(lines, "gh_ost.row_copy.rows_estimate"))-1]); v != final {
		t.Errorf("last rows_estimate %v, want the copied count %v once the copy is over", v, final)
	}
	applied := named(lines, "gh_ost.dml.events_applied")
	if v := value(t, applied[len(applied)-1]); v < 10 {
		t.Errorf("last dml.events_applied %v; 5 inserts and 5 updates were written during the run", v)
	}

	// The lag gauges say whether the run was throttled when they were taken.
	var tagsThrottled, tagsFree int
	for _, l := range named(lines, "gh_ost.lag.heartbeat_seconds") {
		switch {
		case strings.HasSuffix(l.tags, ",throttled:true"):
			tagsThrottled++
		case strings.HasSuffix(l.tags, ",throttled:false"):
			tagsFree++
		default:
			t.Errorf("lag gauge tags %q name no throttle state", l.tags)
		}
	}
	if tagsThrottled < 2 || tagsFree < 1 {
		t.Errorf("lag gauges: %d throttled, %d not; want both", tagsThrottled, tagsFree)
	}

	// One throttled interval: its length (from before the first sample to the removal of
	// the file) and one event, both tagged with the cause.
	reason := "reason:flag-file " + flag + " exists"
	dur := named(lines, "gh_ost.throttle.duration_milliseconds")
	events := named(lines, "gh_ost.throttle.events_total")
	if len(dur) != 1 || len(events) != 1 {
		t.Fatalf("throttle intervals: %d durations, %d events; want one of each", len(dur), len(events))
	}
	if dur[0].kind != "h" || !strings.HasSuffix(dur[0].tags, ","+reason) {
		t.Errorf("throttle duration %s|%s tags %q, want a histogram tagged %q", dur[0].value, dur[0].kind, dur[0].tags, reason)
	}
	// throttle.active: 0 until the throttler's first collection, then 1 while the file is
	// there, then 0 to the end.
	active := named(lines, "gh_ost.throttle.active")
	var states []string
	for _, l := range active {
		if len(states) == 0 || states[len(states)-1] != l.value {
			states = append(states, l.value)
		}
	}
	if s := strings.Join(states, " "); s != "1 0" && s != "0 1 0" {
		t.Errorf("throttle.active went %s, want 1 then 0", s)
	}
	first := slices.IndexFunc(active, func(l statsdLine) bool { return l.value == "1" })
	held := unthrottled.Sub(active[first].at)
	if ms := value(t, dur[0]); ms < float64(held.Milliseconds()) || ms > float64(held.Milliseconds())+10000 {
		t.Errorf("throttled for %vms; the flag file was there at least %v", ms, held)
	}
	if events[0].kind != "c" || events[0].value != "1" || !strings.HasSuffix(events[0].tags, ","+reason) {
		t.Errorf("throttle event %s|%s tags %q", events[0].value, events[0].kind, events[0].tags)
	}
	if v := value(t, named(lines, "gh_ost.go_runtime.goroutines")[0]); v < 2 {
		t.Errorf("go_runtime.goroutines %v", v)
	}
	t.Logf("%d lines; rows_copied took %v", len(lines), seen)
}

// TestStatsdRefusals: an address or tag that cannot be sent is refused before connecting;
// an agent whose name does not resolve stops the run before the copy, with the original
// table untouched and ghost's tables removed.
func TestStatsdRefusals(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--statsd-addr", "localhost"}, `--statsd-addr: bad StatsD address "localhost"`},
		{[]string{"--statsd-addr", "localhost:port"}, "want host:port with a port number"},
		{[]string{"--statsd-addr", "127.0.0.1:8125", "--statsd-tags", "env:a|b"}, `--statsd-tags: StatsD tag "env:a|b"`},
		{[]string{"--runtime-metrics-interval", "-1"}, "--runtime-metrics-interval must not be negative"},
	} {
		code, stdout, stderr := ghost(append([]string{"--host", "127.0.0.1", "--port", "1", "--database", "d", "--table", "t",
			"--alter", "ADD COLUMN x INT", "--execute"}, c.args...)...)
		if code != migration.ExitRefused || stdout != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want one line with %q", c.args, code, stdout, stderr, c.want)
		}
	}

	db, name := newTable(t)
	before := state(t, db, name)
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--execute",
		"--statsd-addr", "no-such-agent.invalid:8125")...)
	checkRefusal(t, code, stdout, stderr, []string{"--statsd-addr no-such-agent.invalid:8125", "drop --statsd-addr"}, name)
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the database changed:\nbefore %v\nafter  %v", before, after)
	}
}
