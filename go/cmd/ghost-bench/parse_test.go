package main

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
)

func TestParseStatusLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		want StatusLine
		ok   bool
	}{
		{
			name: "lag only",
			line: "Copy: 151000/200000 75.5%; Applied: 12; Backlog: 3/1000; Time: 1s(total), 1s(copy); streamer: mysql-bin.000001:15479320; Lag: 0.01s, State: migrating; ETA: 0s",
			want: StatusLine{Copied: 151000, Estimated: 200000, Applied: 12, Backlog: 3, BacklogCap: 1000,
				Lag: 10 * time.Millisecond, HasLag: true, State: "migrating"},
			ok: true,
		},
		{
			name: "replica and heartbeat lag, throttled",
			line: "Copy: 490000/986400 49.7%; Applied: 0; Backlog: 1000/1000; Time: 12m10s(total), 12m10s(copy); streamer: mysql-bin.000002:345374298; Lag: 1.25s, HeartbeatLag: 722.23s, State: throttled, lag=1.25s; ETA: 12m19s",
			want: StatusLine{Copied: 490000, Estimated: 986400, Backlog: 1000, BacklogCap: 1000,
				Lag: 1250 * time.Millisecond, HasLag: true, HeartbeatLag: 722230 * time.Millisecond, HasHeartbeatLag: true,
				State: "throttled, lag=1.25s"},
			ok: true,
		},
		{
			name: "a GTID streamer position",
			line: "Copy: 0/10 0.0%; Applied: 0; Backlog: 0/1000; Time: 0s(total), 0s(copy); streamer: 0-1-42; Lag: 0.00s, HeartbeatLag: 0.10s, State: postponing cut-over; ETA: due",
			want: StatusLine{Estimated: 10, BacklogCap: 1000, HasLag: true, HeartbeatLag: 100 * time.Millisecond,
				HasHeartbeatLag: true, State: "postponing cut-over"},
			ok: true,
		},
		{name: "a log line", line: `time="x" level=info msg=state state=migrating`},
		{name: "the Done line", line: "Done: b.t migrated; rows copied: 1 in 1s (1 rows/s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseStatusLine(tt.line)
			if ok != tt.ok {
				t.Fatalf("ok = %v; want %v", ok, tt.ok)
			}
			if ok && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	if s, _ := parseStatusLine(tests[1].line); !s.Throttled() {
		t.Error("Throttled() = false for a throttled line")
	}
}

func TestParseDoneLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		want DoneLine
		ok   bool
	}{
		{
			name: "migration summary",
			line: "Done: bench.sbtest1 migrated; rows copied: 1000000 in 13.819s (72362 rows/s); events applied: 34973; cut-over blocked writes for 26ms; total 14.026s",
			want: DoneLine{RowsCopied: 1000000, CopyTime: 13819 * time.Millisecond, RowsPerSec: 72362, Events: 34973,
				CutOverBlock: 26 * time.Millisecond, HasCutOverBlock: true, Total: 14026 * time.Millisecond},
			ok: true,
		},
		{
			name: "with the checksum",
			line: "Done: d.t migrated; rows copied: 100 in 2s (50 rows/s); events applied: 3; checksum: 4 chunks, 1 differed, 1 repaired, in 0.5s (writers held 12ms for the consistent point); cut-over blocked writes for 26ms; total 3s",
			want: DoneLine{RowsCopied: 100, CopyTime: 2 * time.Second, RowsPerSec: 50, Events: 3, ChecksumTime: 500 * time.Millisecond,
				CutOverBlock: 26 * time.Millisecond, HasCutOverBlock: true, Total: 3 * time.Second},
			ok: true,
		},
		{
			name: "status package summary",
			line: "Done: copied 100000 rows in 12s; applied 57 events; total 15s; writes blocked 0.250s during cut-over",
			want: DoneLine{RowsCopied: 100000, CopyTime: 12 * time.Second, RowsPerSec: 100000.0 / 12, Events: 57,
				CutOverBlock: 250 * time.Millisecond, HasCutOverBlock: true, Total: 15 * time.Second},
			ok: true,
		},
		{
			name: "minutes and no block",
			line: "Done: d.t migrated; rows copied: 5 in 1m2.5s (0 rows/s); events applied: 0; total 1m3s",
			want: DoneLine{RowsCopied: 5, CopyTime: 62500 * time.Millisecond, Total: 63 * time.Second},
			ok:   true,
		},
		{name: "status line", line: "Copy: 1/1 100.0%; Applied: 0"},
		{name: "not at the start", line: "noop: Done: nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDoneLine(tt.line)
			if ok != tt.ok {
				t.Fatalf("ok = %v; want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			tt.want.Raw = tt.line
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseLogLine(t *testing.T) {
	tests := []struct {
		line string
		want LogLine
		ok   bool
	}{
		{
			line: `time="2026-11-25 15:28:58.495" level=info msg=state from=migrating state="cutting over" table=b.sbtest1`,
			want: LogLine{Level: "info", Msg: "state", Fields: map[string]string{"from": "migrating", "state": "cutting over", "table": "b.sbtest1"}},
			ok:   true,
		},
		{
			line: `time="t" level=warning msg="cut-over attempt failed; the original table is in place" attempt=2 error="lock wait: \"x\""`,
			want: LogLine{Level: "warning", Msg: "cut-over attempt failed; the original table is in place",
				Fields: map[string]string{"attempt": "2", "error": `lock wait: "x"`}},
			ok: true,
		},
		{line: `time="t" level=info msg="row copy complete"`, want: LogLine{Level: "info", Msg: "row copy complete"}, ok: true},
		{line: "ghost: error: interrupted"},
		{line: "panic: runtime error: index out of range [3] with length 3"},
		{line: ""},
	}
	for _, tt := range tests {
		got, ok := parseLogLine(tt.line)
		if ok != tt.ok {
			t.Errorf("%q: ok = %v; want %v", tt.line, ok, tt.ok)
			continue
		}
		if ok && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q:\n got  %+v\n want %+v", tt.line, got, tt.want)
		}
	}
}

func TestGhostOutputPhases(t *testing.T) {
	sec := func(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
	t.Run("from log lines", func(t *testing.T) {
		o := &ghostOutput{}
		o.line("stderr", sec(0.1), `time="t" level=info msg=state from=preparing state=migrating table=b.t`)
		o.line("stdout", sec(0.2), "Copy: 0/100 0.0%; Applied: 0; Backlog: 0/1000; Lag: 0.01s, State: migrating; ETA: N/A")
		o.line("stderr", sec(5), `time="t" level=info msg="row copy complete" rows=100`)
		o.line("stderr", sec(5.1), `time="t" level=info msg=state from=migrating state="cutting over"`)
		o.line("stderr", sec(5.5), `time="t" level=warning msg="cut-over attempt failed" attempt=1`)
		o.line("stderr", sec(5.6), `time="t" level=info msg=state from="cutting over" state="cutting over"`)
		o.line("stderr", sec(6), `time="t" level=info msg="cut-over complete" blocked=8ms`)
		o.line("stdout", sec(6.1), "Done: b.t migrated; rows copied: 100 in 4.9s (20 rows/s); events applied: 0; cut-over blocked writes for 8ms; total 6s")
		p := o.fillPhases(sec(6.2))
		want := Phases{CopyStart: Dur(sec(0.1)), CopyEnd: Dur(sec(5)), CutOverStart: Dur(sec(5.1)), CutOverEnd: Dur(sec(6)),
			Exit: Dur(sec(6.2)), Source: "log", CutOverAttempts: 2}
		if p != want {
			t.Errorf("phases\n got  %+v\n want %+v", p, want)
		}
		if len(o.status) != 1 || o.done == nil || o.done.RowsCopied != 100 {
			t.Errorf("status %v, done %+v", o.status, o.done)
		}
		if len(o.logs) != 6 { // the phase lines and the warning
			t.Errorf("kept %d log lines: %+v", len(o.logs), o.logs)
		}
	})
	t.Run("from status lines when the log is missing", func(t *testing.T) {
		o := &ghostOutput{}
		o.line("stdout", sec(1), "Copy: 0/100 0.0%; Applied: 0; Backlog: 0/1000; Lag: 0.01s, State: migrating; ETA: N/A")
		o.line("stdout", sec(2), "Copy: 50/100 50.0%; Applied: 0; Backlog: 0/1000; Lag: 0.01s, State: migrating; ETA: 1s")
		o.line("stdout", sec(3), "Copy: 100/100 100.0%; Applied: 0; Backlog: 0/1000; Lag: 0.01s, State: cutting over; ETA: due")
		o.line("stderr", sec(3.5), "ghost: error: something")
		p := o.fillPhases(sec(4))
		want := Phases{CopyStart: Dur(sec(1)), CopyEnd: Dur(sec(3)), CutOverStart: Dur(sec(3)), CutOverEnd: Dur(sec(4)),
			Exit: Dur(sec(4)), Source: "status"}
		if p != want {
			t.Errorf("phases\n got  %+v\n want %+v", p, want)
		}
		if lastLine(o.tail) != "ghost: error: something" {
			t.Errorf("tail %q", o.tail)
		}
	})
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"--chunk-size 5000 --threads 2", []string{"--chunk-size", "5000", "--threads", "2"}, false},
		{"  --a=1\t--b  ", []string{"--a=1", "--b"}, false},
		{`--alter "ADD COLUMN y INT" --x='a b' c\ d`, []string{"--alter", "ADD COLUMN y INT", "--x=a b", "c d"}, false},
		{`"a \"q\" \$x"`, []string{`a "q" $x`}, false},
		{`'it''s'`, []string{"its"}, false},
		{`""`, []string{""}, false},
		{`"open`, nil, true},
		{`'open`, nil, true},
	}
	for _, tt := range tests {
		got, err := splitArgs(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("splitArgs(%q) error %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitArgs(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestShellJoinRoundTrips(t *testing.T) {
	args := []string{"bin/ghost", "--alter", "ADD COLUMN x INT", "--x=it's", "", "--port", "3307"}
	line := shellJoin(args)
	if line != `bin/ghost --alter 'ADD COLUMN x INT' '--x=it'\''s' '' --port 3307` {
		t.Errorf("shellJoin = %s", line)
	}
	back, err := splitArgs(line)
	if err != nil || !reflect.DeepEqual(back, args) {
		t.Errorf("round trip: %q, %v", back, err)
	}
}

func TestDurJSON(t *testing.T) {
	b, err := json.Marshal(struct{ D Dur }{Dur(1500 * time.Millisecond)})
	if err != nil || string(b) != `{"D":1.500000}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back struct{ D Dur }
	if err := json.Unmarshal(b, &back); err != nil || back.D.D() != 1500*time.Millisecond {
		t.Errorf("unmarshal: %v %v", back.D.D(), err)
	}
}

func TestParseStatCPU(t *testing.T) {
	line := "1234 (maria db) S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 40 0 100 8000000 30000 18446744073709551615\n"
	got, err := parseStatCPU(line)
	if err != nil || got != 3250*time.Millisecond {
		t.Errorf("parseStatCPU = %v, %v; want 3.25s", got, err)
	}
	if _, err := parseStatCPU("1234 (x) S 1 2"); err == nil {
		t.Error("short line accepted")
	}
	if own, err := processCPU(os.Getpid()); err != nil || own < 0 {
		t.Errorf("processCPU(self) = %v, %v", own, err)
	}
}

func TestExpandServers(t *testing.T) {
	b := &bencher{topo: &topology.Topology{
		Primary: &topology.Server{Host: "127.0.0.1", Port: 4001},
		Replica: &topology.Server{Host: "127.0.0.2", Port: 4002},
	}}
	got := b.expandServers([]string{"--host", "{primary.host}", "--port", "{primary.port}", "--throttle-control-replicas", "{replica.host}:{replica.port}", "--chunk-size", "1000"})
	want := []string{"--host", "127.0.0.1", "--port", "4001", "--throttle-control-replicas", "127.0.0.2:4002", "--chunk-size", "1000"}
	if !slices.Equal(got, want) {
		t.Errorf("expandServers = %q; want %q", got, want)
	}
}

func TestParseProcStat(t *testing.T) {
	stat := "cpu  10737 5 7652 1297717 533 0 304 6382 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"
	steal, total, err := parseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 6382 * time.Second / userHZ; steal != want {
		t.Errorf("steal %s, want %s", steal, want)
	}
	if want := time.Duration(10737+5+7652+1297717+533+0+304+6382) * time.Second / userHZ; total != want {
		t.Errorf("total %s, want %s", total, want)
	}
	if _, _, err := parseProcStat("intr 1 2 3\n"); err == nil {
		t.Error("a file without the cpu line parsed")
	}
}

func TestParsePressureFull(t *testing.T) {
	psi := "some avg10=1.05 avg60=0.44 avg300=0.10 total=5041399\nfull avg10=0.47 avg60=0.23 avg300=0.05 total=4203044\n"
	got, err := parsePressureFull(psi)
	if err != nil {
		t.Fatal(err)
	}
	if want := 4203044 * time.Microsecond; got != want {
		t.Errorf("full %s, want %s", got, want)
	}
	if _, err := parsePressureFull("some avg10=0 total=1\n"); err == nil {
		t.Error("a file without the full line parsed")
	}
}

func TestHostFigures(t *testing.T) {
	for _, c := range []struct {
		h            Host
		steal, stall string
	}{
		{Host{StealPct: 7.25, IOFullMsPerSec: 12.4}, "7.2%", "12ms/s"},
		{Host{StealPct: -1, IOFullMsPerSec: -1}, "?", "?"},
		{Host{StealPct: 0, IOFullMsPerSec: 0}, "0.0%", "0ms/s"},
	} {
		if got := c.h.steal(); got != c.steal {
			t.Errorf("%+v: steal %q, want %q", c.h, got, c.steal)
		}
		if got := c.h.ioStall(); got != c.stall {
			t.Errorf("%+v: I/O stall %q, want %q", c.h, got, c.stall)
		}
	}
}
