package control

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// fakeController records what the commands did.
type fakeController struct {
	mu         sync.Mutex
	knobs      map[string]string
	calls      []string
	postponing bool
	setErr     error
}

func newFake() *fakeController {
	return &fakeController{knobs: map[string]string{
		KnobChunkSize: "1000", KnobDMLBatchSize: "10", KnobMaxLagMillis: "1500", KnobNiceRatio: "0",
		KnobMaxLoad: "Threads_running=25", KnobCriticalLoad: "", KnobThrottleQuery: "", KnobThrottleHTTP: "",
		KnobThrottleControlReplicas: "",
	}}
}

func (f *fakeController) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeController) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeController) StatusBlock() string { return "# status block\nCopy: 1/2 50.0%\n" }
func (f *fakeController) StatusLine() string  { return "Copy: 1/2 50.0%" }
func (f *fakeController) Coordinates() string { return "mysql-bin.000003:4567" }
func (f *fakeController) Applier() string     { return "primary:3306" }
func (f *fakeController) Inspector() string   { return "replica:3306" }
func (f *fakeController) TableName() string   { return "orders" }
func (f *fakeController) Throttle()           { f.record("throttle") }
func (f *fakeController) NoThrottle()         { f.record("no-throttle") }
func (f *fakeController) Panic()              { f.record("panic") }

func (f *fakeController) Get(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.knobs[name]
	if !ok {
		return "", fmt.Errorf("no knob %s", name)
	}
	return v, nil
}

