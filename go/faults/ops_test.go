package faults

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// summary is the part of --summary-file the tests read.
type summary struct {
	Outcome      string   `json:"outcome"`
	ExitStatus   int      `json:"exit_status"`
	Error        string   `json:"error"`
	Hint         string   `json:"hint"`
	RowsCopied   int64    `json:"rows_copied"`
	CutOverDone  bool     `json:"cut_over_done"`
	TablesLeft   []string `json:"tables_left"`
	LastState    string   `json:"last_state"`
	CopySeconds  float64  `json:"copy_seconds"`
	Checksum     *struct{ Chunks, Differed, Repaired int }
	CutOverBlock int64 `json:"cut_over_blocked_ms"`
}

func readSummary(t *testing.T, path string) summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("summary file: %v", err)
	}
	var s summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary file %s: %v", b, err)
	}
	return s
}

// freePort is a loopback address nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// metricValue reads one sample of a scrape, matched by name and a label fragment.
func metricValue(t *testing.T, body, name, labels string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + name + `\{([^}]*)\} (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[1], labels) {
			v, err := strconv.ParseFloat(m[2], 64)
			if err != nil {
				t.Fatalf("%s: %v", m[0], err)
			}
			return v
		}
	}
	t.Fatalf("no sample %s{...%s...} in the scrape:\n%s", name, labels, body)
	return 0
}

// TestMetricsStatusJSONAndSummary: a migration serves Prometheus metrics whose values move
// (rows copied, state), answers "status json" with one object, prints JSON status lines with
// --status-format json, and writes a summary file at exit.
func TestMetricsStatusJSONAndSummary(t *testing.T) {
	f := newFixture(t, topo)
	f.createTable(20000)
	addr := freePort(t)
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	sum := filepath.Join(f.dir, "summary.json")
	g := f.startMigrating("metrics", map[string]string{"metrics-address": addr, "summary-file": sum, "status-format": "json",
		"postpone-cut-over-flag-file": postpone, "chunk-size": "1000", "nice-ratio": "1"})
	first := scrape(t, addr)
	g.waitLine(rePostponed, 2*time.Minute)
	second := scrape(t, addr)
	for _, name := range []string{"ghost_rows_estimated", "ghost_events_applied_total", "ghost_backlog_capacity", "ghost_replica_lag_seconds",
		"ghost_heartbeat_lag_seconds", "ghost_chunk_size_rows", "ghost_chunk_seconds", "ghost_cut_over_attempts_total", "ghost_checkpoint_age_seconds"} {
		metricValue(t, second, name, `table="`+f.table+`"`)
	}
	if a, b := metricValue(t, first, "ghost_rows_copied_total", `table="`+f.table+`"`), metricValue(t, second, "ghost_rows_copied_total", `table="`+f.table+`"`); b <= a || b < 20000 {
		t.Errorf("ghost_rows_copied_total %v then %v, want it to move up to the table's 20000 rows", a, b)
	}
	if v := metricValue(t, second, "ghost_state", `state="postponing cut-over"`); v != 1 {
		t.Errorf("ghost_state{state=\"postponing cut-over\"} = %v while postponed", v)
	}
	if v := metricValue(t, second, "ghost_throttled", `reason=""`); v != 0 {
		t.Errorf("ghost_throttled = %v, not throttled", v)
	}
	g.send("throttle")
	eventually(t, 30*time.Second, "ghost_throttled{reason=commanded by user} 1", func() bool {
		return strings.Contains(scrape(t, addr), `ghost_throttled{database="`+f.db+`",reason="commanded by user",table="`+f.table+`"} 1`)
	})
	g.send("no-throttle")

	var st map[string]any
	if err := json.Unmarshal([]byte(g.send("status json")), &st); err != nil {
		t.Fatalf("status json: %v", err)
	}
	if st["state"] != "postponing cut-over" || st["rows_copied"].(float64) < 20000 || st["cut_over_postponed"] != true {
		t.Errorf("status json: %v", st)
	}
	remove(t, postpone)
	g.succeed(2 * time.Minute)
	lines := 0
	for _, l := range strings.Split(g.output(), "\n") {
		if i := strings.Index(l, "out| {"); i >= 0 {
			var obj map[string]any
			if err := json.Unmarshal([]byte(l[i+5:]), &obj); err != nil {
				t.Errorf("a status line is not JSON: %s: %v", l, err)
			}
			lines++
		}
	}
	if lines < 2 {
		t.Errorf("%d JSON status lines on stdout", lines)
	}
	s := readSummary(t, sum)
	if s.Outcome != "success" || s.ExitStatus != 0 || s.RowsCopied < 20000 || !s.CutOverDone || s.Checksum == nil || s.Checksum.Chunks == 0 ||
		!slices.Equal(s.TablesLeft, []string{f.oldT(), f.checkpointT()}) {
		t.Errorf("summary of a success: %+v", s)
	}
	t.Logf("scrape sample:\n%s", grepLines(second, "ghost_rows_copied_total|ghost_state\\{.*postponing|ghost_throttled"))
}

func grepLines(s, pattern string) string {
	re := regexp.MustCompile(pattern)
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if re.MatchString(l) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestExitStatuses: each class of outcome has its exit status and summary: refused (a bad
// ALTER: 2), aborted (panic on the socket: 3), failed before the cut-over (a checksum that
// cannot be repaired: 1, in TestChecksumUnrepairable's way), failed after the cut-over began
// (the revert window's sync meets a value the old schema cannot hold: 4).
func TestExitStatuses(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(3000)
	sum := filepath.Join(f.dir, "summary.json")
	check := func(name string, g *ghost, code int, outcome string, tables []string) summary {
		t.Helper()
		if got := g.wait(3 * time.Minute); got != code {
			t.Errorf("%s: exit %d, want %d; error: %s", name, got, code, g.errorLine())
		}
		s := readSummary(t, sum)
		if s.Outcome != outcome || s.ExitStatus != code || (code != 0 && s.Error == "") {
			t.Errorf("%s: summary %+v, want outcome %s", name, s, outcome)
		}
		if tables != nil && !slices.Equal(s.TablesLeft, tables) {
			t.Errorf("%s: summary says tables left %v, want %v", name, s.TablesLeft, tables)
		}
		os.Remove(sum)
		return s
	}

	g := f.startGhost("refused", map[string]string{"alter": "ADD COLUMN nope nope", "summary-file": sum})
	s := check("refused", g, 2, "refused", []string{})
	if s.Hint == "" {
		t.Errorf("refused: the summary has no hint: %+v", s)
	}
	f.assertTables(f.table)

	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g = f.startMigrating("aborted", map[string]string{"postpone-cut-over-flag-file": postpone, "summary-file": sum})
	g.waitLine(rePostponed, 2*time.Minute)
	g.send("panic")
	check("aborted", g, 3, "aborted", []string{})
	f.assertTables(f.table)

	g = f.startMigrating("failed", map[string]string{"postpone-cut-over-flag-file": postpone, "summary-file": sum, "checksum-repair-rounds": "1"})
	g.waitLine(rePostponed, 2*time.Minute)
	f.exec(f.primary, "CREATE TRIGGER spoil BEFORE INSERT ON "+f.ghostT()+" FOR EACH ROW SET NEW.v = IF(NEW.id = 10, -1, NEW.v)")
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET v = -1 WHERE id = 10")
	remove(t, postpone)
	check("failed", g, 1, "failed", []string{})
	f.assertTables(f.table)
	f.assertRows(f.table, writerResult{Model: m})

	g = f.startMigrating("after-cut-over", map[string]string{"alter": "MODIFY s VARCHAR(200) NOT NULL", "keep-old-table-in-sync": "2m", "summary-file": sum})
	g.waitLine(reKeepingSync, 3*time.Minute)
	f.exec(f.primary, "UPDATE "+f.table+" SET s = ? WHERE id = 7", strings.Repeat("y", 150))
	s = check("after-cut-over", g, 4, "failed-after-cut-over", nil)
	if !strings.Contains(g.errorLine(), "is done, but keeping the old table in sync for a revert failed") {
		t.Errorf("after the cut-over: %s", g.errorLine())
	}
	if typ := f.columnType(f.table, "s"); typ != "varchar(200)" {
		t.Errorf("the migrated table's s is %s", typ)
	}
	t.Logf("%s", fmt.Sprint(s))
}
