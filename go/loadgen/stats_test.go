package loadgen

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	seq := func(n int) []time.Duration { // 1ms..n ms
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = ms(i + 1)
		}
		return out
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", []time.Duration{ms(7)}, 50, ms(7)},
		{"single p99", []time.Duration{ms(7)}, 99, ms(7)},
		{"single p100", []time.Duration{ms(7)}, 100, ms(7)},
		{"two p50 is the lower", seq(2), 50, ms(1)},
		{"two p51 is the upper", seq(2), 51, ms(2)},
		{"four p50", seq(4), 50, ms(2)},
		{"four p75", seq(4), 75, ms(3)},
		{"hundred p50", seq(100), 50, ms(50)},
		{"hundred p99", seq(100), 99, ms(99)},
		{"hundred p100", seq(100), 100, ms(100)},
		{"thousand p99", seq(1000), 99, ms(990)},
		{"thousand p99.9", seq(1000), 99.9, ms(999)},
		{"ten p99 is the max", seq(10), 99, ms(10)},
		{"tiny p rounds up to the first", seq(10), 0.001, ms(1)},
		{"p0 clamps to the first", seq(10), 0, ms(1)},
		{"p above 100 clamps to the max", seq(10), 150, ms(10)},
		{"ties", []time.Duration{ms(1), ms(5), ms(5), ms(5), ms(9)}, 50, ms(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(p=%v) = %v; want %v", tt.p, got, tt.want)
			}
		})
	}
}

// record adds a successful write scheduled at start+at with the given latency (sent on time).
func record(s *Stats, at, latency time.Duration) {
	sched := s.Start().Add(at)
	s.Record(Update, sched, sched, sched.Add(latency), "", 1)
}

func recordErr(s *Stats, at time.Duration, code string) {
	sched := s.Start().Add(at)
	s.Record(Update, sched, sched, sched.Add(ms(1)), code, 0)
}

