package metrics

import (
	"errors"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listen opens a UDP socket on loopback and returns its address and a function that
// returns the next datagram (failing the test after a timeout).
func listen(t *testing.T) (string, func() string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String(), func() string { return read(t, pc) }
}

func read(t *testing.T, pc net.PacketConn) string {
	t.Helper()
	buf := make([]byte, 65536)
	pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatalf("no datagram: %v", err)
	}
	return string(buf[:n])
}

func TestLines(t *testing.T) {
	addr, next := listen(t)
	c, err := Dial(addr, "gh_ost.", []string{"env:prod", "service:ghost"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Gauge("row_copy.rows_copied", 1500)
	c.Gauge("binlog.backlog_utilization", 0.25)
	c.Count("throttle.events_total", 1, "reason:lag")
	c.Histogram("throttle.duration_milliseconds", 1200, "reason:flag-file /tmp/x, now|gone")
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"gh_ost.row_copy.rows_copied:1500|g|#env:prod,service:ghost",
		"gh_ost.binlog.backlog_utilization:0.25|g|#env:prod,service:ghost",
		"gh_ost.throttle.events_total:1|c|#env:prod,service:ghost,reason:lag",
		// A tag's separators would split it or end the line: they become '_'.
		"gh_ost.throttle.duration_milliseconds:1200|h|#env:prod,service:ghost,reason:flag-file /tmp/x_ now_gone",
	}, "\n")
	if got := next(); got != want {
		t.Errorf("datagram:\n%s\nwant:\n%s", got, want)
	}
}

func TestNoTags(t *testing.T) {
	addr, next := listen(t)
	c, err := Dial(addr, "gh_ost.", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Gauge("go_runtime.goroutines", 12)
	c.Count("x", -3)
	c.Flush()
	if got, want := next(), "gh_ost.go_runtime.goroutines:12|g\ngh_ost.x:-3|c"; got != want {
		t.Errorf("datagram %q, want %q", got, want)
	}
}

// TestDatagramsStayWhole: more lines than one datagram holds leave in several, each at
// most MaxPayload bytes of whole lines, none lost.
func TestDatagramsStayWhole(t *testing.T) {
	addr, next := listen(t)
	c, err := Dial(addr, "gh_ost.", []string{"env:test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 200
	for i := range n {
		c.Gauge("row_copy.rows_copied", float64(i))
	}
	c.Flush()
	var lines []string
	datagrams := 0
	for len(lines) < n {
		d := next()
		datagrams++
		if len(d) > MaxPayload {
			t.Errorf("datagram of %d bytes", len(d))
		}
		lines = append(lines, strings.Split(d, "\n")...)
	}
	if datagrams < 2 {
		t.Errorf("%d lines came in %d datagram(s)", n, datagrams)
	}
	for i, l := range lines {
		if want := "gh_ost.row_copy.rows_copied:" + strconv.Itoa(i) + "|g|#env:test"; l != want {
			t.Fatalf("line %d %q, want %q", i, l, want)
		}
	}
}

func TestUnixSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dsd.socket")
	pc, err := net.ListenPacket("unixgram", path)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	c, err := Dial("unix://"+path, "gh_ost.", []string{"env:uds"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Gauge("dml.events_applied", 7)
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, pc), "gh_ost.dml.events_applied:7|g|#env:uds"; got != want {
		t.Errorf("datagram %q, want %q", got, want)
	}
}

// TestAgentGone: nothing listening is no error at Dial and never blocks; Linux reports
// the refused datagram on a later write, which Flush returns.
func TestAgentGone(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	c, err := Dial(addr, "gh_ost.", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var errs []error
	for range 5 {
		c.Gauge("a", 1)
		errs = append(errs, c.Flush())
		time.Sleep(10 * time.Millisecond)
	}
	if !slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		t.Errorf("no flush reported the refused datagrams: %v", errs)
	}
}

func TestBadAddressesAndTags(t *testing.T) {
	for _, addr := range []string{"", "localhost", "localhost:", ":8125", "host:port", "host:70000", "unix://"} {
		if err := CheckAddr(addr); !errors.Is(err, ErrAddr) {
			t.Errorf("CheckAddr(%q) = %v, want ErrAddr", addr, err)
		}
		if _, err := Dial(addr, "gh_ost.", nil); err == nil {
			t.Errorf("Dial(%q) succeeded", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:8125", "statsd.example:8125", "[::1]:8125", "unix:///var/run/datadog/dsd.socket", "unixgram:///tmp/s"} {
		if err := CheckAddr(addr); err != nil {
			t.Errorf("CheckAddr(%q): %v", addr, err)
		}
	}
	for _, tag := range []string{"", "a,b", "a|b", "a\nb"} {
		if err := CheckTag(tag); err == nil {
			t.Errorf("CheckTag(%q) accepted", tag)
		}
	}
	for _, tag := range []string{"env:prod", "team", "host:db-1.example"} {
		if err := CheckTag(tag); err != nil {
			t.Errorf("CheckTag(%q): %v", tag, err)
		}
	}
}
