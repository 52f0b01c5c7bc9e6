package throttle

import (
	"context"
	"database/sql/driver"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func constLag(d time.Duration, err error) LagFunc {
	return func(context.Context) (time.Duration, error) { return d, err }
}

func constDuration(d time.Duration) func() time.Duration { return func() time.Duration { return d } }

// checkCase is one expected verdict of a check.
type checkCase struct {
	name    string
	check   Check
	want    Result
	wantErr string // substring; empty means no error
}

func runCheckCases(t *testing.T, tests []checkCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.check.Check(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Check() error = %v; want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check(): %v", err)
			}
			if got != tt.want {
				t.Errorf("Check() = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestLag(t *testing.T) {
	maxLag := constDuration(1500 * time.Millisecond)
	runCheckCases(t, []checkCase{
		{name: "under", check: NewLag(LagConfig{Lag: constLag(time.Second, nil), MaxLag: maxLag})},
		{name: "equal is fine", check: NewLag(LagConfig{Lag: constLag(1500*time.Millisecond, nil), MaxLag: maxLag})},
		{name: "over", check: NewLag(LagConfig{Lag: constLag(2100*time.Millisecond, nil), MaxLag: maxLag}),
			want: Result{Throttle: true, Reason: "lag=2.1s"}},
		{name: "over whole seconds", check: NewLag(LagConfig{Lag: constLag(3*time.Second, nil), MaxLag: maxLag}),
			want: Result{Throttle: true, Reason: "lag=3s"}},
		{name: "disabled", check: NewLag(LagConfig{Lag: constLag(time.Hour, nil), MaxLag: constDuration(0)})},
		{name: "no max getter", check: NewLag(LagConfig{Lag: constLag(time.Hour, nil)})},
		{name: "read error", check: NewLag(LagConfig{Lag: constLag(0, errors.New("boom")), MaxLag: maxLag}), wantErr: "read lag: boom"},
		{name: "no reader", check: NewLag(LagConfig{MaxLag: maxLag}), wantErr: "no lag reader"},
	})
}

func TestLagFollowsKnob(t *testing.T) {
	var maxLag atomic.Int64
	maxLag.Store(int64(time.Second))
	c := NewLag(LagConfig{
		Lag:    constLag(2*time.Second, nil),
		MaxLag: func() time.Duration { return time.Duration(maxLag.Load()) },
	})
	if res, _ := c.Check(context.Background()); !res.Throttle {
		t.Fatal("lag 2s with max 1s did not throttle")
	}
	maxLag.Store(int64(3 * time.Second))
	if res, _ := c.Check(context.Background()); res.Throttle {
		t.Fatal("lag 2s with max 3s throttled")
	}
}

func TestReplicaLag(t *testing.T) {
	maxLag := constDuration(time.Second)
	replicas := func(rs ...Replica) func() []Replica { return func() []Replica { return rs } }
	runCheckCases(t, []checkCase{
		{name: "no replicas", check: NewReplicaLag(ReplicaLagConfig{MaxLag: maxLag})},
		{name: "empty list", check: NewReplicaLag(ReplicaLagConfig{Replicas: replicas(), MaxLag: maxLag})},
		{name: "all fine", check: NewReplicaLag(ReplicaLagConfig{MaxLag: maxLag, Replicas: replicas(
			Replica{Name: "r1:3306", Lag: constLag(100*time.Millisecond, nil)},
			Replica{Name: "r2:3306", Lag: constLag(time.Second, nil)},
		)})},
		{name: "first lagging replica named", check: NewReplicaLag(ReplicaLagConfig{MaxLag: maxLag, Replicas: replicas(
			Replica{Name: "r1:3306", Lag: constLag(100*time.Millisecond, nil)},
			Replica{Name: "r2:3306", Lag: constLag(2500*time.Millisecond, nil)},
			Replica{Name: "r3:3306", Lag: constLag(9*time.Second, nil)},
		)}), want: Result{Throttle: true, Reason: "replica r2:3306 lag=2.5s"}},
		{name: "unreadable replica", check: NewReplicaLag(ReplicaLagConfig{MaxLag: maxLag, Replicas: replicas(
			Replica{Name: "r1:3306", Lag: constLag(0, errors.New("connection refused"))},
		)}), wantErr: "read lag of replica r1:3306: connection refused"},
		{name: "disabled by max", check: NewReplicaLag(ReplicaLagConfig{MaxLag: constDuration(0), Replicas: replicas(
			Replica{Name: "r1:3306", Lag: constLag(time.Hour, nil)},
		)})},
	})
}

func loadOf(s string) func() Load {
	l, err := ParseLoad(s)
	if err != nil {
		panic(err)
	}
	return func() Load { return l }
}

func TestMaxLoad(t *testing.T) {
	srv := &fakeServer{status: map[string]int64{"Threads_running": 30, "Threads_connected": 100}}
	broken := &fakeServer{err: errors.New("server gone")}
	runCheckCases(t, []checkCase{
		{name: "disabled", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf(""), Server: srv})},
		{name: "nil getter", check: NewMaxLoad(MaxLoadConfig{Server: srv})},
		{name: "below", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=31"), Server: srv})},
		{name: "at threshold", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=30"), Server: srv}),
			want: Result{Throttle: true, Reason: "max-load Threads_running=30 >= 30"}},
		{name: "above, sorted first reported", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=25,Threads_connected=50"), Server: srv}),
			want: Result{Throttle: true, Reason: "max-load Threads_connected=100 >= 50"}},
		{name: "one of two", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=25,Threads_connected=500"), Server: srv}),
			want: Result{Throttle: true, Reason: "max-load Threads_running=30 >= 25"}},
		{name: "unknown variable", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_runing=25"), Server: srv}), wantErr: "no such variable"},
		{name: "server error", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=25"), Server: broken}), wantErr: "server gone"},
		{name: "no server", check: NewMaxLoad(MaxLoadConfig{Thresholds: loadOf("Threads_running=25")}), wantErr: "no server"},
	})
}

func TestCriticalLoad(t *testing.T) {
	srv := &fakeServer{status: map[string]int64{"Threads_running": 100}}
	runCheckCases(t, []checkCase{
		{name: "disabled", check: NewCriticalLoad(CriticalLoadConfig{Server: srv})},
		{name: "below", check: NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=101"), Server: srv})},
		{name: "abort at once", check: NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=80"), Server: srv}),
			want: Result{Throttle: true, Abort: true, Reason: "critical-load Threads_running=100 >= 80"}},
		{name: "hibernate instead", check: NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=80"), Server: srv, Hibernate: time.Minute, RecheckInterval: time.Hour}),
			want: Result{Throttle: true, Reason: "critical-load Threads_running=100 >= 80", Hibernate: time.Minute}},
		{name: "still over after recheck", check: NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=80"), Server: srv, RecheckInterval: time.Millisecond}),
			want: Result{Throttle: true, Abort: true, Reason: "critical-load Threads_running=100 >= 80, still after 1ms"}},
	})
}

// sequenceServer returns the given values of a status variable in turn.
type sequenceServer struct {
	fakeServer
	values []int64
}

func (s *sequenceServer) StatusVariable(_ context.Context, name string) (int64, error) {
	s.reads = append(s.reads, name)
	v := s.values[0]
	if len(s.values) > 1 {
		s.values = s.values[1:]
	}
	return v, nil
}

func TestCriticalLoadRecheckRecovers(t *testing.T) {
	srv := &sequenceServer{values: []int64{100, 5}}
	c := NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=80"), Server: srv, RecheckInterval: 10 * time.Millisecond})
	start := time.Now()
	res, err := c.Check(context.Background())
	if err != nil || res != (Result{}) {
		t.Fatalf("Check() = %+v, %v; want no throttle once load dropped", res, err)
	}
	if len(srv.reads) != 2 {
		t.Errorf("reads = %v; want the variable read twice", srv.reads)
	}
	if time.Since(start) < 10*time.Millisecond {
		t.Error("recheck did not wait for the interval")
	}
}

func TestCriticalLoadRecheckHonoursContext(t *testing.T) {
	srv := &fakeServer{status: map[string]int64{"Threads_running": 100}}
	c := NewCriticalLoad(CriticalLoadConfig{Thresholds: loadOf("Threads_running=80"), Server: srv, RecheckInterval: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Check(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Check() error = %v; want deadline exceeded", err)
	}
}

func TestQuery(t *testing.T) {
	srv := &fakeServer{queries: map[string]int64{"select 1": 1, "select 0": 0, "select 7": 7}}
	q := func(s string) func() string { return func() string { return s } }
	runCheckCases(t, []checkCase{
		{name: "disabled", check: NewQuery(QueryConfig{Query: q(""), Server: srv})},
		{name: "zero", check: NewQuery(QueryConfig{Query: q("select 0"), Server: srv})},
		{name: "one", check: NewQuery(QueryConfig{Query: q("select 1"), Server: srv}), want: Result{Throttle: true, Reason: "throttle-query returned 1"}},
		{name: "seven", check: NewQuery(QueryConfig{Query: q("select 7"), Server: srv}), want: Result{Throttle: true, Reason: "throttle-query returned 7"}},
		{name: "error", check: NewQuery(QueryConfig{Query: q("select 1"), Server: &fakeServer{err: errors.New("syntax")}}), wantErr: "syntax"},
		{name: "no server", check: NewQuery(QueryConfig{Query: q("select 1")}), wantErr: "no server"},
	})
}

func TestSQLServer(t *testing.T) {
	d := &rowsDriver{answers: map[string]fakeRows{
		"SHOW GLOBAL STATUS WHERE Variable_name = 'Threads_running'": {
			columns: []string{"Variable_name", "Value"}, rows: [][]driver.Value{{"Threads_running", "12"}},
		},
		"SHOW GLOBAL STATUS WHERE Variable_name = 'Nope'": {columns: []string{"Variable_name", "Value"}},
		"SHOW GLOBAL STATUS WHERE Variable_name = 'Odd'": {
			columns: []string{"Variable_name", "Value"}, rows: [][]driver.Value{{"Odd", "ON"}},
		},
		"select count(*) > 10 from busy": {columns: []string{"x"}, rows: [][]driver.Value{{int64(1)}}},
		"select null":                    {columns: []string{"x"}, rows: [][]driver.Value{{nil}}},
		"select broken":                  {err: errors.New("Error 1064")},
	}}
	db := d.db()
	defer db.Close()
	srv := SQLServer{DB: db}
	ctx := context.Background()

	if v, err := srv.StatusVariable(ctx, "Threads_running"); err != nil || v != 12 {
		t.Errorf("StatusVariable(Threads_running) = %d, %v; want 12", v, err)
	}
	if _, err := srv.StatusVariable(ctx, "Nope"); err == nil || !strings.Contains(err.Error(), "no such variable") {
		t.Errorf("StatusVariable(Nope) error = %v", err)
	}
	if _, err := srv.StatusVariable(ctx, "Odd"); err == nil || !strings.Contains(err.Error(), "not an integer") {
		t.Errorf("StatusVariable(Odd) error = %v", err)
	}
	if _, err := srv.StatusVariable(ctx, "x' OR '1"); !errors.Is(err, ErrInvalidLoad) {
		t.Errorf("StatusVariable with a quote: error = %v; want ErrInvalidLoad", err)
	}
	if v, err := srv.QueryInt(ctx, "select count(*) > 10 from busy"); err != nil || v != 1 {
		t.Errorf("QueryInt = %d, %v; want 1", v, err)
	}
	if v, err := srv.QueryInt(ctx, "select null"); err != nil || v != 0 {
		t.Errorf("QueryInt(null) = %d, %v; want 0", v, err)
	}
	if _, err := srv.QueryInt(ctx, "select broken"); err == nil || !strings.Contains(err.Error(), "1064") {
		t.Errorf("QueryInt(broken) error = %v", err)
	}
	for _, q := range d.seen {
		if strings.Contains(q, "x'") {
			t.Errorf("unsafe name reached the server: %s", q)
		}
	}
}

func TestHTTP(t *testing.T) {
	var status atomic.Int64
	status.Store(http.StatusOK)
	var methods atomic.Value
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods.Store(r.Method)
		w.WriteHeader(int(status.Load()))
	}))
	defer ok.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()

	url := func(s string) func() string { return func() string { return s } }
	c := NewHTTP(HTTPConfig{URL: url(ok.URL)})
	ctx := context.Background()

	if res, err := c.Check(ctx); err != nil || res.Throttle {
		t.Errorf("200: Check() = %+v, %v; want no throttle", res, err)
	}
	if m, _ := methods.Load().(string); m != http.MethodHead {
		t.Errorf("method = %q; want HEAD", m)
	}
	status.Store(http.StatusServiceUnavailable)
	if res, err := c.Check(ctx); err != nil || !res.Throttle || res.Reason != "throttle-http "+ok.URL+" returned 503" {
		t.Errorf("503: Check() = %+v, %v; want throttle", res, err)
	}
	status.Store(http.StatusNoContent)
	if res, _ := c.Check(ctx); !res.Throttle {
		t.Errorf("204: Check() = %+v; want throttle (only 200 passes)", res)
	}

	runCheckCases(t, []checkCase{
		{name: "disabled", check: NewHTTP(HTTPConfig{URL: url("")})},
		{name: "unreachable", check: NewHTTP(HTTPConfig{URL: url(goneURL)}), wantErr: "HEAD " + goneURL},
		{name: "unreachable ignored", check: NewHTTP(HTTPConfig{URL: url(goneURL), IgnoreErrors: true})},
		{name: "timeout", check: NewHTTP(HTTPConfig{URL: url(slow.URL), Timeout: 50 * time.Millisecond}), wantErr: "deadline exceeded"},
		{name: "bad URL", check: NewHTTP(HTTPConfig{URL: url("://nope")}), wantErr: "build request"},
	})
}

func TestFlagFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ghost.throttle")
	panicPath := filepath.Join(dir, "ghost.panic")
	flag := NewFlagFile(NameAdditionalFlagFile, path)
	panicFlag := NewPanicFlagFile(panicPath)
	ctx := context.Background()

	if flag.Name() != NameAdditionalFlagFile || panicFlag.Name() != NamePanicFlagFile {
		t.Errorf("names = %q, %q", flag.Name(), panicFlag.Name())
	}
	for _, c := range []Check{flag, panicFlag, NewFlagFile(NameFlagFile, ""), NewPanicFlagFile("")} {
		if res, err := c.Check(ctx); err != nil || res != (Result{}) {
			t.Errorf("%s without file: %+v, %v", c.Name(), res, err)
		}
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := flag.Check(ctx); err != nil || res != (Result{Throttle: true, Reason: "flag-file " + path + " exists"}) {
		t.Errorf("flag file present: %+v, %v", res, err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if res, _ := flag.Check(ctx); res.Throttle {
		t.Error("flag file removed but still throttling")
	}
	if err := os.WriteFile(panicPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := panicFlag.Check(ctx); err != nil || !res.Abort || res.Reason != "panic-flag-file "+panicPath+" exists" {
		t.Errorf("panic file present: %+v, %v", res, err)
	}
}

func TestUser(t *testing.T) {
	u := NewUser()
	ctx := context.Background()
	on, changed := u.Enabled()
	if res, _ := u.Check(ctx); res.Throttle || on {
		t.Fatal("new User throttles")
	}
	u.Set(true)
	select {
	case <-changed:
	default:
		t.Fatal("Set(true) did not close the channel Enabled returned")
	}
	on, changed = u.Enabled()
	if res, _ := u.Check(ctx); res != (Result{Throttle: true, Reason: "commanded by user"}) || !on {
		t.Fatalf("User on: %+v", res)
	}
	u.Set(true) // no change: no wake-up
	select {
	case <-changed:
		t.Fatal("Set to the same value closed the channel")
	default:
	}
	u.Set(false)
	if res, _ := u.Check(ctx); res.Throttle {
		t.Fatal("User off still throttles")
	}
	select {
	case <-changed:
	default:
		t.Fatal("Set(false) did not close the channel")
	}
}