func TestSummaryWindows(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := NewStats(t0, time.Second)
	// Second 0: 100 writes of 1..100 ms. Second 1: nothing. Second 2: 10 writes of 500ms and
	// two 1146 errors. Second 3, at 3.5s: one write of 2s.
	for i := range 100 {
		record(s, ms(i*10), ms(i+1))
	}
	for i := range 10 {
		record(s, 2*time.Second+ms(i*100), ms(500))
	}
	recordErr(s, 2*time.Second+ms(50), ErrNoSuchTable)
	recordErr(s, 2*time.Second+ms(950), ErrNoSuchTable)
	record(s, 3500*time.Millisecond, 2*time.Second)

	at := func(d time.Duration) time.Time { return t0.Add(d) }
	tests := []struct {
		name           string
		from, to       time.Duration
		writes, ok     int64
		p50, p99, max_ time.Duration
		errors         map[string]int64
	}{
		{"first second", 0, time.Second, 100, 100, ms(50), ms(99), ms(100), nil},
		{"empty second", time.Second, 2 * time.Second, 0, 0, 0, 0, 0, nil},
		{"errors counted apart", 2 * time.Second, 3 * time.Second, 12, 10, ms(500), ms(500), ms(500), map[string]int64{"1146": 2}},
		{"everything", 0, 10 * time.Second, 113, 111, ms(56), ms(500), 2 * time.Second, map[string]int64{"1146": 2}},
		// Partial windows are filtered sample by sample.
		{"half of the first second", 0, 500 * time.Millisecond, 50, 50, ms(25), ms(50), ms(50), nil},
		{"across windows", 900 * time.Millisecond, 2100 * time.Millisecond, 12, 11, ms(96), ms(500), ms(500), map[string]int64{"1146": 1}},
		{"end is exclusive", 3500 * time.Millisecond, 3500 * time.Millisecond, 0, 0, 0, 0, 0, nil},
		{"start is inclusive", 3500 * time.Millisecond, 3501 * time.Millisecond, 1, 1, 2 * time.Second, 2 * time.Second, 2 * time.Second, nil},
		{"before the start is clipped", -time.Hour, 100 * time.Millisecond, 10, 10, ms(5), ms(10), ms(10), nil},
		{"after the last window", time.Hour, 2 * time.Hour, 0, 0, 0, 0, 0, nil},
		{"reversed", 2 * time.Second, time.Second, 0, 0, 0, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Summary(at(tt.from), at(tt.to))
			if got.Writes != tt.writes || got.OK != tt.ok {
				t.Errorf("writes/ok = %d/%d; want %d/%d", got.Writes, got.OK, tt.writes, tt.ok)
			}
			if got.P50 != tt.p50 || got.P99 != tt.p99 || got.Max != tt.max_ {
				t.Errorf("p50/p99/max = %v/%v/%v; want %v/%v/%v", got.P50, got.P99, got.Max, tt.p50, tt.p99, tt.max_)
			}
			if fmt.Sprint(got.Errors) != fmt.Sprint(tt.errors) {
				t.Errorf("errors = %v; want %v", got.Errors, tt.errors)
			}
			if got.Failed() != tt.writes-tt.ok {
				t.Errorf("Failed() = %d; want %d", got.Failed(), tt.writes-tt.ok)
			}
		})
	}

	if all := s.All(); all.Writes != 113 || all.Max != 2*time.Second {
		t.Errorf("All() = %d writes, max %v; want 113, 2s", all.Writes, all.Max)
	}
	series := s.Series()
	if len(series) != 4 {
		t.Fatalf("Series() has %d windows; want 4", len(series))
	}
	for i, want := range []int64{100, 0, 12, 1} {
		if series[i].Writes != want {
			t.Errorf("window %d: %d writes; want %d", i, series[i].Writes, want)
		}
		if !series[i].From.Equal(at(time.Duration(i) * time.Second)) {
			t.Errorf("window %d starts at %v", i, series[i].From)
		}
	}
	if r := series[0].Rate(); r != 100 {
		t.Errorf("rate of window 0 = %v; want 100", r)
	}
	if got := s.Errors(); len(got) != 1 || got[ErrNoSuchTable] != 2 {
		t.Errorf("Errors() = %v", got)
	}
	tot := s.Totals()
	if u := tot["update"]; u.OK != 111 || u.Failed != 2 || u.Affected != 111 {
		t.Errorf("Totals()[update] = %+v", u)
	}
}

func TestSummaryLatencyIsFromSchedule(t *testing.T) {
	t0 := time.Now()
	s := NewStats(t0, 100*time.Millisecond)
	sched := t0.Add(ms(10))
	// Scheduled at 10ms, sent 300ms late (every worker was busy), served in 5ms.
	s.Record(Insert, sched, sched.Add(ms(300)), sched.Add(ms(305)), "", 1)
	got := s.Summary(t0, t0.Add(time.Second))
	if got.P50 != ms(305) || got.Max != ms(305) || got.Mean != ms(305) {
		t.Errorf("latency p50/max/mean = %v/%v/%v; want 305ms", got.P50, got.Max, got.Mean)
	}
	if got.ServiceP99 != ms(5) {
		t.Errorf("service p99 = %v; want 5ms", got.ServiceP99)
	}
	// Bucketed by scheduled time: the write belongs to the first window even though it completed
	// in the fourth.
	if w := s.Series(); len(w) != 1 || w[0].Writes != 1 {
		t.Errorf("series = %+v", w)
	}
}

func TestRecordIgnoresWritesBeforeStart(t *testing.T) {
	t0 := time.Now()
	s := NewStats(t0, 0)
	if s.Window() != DefaultWindow {
		t.Errorf("default window = %v", s.Window())
	}
	s.Record(Insert, t0.Add(-ms(1)), t0, t0, "", 1)
	s.Record("", t0, t0, t0, "", 1)
	if all := s.All(); all.Writes != 0 {
		t.Errorf("recorded %d writes; want 0", all.Writes)
	}
	if ok, failed := s.Counts(); ok != 0 || failed != 0 {
		t.Errorf("Counts() = %d, %d; want 0, 0", ok, failed)
	}
}

