package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

// EnvReportDir names a directory where TestLoad also writes its latency report.
const EnvReportDir = "GHOST_FAULTS_REPORT_DIR"

var reBlocked = regexp.MustCompile(`cut-over blocked writes for (\d+)ms`)

// window is one interval of the load report.
type window struct {
	Name   string           `json:"name"`
	From   time.Time        `json:"from"`
	To     time.Time        `json:"to"`
	Writes int64            `json:"writes"`
	Rate   float64          `json:"writes_per_s"`
	P50    float64          `json:"p50_ms"`
	P99    float64          `json:"p99_ms"`
	Max    float64          `json:"max_ms"`
	Errors map[string]int64 `json:"errors,omitempty"`
}

// loadReport is what TestLoad measures.
type loadReport struct {
	Rows           int      `json:"rows"`
	Rate           float64  `json:"target_writes_per_s"`
	Workers        int      `json:"workers"`
	CopySeconds    float64  `json:"copy_s"`
	GhostBlockedMs int64    `json:"ghost_reported_block_ms"`
	Windows        []window `json:"windows"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// TestLoad runs a fixed-rate write load (go/loadgen, 200 writes/s, latency measured from
// each write's scheduled time) on a 200k-row table before and throughout a migration,
// and reports the writers' latency p50/p99/max before, during the copy and across the
// cut-over. It asserts only sanity: no error 1146 and no write slower than 3s across the
// cut-over.
func TestLoad(t *testing.T) {
	const (
		rows    = 200_000
		rate    = 200.0
		workers = 8
	)
	f := newFixture(t, topo)
	f.exec(f.primary, "CREATE TABLE "+f.table+` (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0,
		c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k)) ENGINE=InnoDB`)
	f.exec(f.primary, fmt.Sprintf(`INSERT INTO %s (k, c, pad) SELECT seq * 7919 %% %d, RPAD(CONCAT(seq, '-'), 119, 'c'),
		RPAD(CONCAT(seq, '-'), 59, 'p') FROM seq_1_to_%d`, f.table, rows, rows))
	f.caughtUp()

	start := func(d time.Duration) (*loadgen.Generator, chan loadgen.Result) {
		gen, err := loadgen.New(loadgen.Config{DSN: f.topo.Primary.DSN(f.db), Table: f.table, Rate: rate,
			Workers: workers, Duration: d, Window: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		out := make(chan loadgen.Result, 1)
		go func() {
			res, err := gen.Run(context.Background())
			if err != nil {
				t.Errorf("load: %v", err)
			}
			out <- res
		}()
		select {
		case <-gen.Started():
		case <-time.After(time.Minute):
			t.Fatal("load did not start")
		}
		return gen, out
	}

	gen, done := start(10 * time.Minute)
	time.Sleep(5 * time.Second)
	ghostStart := time.Now()
	g := f.startGhost("load", map[string]string{"chunk-size": "1000"})
	g.succeed(5 * time.Minute)
	time.Sleep(2 * time.Second)
	gen.Stop()
	res := <-done
	st := res.Stats
	if st == nil {
		t.Fatal("no load statistics")
	}

	copyStart := g.waitLine(reMigrating, 0).at
	copyEnd := g.waitLine(reCopyComplete, 0).at
	cutStart := g.waitLine(reCuttingOver, 0).at
	cutEnd := g.waitLine(reCutOverDone, 0).at
	rep := loadReport{Rows: rows, Rate: rate, Workers: workers, CopySeconds: copyEnd.Sub(copyStart).Seconds()}
	if l, ok := g.find(reBlocked); ok {
		rep.GhostBlockedMs, _ = strconv.ParseInt(reBlocked.FindStringSubmatch(l.text)[1], 10, 64)
	}
	add := func(name string, s *loadgen.Stats, from, to time.Time) window {
		sum := s.Summary(from, to)
		w := window{Name: name, From: from, To: to, Writes: sum.Writes, Rate: sum.Rate(),
			P50: ms(sum.P50), P99: ms(sum.P99), Max: ms(sum.Max), Errors: sum.Errors}
		rep.Windows = append(rep.Windows, w)
		return w
	}
	add("before", st, st.Start(), ghostStart)
	add("copy", st, copyStart, copyEnd)
	cut := add("cut-over", st, cutStart, cutEnd.Add(time.Second))
	add("after", st, cutEnd.Add(time.Second), res.End)
	add("whole migration", st, ghostStart, cutEnd)

	var b strings.Builder
	fmt.Fprintf(&b, "load %.0f writes/s, %d workers, %d rows; copy %.1fs; ghost says the cut-over blocked writes %dms\n",
		rate, workers, rows, rep.CopySeconds, rep.GhostBlockedMs)
	fmt.Fprintf(&b, "%-16s %7s %8s %9s %9s %9s  %s\n", "window", "writes", "w/s", "p50 ms", "p99 ms", "max ms", "errors")
	for _, w := range rep.Windows {
		fmt.Fprintf(&b, "%-16s %7d %8.1f %9.1f %9.1f %9.1f  %s\n", w.Name, w.Writes, w.Rate, w.P50, w.P99, w.Max, errorSummary(w.Errors))
	}
	t.Log("\n" + b.String())
	js, _ := json.MarshalIndent(rep, "", "  ")
	path := filepath.Join(t.TempDir(), "latency.json")
	if err := os.WriteFile(path, js, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("%s:\n%s", path, js)
	if dir := os.Getenv(EnvReportDir); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "faults-load-latency.json"), js, 0o644); err != nil {
			t.Error(err)
		}
	}

	for _, w := range rep.Windows {
		if n := w.Errors[loadgen.ErrNoSuchTable]; n > 0 {
			t.Errorf("%s: %d writes failed with 1146 (table doesn't exist)", w.Name, n)
		}
	}
	if cut.Writes == 0 {
		t.Errorf("no write was scheduled across the cut-over")
	}
	if cut.Max > 3000 {
		t.Errorf("a write took %.0fms across the cut-over, want < 3s", cut.Max)
	}
	if c := f.columns(f.table); !slices.Contains(c, "w") {
		t.Errorf("t has columns %v, want w", c)
	}
}
