package opstest

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTargetChunkTime: with --target-chunk-time the chunk size grows from a too-small
// --chunk-size toward the target, the status says the size is being steered, and a
// chunk-size= command pins the size (the sizer no longer moves it) until the end, which
// still migrates every row.
func TestTargetChunkTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	// 10-row chunks take about a millisecond, far below 200ms: each chunk doubles the next.
	// The rest after each chunk keeps the copy slow enough to watch.
	g := f.run("--chunk-size", "10", "--target-chunk-time", "200ms", "--nice-ratio", "20")
	g.copying(300) // 10+20+40+80+160: five chunks
	g.expectOK("throttle")
	g.frozen()
	size := func() int64 {
		t.Helper()
		r := strings.TrimSpace(g.send("chunk-size=?"))
		n, err := strconv.ParseInt(r, 10, 64)
		if err != nil {
			t.Fatalf("chunk-size=?: %q", r)
		}
		return n
	}
	grown := size()
	if grown < 160 {
		t.Errorf("chunk size %d after five fast chunks from 10; want it doubled each time (>= 160)", grown)
	}
	if st := g.send("status"); !strings.Contains(st, "(steered toward 200ms per chunk)") {
		t.Errorf("status does not say the chunk size is steered:\n%s", st)
	}

	g.expectOK("chunk-size=50")
	if st := g.send("status"); !strings.Contains(st, "# chunk-size: 50;") {
		t.Errorf("status after chunk-size=50 does not show a pinned 50:\n%s", st)
	}
	at := g.sup().Copied
	g.expectOK("no-throttle")
	g.eventually("ten more chunks", 60*time.Second, func(s status) bool { return s.Copied >= at+500 })
	if got := size(); got != 50 {
		t.Errorf("chunk size %d after ten chunks pinned at 50; the sizer moved it", got)
	}

	want := f.state(f.primary, f.table)
	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(want)
}