func TestTotalsOfOtherKinds(t *testing.T) {
	t0 := time.Now()
	s := NewStats(t0, time.Second)
	s.Record("commit", t0, t0, t0.Add(ms(2)), "", 3)
	s.Record("commit", t0, t0, t0.Add(ms(2)), ErrDeadlock, 0)
	s.Record("rollback", t0, t0, t0.Add(ms(1)), "", 0)
	tot := s.Totals()
	if c := tot["commit"]; c.OK != 1 || c.Failed != 1 || c.Affected != 3 {
		t.Errorf("Totals()[commit] = %+v", c)
	}
	if r := tot["rollback"]; r.OK != 1 || r.Failed != 0 {
		t.Errorf("Totals()[rollback] = %+v", r)
	}
	// The generator's kinds are always there, for reports that list them all.
	for _, k := range Kinds() {
		if got, ok := tot[k.String()]; !ok || got != (KindTotals{}) {
			t.Errorf("Totals()[%s] = %+v, %v; want zero, present", k, got, ok)
		}
	}
	if len(tot) != 6 {
		t.Errorf("Totals() has %d kinds; want 6: %v", len(tot), tot)
	}
	if ok, failed := s.Counts(); ok != 2 || failed != 1 {
		t.Errorf("Counts() = %d, %d; want 2, 1", ok, failed)
	}
}

func TestLongestAndSlowerThan(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := NewStats(t0, 100*time.Millisecond)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	// Scheduled at 0, done at 2s: in flight across everything up to 2s.
	s.Record(Update, at(0), at(0), at(2*time.Second), "", 1)
	// A failed write waiting 1.5s from 3s: counts for Longest although Summary ignores it.
	s.Record(Update, at(3*time.Second), at(3*time.Second), at(4500*time.Millisecond), ErrLockWaitTimeout, 0)
	// Short writes everywhere; one queued 400ms for a worker (sent late) but served in 1ms.
	for i := range 50 {
		sched := at(time.Duration(i) * 100 * time.Millisecond)
		s.Record(Insert, sched, sched, sched.Add(ms(3)), "", 1)
	}
	s.Record(Insert, at(ms(5100)), at(ms(5500)), at(ms(5501)), "", 1)

	tests := []struct {
		name     string
		from, to time.Duration
		want     time.Duration
	}{
		{"the long write spans the interval", ms(1000), ms(1100), 2 * time.Second},
		{"it ended at 2s exactly", ms(2000), ms(2050), 2 * time.Second},
		{"after it, only short writes", ms(2001), ms(2900), ms(3)},
		{"a failed write counts", ms(4000), ms(4100), ms(1500)},
		{"scheduled at the end of the interval", ms(2950), ms(3000), ms(1500)},
		{"queueing counts", ms(5400), ms(5450), ms(401)},
		{"nothing in flight", ms(6000), ms(7000), 0},
		{"before the start", -time.Hour, -time.Minute, 0},
	}
	for _, tt := range tests {
		if got := s.Longest(at(tt.from), at(tt.to)); got != tt.want {
			t.Errorf("%s: Longest = %v; want %v", tt.name, got, tt.want)
		}
	}
	if all := s.All(); all.Max != 2*time.Second || all.Failed() != 1 {
		t.Errorf("All(): max %v, %d failed", all.Max, all.Failed())
	}
	for _, tt := range []struct {
		limit time.Duration
		want  int64
	}{{time.Second, 2}, {ms(1500), 1}, {ms(400), 3}, {ms(3), 3}, {ms(2), 53}, {time.Hour, 0}} {
		if got := s.SlowerThan(tt.limit); got != tt.want {
			t.Errorf("SlowerThan(%v) = %d; want %d", tt.limit, got, tt.want)
		}
	}
}