func (f *fakeController) Set(name, value string) error {
	f.record("set " + name + "=" + value)
	if f.setErr != nil {
		return f.setErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.knobs[name] = value
	return nil
}

func (f *fakeController) StatusJSON() string { return `{"state":"migrating"}` }

func (f *fakeController) Checksum() (string, error) {
	f.record("checksum")
	return "", errors.New("the row copy is not done")
}

func (f *fakeController) Revert() error {
	f.record("revert")
	return errors.New("nothing to revert")
}

func (f *fakeController) Unpostpone() error {
	f.record("unpostpone")
	if !f.postponing {
		return errors.New("the cut-over is not being postponed")
	}
	return nil
}

func quietLog() *logrus.Entry {
	l := logrus.New()
	l.Out = io.Discard
	return logrus.NewEntry(l)
}

const status = "# status block\nCopy: 1/2 50.0%\n"

func TestCommands(t *testing.T) {
	tests := []struct {
		line      string
		want      string // exact reply, or prefix when it ends with "..."
		wantCalls []string
	}{
		{"status", status, nil},
		{"info", status, nil},
		{"  STATUS \r\n", status, nil},
		{"sup", "Copy: 1/2 50.0%\n", nil},
		{"coordinates", "mysql-bin.000003:4567\n", nil},
		{"applier", "primary:3306\n", nil},
		{"inspector", "replica:3306\n", nil},
		{"help", "Send one command per connection...", nil},

		{"chunk-size=500", status, []string{"set chunk-size=500"}},
		{"chunk-size = 0500", status, []string{"set chunk-size=500"}},
		{"chunk-size=0", status, []string{"set chunk-size=0"}},
		{"dml-batch-size=50", status, []string{"set dml-batch-size=50"}},
		{"max-lag-millis=2000", status, []string{"set max-lag-millis=2000"}},
		{"nice-ratio=0.5", status, []string{"set nice-ratio=0.5"}},
		{"nice-ratio=2", status, []string{"set nice-ratio=2"}},
		{"max-load=Threads_running=30,Threads_connected=500", status, []string{"set max-load=Threads_running=30,Threads_connected=500"}},
		{"max-load=", status, []string{"set max-load="}},
		{"critical-load=Threads_running=200", status, []string{"set critical-load=Threads_running=200"}},
		{"throttle-query=select count(*) > 0 from meta.throttle where x=1", status, []string{"set throttle-query=select count(*) > 0 from meta.throttle where x=1"}},
		{"throttle-http=http://lb/health", status, []string{"set throttle-http=http://lb/health"}},
		{"throttle-control-replicas=r1:3306,r2:3306", status, []string{"set throttle-control-replicas=r1:3306,r2:3306"}},

		{"chunk-size=?", "1000\n", nil},
		{"dml-batch-size=?", "10\n", nil},
		{"max-lag-millis=?", "1500\n", nil},
		{"nice-ratio=?", "0\n", nil},
		{"max-load=?", "Threads_running=25\n", nil},
		{"critical-load=?", "\n", nil},
		{"throttle-query=?", "\n", nil},
		{"throttle-http=?", "\n", nil},
		{"throttle-control-replicas=?", "\n", nil},

		{"throttle", "# Throttled by user...", []string{"throttle"}},
		{"pause", "# Throttled by user...", []string{"throttle"}},
		{"suspend", "# Throttled by user...", []string{"throttle"}},
		{"throttle=orders", "# Throttled by user...", []string{"throttle"}},
		{"no-throttle", status, []string{"no-throttle"}},
		{"unthrottle", status, []string{"no-throttle"}},
		{"resume", status, []string{"no-throttle"}},
		{"continue", status, []string{"no-throttle"}},
		{"panic", "Panic: the migration is aborting without cut-over...", []string{"panic"}},
		{"panic=orders", "Panic: the migration is aborting without cut-over...", []string{"panic"}},
		{"unpostpone", "ERROR: the cut-over is not being postponed\n", []string{"unpostpone"}},
		{"revert", "ERROR: nothing to revert\n", []string{"revert"}},

		{"chunk-size=-1", `ERROR: chunk-size: "-1" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"chunk-size=ten", `ERROR: chunk-size: "ten" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"chunk-size=1.5", `ERROR: chunk-size: "1.5" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"chunk-size=", `ERROR: chunk-size: "" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"chunk-size", "ERROR: chunk-size needs a value: chunk-size=<rows>, or chunk-size=? to read it\n", nil},
		{"dml-batch-size=x", `ERROR: dml-batch-size: "x" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"max-lag-millis=-5", `ERROR: max-lag-millis: "-5" is not a non-negative number (a whole number >= 0 is expected)` + "\n", nil},
		{"nice-ratio=-0.1", `ERROR: nice-ratio: "-0.1" is not a non-negative number (a decimal >= 0 is expected)` + "\n", nil},
		{"nice-ratio=NaN", `ERROR: nice-ratio: "NaN" is not a non-negative number (a decimal >= 0 is expected)` + "\n", nil},
		{"nice-ratio=Inf", `ERROR: nice-ratio: "Inf" is not a non-negative number (a decimal >= 0 is expected)` + "\n", nil},
		{"max-load", "ERROR: max-load needs a value: max-load=<var=n,...>, or max-load=? to read it\n", nil},
		{"status=?", "ERROR: status takes no argument\n", nil},
		{"sup=now", "ERROR: sup takes no argument\n", nil},
		{"throttle=customers", `ERROR: throttle names table "customers" but the migrated table is "orders"; ignored` + "\n", nil},
		{"panic=customers", `ERROR: panic names table "customers" but the migrated table is "orders"; ignored` + "\n", nil},
		{"panic=?", `ERROR: panic names table "?" but the migrated table is "orders"; ignored` + "\n", nil},
		{"flush", "ERROR: unknown command \"flush\"; send \"help\" for the list of commands\n", nil},
		{"=5", "ERROR: unknown command \"\"; send \"help\" for the list of commands\n", nil},
		{"", "ERROR: empty command; send \"help\" for the list of commands\n", nil},
		{"   ", "ERROR: empty command; send \"help\" for the list of commands\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			f := newFake()
			s := New(Config{}, f, quietLog())
			got := s.Handle(tt.line)
			if prefix, ok := strings.CutSuffix(tt.want, "..."); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("Handle(%q) = %q; want prefix %q", tt.line, got, prefix)
				}
			} else if got != tt.want {
				t.Errorf("Handle(%q)\n got: %q\nwant: %q", tt.line, got, tt.want)
			}
			if calls := f.Calls(); !slices.Equal(calls, tt.wantCalls) {
				t.Errorf("calls = %q; want %q", calls, tt.wantCalls)
			}
		})
	}
}

func TestSetRefusedByController(t *testing.T) {
	f := newFake()
	f.setErr = errors.New(`max-load: "Threads_running" is not name=threshold`)
	got := New(Config{}, f, quietLog()).Handle("max-load=Threads_running")
	if got != "ERROR: max-load: \"Threads_running\" is not name=threshold\n" {
		t.Errorf("reply = %q", got)
	}
}

func TestSetThenGet(t *testing.T) {
	s := New(Config{}, newFake(), quietLog())
	s.Handle("chunk-size=250")
	if got := s.Handle("chunk-size=?"); got != "250\n" {
		t.Errorf("chunk-size=? after set = %q", got)
	}
}

func TestUnpostponeWhilePostponing(t *testing.T) {
	f := newFake()
	f.postponing = true
	s := New(Config{}, f, quietLog())
	for _, line := range []string{"unpostpone", "no-postpone", "cut-over", "cut-over=orders"} {
		if got := s.Handle(line); got != "Unpostponed\n"+status {
			t.Errorf("Handle(%q) = %q", line, got)
		}
	}
	if got := s.Handle("unpostpone=customers"); !strings.HasPrefix(got, "ERROR: ") {
		t.Errorf("unpostpone of another table = %q", got)
	}
}

func TestForcedNames(t *testing.T) {
	tests := []struct {
		cfg       Config
		line      string
		wantError string // empty: accepted
	}{
		{Config{ForceNamedCutOver: true}, "unpostpone", "ERROR: unpostpone requires the table name (unpostpone=orders) because --force-named-cut-over is set\n"},
		{Config{ForceNamedCutOver: true}, "cut-over", "ERROR: cut-over requires the table name (cut-over=orders) because --force-named-cut-over is set\n"},
		{Config{ForceNamedCutOver: true}, "unpostpone=customers", "ERROR: unpostpone names table \"customers\" but the migrated table is \"orders\"; ignored\n"},
		{Config{ForceNamedCutOver: true}, "unpostpone=orders", ""},
		{Config{ForceNamedCutOver: true}, "panic", ""},
		{Config{ForceNamedPanic: true}, "panic", "ERROR: panic requires the table name (panic=orders) because --force-named-panic is set\n"},
		{Config{ForceNamedPanic: true}, "panic=orders", ""},
		{Config{ForceNamedPanic: true}, "unpostpone", ""},
		{Config{ForceNamedPanic: true}, "throttle", ""},
	}
	for _, tt := range tests {
		f := newFake()
		f.postponing = true
		got := New(tt.cfg, f, quietLog()).Handle(tt.line)
		if tt.wantError != "" {
			if got != tt.wantError {
				t.Errorf("%+v %q\n got: %q\nwant: %q", tt.cfg, tt.line, got, tt.wantError)
			}
			if len(f.Calls()) != 0 {
				t.Errorf("%+v %q: refused command still called %v", tt.cfg, tt.line, f.Calls())
			}
		} else if strings.HasPrefix(got, "ERROR") || len(f.Calls()) != 1 {
			t.Errorf("%+v %q refused: %q (calls %v)", tt.cfg, tt.line, got, f.Calls())
		}
	}
}

func TestOnCommand(t *testing.T) {
	var seen []string
	s := New(Config{OnCommand: func(cmd string) { seen = append(seen, cmd) }}, newFake(), quietLog())
	for _, line := range []string{"sup\n", "", "chunk-size=10", "bogus"} {
		s.Handle(line)
	}
	if want := []string{"sup", "chunk-size=10", "bogus"}; !slices.Equal(seen, want) {
		t.Errorf("OnCommand saw %q; want %q", seen, want)
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	help := New(Config{}, newFake(), quietLog()).Handle("help")
	for _, name := range []string{
		"help", "status", "info", "sup", "coordinates", "applier", "inspector",
		"chunk-size=", "dml-batch-size=", "max-lag-millis=", "nice-ratio=", "max-load=", "critical-load=",
		"throttle-query=", "throttle-http=", "throttle-control-replicas=",
		"throttle", "pause", "suspend", "no-throttle", "unthrottle", "resume", "continue",
		"unpostpone", "no-postpone", "cut-over", "panic", "=?",
	} {
		if !strings.Contains(help, name) {
			t.Errorf("help lacks %q:\n%s", name, help)
		}
	}
}

// roundTrip sends line on a fresh connection and returns the whole reply.
func roundTrip(t *testing.T, network, addr, line string) string {
	t.Helper()
	conn, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s %s: %v", network, addr, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, line); err != nil {
		t.Fatal(err)
	}
	// Half-close as nc does at the end of its input, so a line without a
	// newline is complete too.
	if err := conn.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(conn) // the server closes after replying
	if err != nil {
		t.Fatal(err)
	}
	return string(reply)
}

// serve starts s in the background; the returned func stops it and returns
// Serve's error.
func serve(t *testing.T, s *Server) func() error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				err = errors.New("Serve did not return after cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func waitForSocket(t *testing.T, network, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.Dial(network, addr)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %s never answered: %v", network, addr, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// socketPath returns a short socket path: unix socket paths are limited to
// about 100 bytes and t.TempDir() can be long.
func socketPath(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ghostctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s.sock")
}

func TestUnixSocketRoundTrip(t *testing.T) {
	path := socketPath(t)
	var logged bytes.Buffer
	l := logrus.New()
	l.Out = &logged
	f := newFake()
	stop := serve(t, New(Config{SocketFile: path}, f, logrus.NewEntry(l)))
	waitForSocket(t, "unix", path)

	if got := roundTrip(t, "unix", path, "sup\n"); got != "Copy: 1/2 50.0%\n" {
		t.Errorf("sup = %q", got)
	}
	if got := roundTrip(t, "unix", path, "chunk-size=42"); got != status { // no newline, as printf sends
		t.Errorf("chunk-size=42 = %q", got)
	}
	// Ask, the client the tools use, gets the same replies.
	if got, err := Ask("unix", path, "chunk-size=?", 5*time.Second); err != nil || got != "42\n" {
		t.Errorf("Ask chunk-size=? = %q, %v", got, err)
	}
	if got, err := Ask("unix", path, "sup", 5*time.Second); err != nil || got != "Copy: 1/2 50.0%\n" {
		t.Errorf("Ask sup = %q, %v", got, err)
	}
	if _, err := Ask("unix", path+".missing", "sup", time.Second); err == nil {
		t.Error("Ask on a missing socket did not fail")
	}
	if got := roundTrip(t, "unix", path, "nonsense\n"); !strings.HasPrefix(got, "ERROR: unknown command") {
		t.Errorf("nonsense = %q", got)
	}
	// Still serving after an error, and concurrently.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := roundTrip(t, "unix", path, "chunk-size=?\n"); got != "42\n" {
				t.Errorf("chunk-size=? = %q", got)
			}
		})
	}
	wg.Wait()
	if got := roundTrip(t, "unix", path, strings.Repeat("x", maxCommandLen+10)); !strings.HasPrefix(got, "ERROR: command longer") {
		t.Errorf("long command = %q", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file left behind: %v", err)
	}
	if !strings.Contains(logged.String(), "interactive command applied") {
		t.Errorf("set command not logged:\n%s", logged.String())
	}
}

func TestStaleSocketReplaced(t *testing.T) {
	path := socketPath(t)
	// A socket file nobody listens on, as left by a killed process.
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket not in place: %v", err)
	}
	serve(t, New(Config{SocketFile: path}, newFake(), quietLog()))
	waitForSocket(t, "unix", path)
	if got := roundTrip(t, "unix", path, "applier\n"); got != "primary:3306\n" {
		t.Errorf("applier = %q", got)
	}
}

func TestLiveSocketNotStolen(t *testing.T) {
	path := socketPath(t)
	serve(t, New(Config{SocketFile: path}, newFake(), quietLog()))
	waitForSocket(t, "unix", path)
	err := New(Config{SocketFile: path}, newFake(), quietLog()).Serve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second Serve = %v; want in-use error", err)
	}
	// The first server is unharmed.
	if got := roundTrip(t, "unix", path, "sup\n"); got != "Copy: 1/2 50.0%\n" {
		t.Errorf("sup = %q", got)
	}
}

func TestNonSocketFileNotReplaced(t *testing.T) {
	path := socketPath(t)
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := New(Config{SocketFile: path}, newFake(), quietLog()).Serve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Serve = %v; want not-a-socket error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Error("regular file was touched")
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestTCPAndSocketTogether(t *testing.T) {
	path := socketPath(t)
	port := freePort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	stop := serve(t, New(Config{SocketFile: path, TCPPort: port, TCPHost: "127.0.0.1"}, newFake(), quietLog()))
	waitForSocket(t, "tcp", addr)
	waitForSocket(t, "unix", path)
	if got := roundTrip(t, "tcp", addr, "inspector\r\n"); got != "replica:3306\n" {
		t.Errorf("tcp inspector = %q", got)
	}
	if got := roundTrip(t, "unix", path, "coordinates\n"); got != "mysql-bin.000003:4567\n" {
		t.Errorf("unix coordinates = %q", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Error("tcp port still open after stop")
	}
}

func TestServeStopsWithIdleConnection(t *testing.T) {
	path := socketPath(t)
	stop := serve(t, New(Config{SocketFile: path, ConnTimeout: time.Hour}, newFake(), quietLog()))
	waitForSocket(t, "unix", path)
	conn, err := net.Dial("unix", path) // connects and never sends
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(20 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeNothingConfigured(t *testing.T) {
	if err := New(Config{}, newFake(), quietLog()).Serve(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultSocketFile(t *testing.T) {
	if got := DefaultSocketFile("shop", "orders"); got != "/tmp/ghost.shop.orders.sock" {
		t.Errorf("DefaultSocketFile = %q", got)
	}
}

func TestNilLogger(t *testing.T) {
	if got := New(Config{}, newFake(), nil).Handle("chunk-size=5"); got != status {
		t.Errorf("reply = %q", got)
	}
}