func TestStatsConcurrent(t *testing.T) {
	t0 := time.Now()
	s := NewStats(t0, 10*time.Millisecond)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				code := ""
				if i%100 == 0 {
					code = ErrLockWaitTimeout
				}
				sched := t0.Add(time.Duration(w*1000+i) * 50 * time.Microsecond)
				s.Record(append(Kinds(), "other")[i%5], sched, sched, sched.Add(ms(1)), code, 1)
				if i%250 == 0 {
					_ = s.Summary(t0, t0.Add(time.Second))
				}
			}
		}()
	}
	wg.Wait()
	all := s.All()
	if all.Writes != 8000 || all.OK != 7920 || all.Errors[ErrLockWaitTimeout] != 80 {
		t.Errorf("all = %d writes, %d ok, errors %v", all.Writes, all.OK, all.Errors)
	}
	var sum int64
	for _, k := range s.Totals() {
		sum += k.OK + k.Failed
	}
	if sum != 8000 {
		t.Errorf("totals add up to %d", sum)
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&mysql.MySQLError{Number: 1146, Message: "Table 'd.t' doesn't exist"}, "1146"},
		{fmt.Errorf("update: %w", &mysql.MySQLError{Number: 1205}), "1205"},
		{context.DeadlineExceeded, CodeTimeout},
		{fmt.Errorf("x: %w", context.Canceled), CodeCanceled},
		{driver.ErrBadConn, CodeConn},
		{mysql.ErrInvalidConn, CodeConn},
		{&net.OpError{Op: "read", Err: errors.New("reset")}, CodeNet},
		{errors.New("something"), CodeOther},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
}

func TestMixPick(t *testing.T) {
	m := Mix{Insert: 1, Update: 2, Delete: 0, MoveKey: 3}
	want := []Kind{Insert, Update, Update, MoveKey, MoveKey, MoveKey}
	for n, k := range want {
		if got := m.pick(n); got != k {
			t.Errorf("pick(%d) = %v; want %v", n, got, k)
		}
	}
}

func TestConfigDefaultsAndLimits(t *testing.T) {
	dsn := "u:p@tcp(127.0.0.1:3307)/d"
	g, err := New(Config{DSN: dsn, Rate: 100, Duration: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c := g.Config()
	if c.Table != DefaultTable || c.Workers != DefaultWorkers || c.Mix != DefaultMix() || c.MaxWrites != 201 || c.Seed == 0 {
		t.Errorf("defaults: %+v", c)
	}
	bad := []Config{
		{DSN: dsn, Duration: time.Second},                                // no rate
		{DSN: dsn, Rate: 1},                                              // unbounded in time
		{DSN: dsn, Rate: 1, Duration: 25 * time.Hour},                    // too long
		{DSN: dsn, Rate: 1, Duration: time.Second, Workers: -1},          // no workers
		{DSN: dsn, Rate: 1, Duration: time.Second, Mix: Mix{Insert: -1}}, // negative weight
		{DSN: dsn, Rate: 1e9, Duration: time.Hour},                       // too many writes
	}
	for _, cfg := range bad {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		dsn string
		ok  bool
	}{
		{"u:p@tcp(127.0.0.1:3307)/d", true},
		{"u:p@tcp(127.1.2.3:3307)/d", true},
		{"u:p@tcp([::1]:3307)/d", true},
		{"u:p@tcp(localhost:3307)/d", true},
		{"u:p@unix(/tmp/x.sock)/d", true},
		{"u:p@tcp(10.0.0.5:3306)/d", false},
		{"u:p@tcp(db.example.com:3306)/d", false},
		{"u:p@tcp(0.0.0.0:3306)/d", false},
		{"u:p@/d", true}, // the driver's default is 127.0.0.1:3306
	}
	for _, tt := range tests {
		_, err := New(Config{DSN: tt.dsn, Rate: 1, Duration: time.Second})
		if (err == nil) != tt.ok {
			t.Errorf("New(%s) err = %v; want ok=%v", tt.dsn, err, tt.ok)
		}
		if !tt.ok && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("New(%s) err = %v; want ErrNotLoopback", tt.dsn, err)
		}
	}
}

func TestDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := digits(rng, 11, 10)
	if len(c) != 119 || strings.Count(c, "-") != 9 {
		t.Errorf("c = %q (%d bytes)", c, len(c))
	}
	if p := digits(rng, 11, 5); len(p) != 59 {
		t.Errorf("pad = %q (%d bytes)", p, len(p))
	}
}
