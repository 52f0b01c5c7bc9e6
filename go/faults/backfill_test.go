package faults

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	reBackfillStatus  = regexp.MustCompile(`Backfill: (\d+)/\d+ [0-9.]+% examined; changed: (\d+)`)
	reBackfillResume  = regexp.MustCompile(`resuming backfill from checkpoint of`)
	reBackfillDone    = regexp.MustCompile(`Done: \S+ backfilled; rows examined: (\d+), changed: (\d+) \(by this run\)`)
	reBackfillStarted = regexp.MustCompile(`msg=state .*state=migrating`)
)

func backfillExamined(t *testing.T, st string) int64 {
	t.Helper()
	return statusCount(t, reBackfillStatus, st, "backfill count")
}

// backfillFixture: a table of n rows with an empty column s2 to backfill, replicated, and
// writers at 300 writes/s on it.
func backfillFixture(t *testing.T, n int) (*fixture, *writer) {
	f := newFixture(t, topo)
	m := f.createTable(n)
	f.exec(f.primary, "ALTER TABLE "+f.table+" ADD COLUMN s2 VARCHAR(64) NULL")
	f.caughtUp()
	return f, f.startWriter(m, writerConfig{Rate: 300, Workers: 4})
}

// TestBackfill runs `ghost backfill --set "s2 = s" --where "s2 IS NULL"` over 200k rows under
// 300 writes/s: the throttle flag file stops it within a chunk, SIGKILL stops it and the same
// command resumes from its checkpoint; the writers see no error; afterwards every row the
// writers never touched has s2 = s. A noop counts the rows it would change first.
func TestBackfill(t *testing.T) {
	const rows = 200000
	f, w := backfillFixture(t, rows)
	throttle := filepath.Join(f.dir, "throttle")
	args := map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL", "chunk-size": "1000",
		"target-chunk-time": "0", "nice-ratio": "2", "checkpoint-seconds": "1", "throttle-flag-file": throttle}

	addr := freePort(t)
	args["metrics-address"] = addr
	noop := f.startGhost("noop", map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL", "execute": "-"})
	noop.succeed(time.Minute)
	if !strings.Contains(noop.output(), "noop: the backfill would change up to") || !strings.Contains(noop.output(), "UPDATE ") {
		t.Errorf("noop:\n%s", noop.output())
	}

	g := f.startGhost("first", args)
	g.waitLine(reBackfillStarted, time.Minute)
	eventually(t, time.Minute, "the backfill to examine rows", func() bool { return backfillExamined(t, g.status()) > 5000 })
	// Its metrics and its status as JSON, as a migration's.
	if v := metricValue(t, scrape(t, addr), "ghost_rows_copied_total", `table="`+f.table+`"`); v < 5000 {
		t.Errorf("ghost_rows_copied_total = %v during the backfill", v)
	}
	if js := g.send("status json"); !strings.Contains(js, `"rows_copied":`) {
		t.Errorf("status json during the backfill: %s", js)
	}
	touch(t, throttle)
	eventually(t, 30*time.Second, "the backfill to be throttled", func() bool { return strings.Contains(g.status(), "throttled") })
	a := backfillExamined(t, g.status())
	time.Sleep(1500 * time.Millisecond)
	if b := backfillExamined(t, g.status()); b-a > 1000 {
		t.Errorf("throttled, the backfill still examined %d rows (a chunk is 1000)", b-a)
	}
	remove(t, throttle)
	eventually(t, time.Minute, "a checkpoint", func() bool { return backfillExamined(t, g.status()) > a+5000 })
	time.Sleep(1200 * time.Millisecond)
	g.kill()
	g.wait(time.Minute)

	summary := filepath.Join(f.dir, "summary.json")
	args["summary-file"] = summary
	g = f.startGhost("rerun", args)
	g.succeed(5 * time.Minute)
	if _, ok := g.find(reBackfillResume); !ok {
		t.Errorf("the rerun did not resume:\n%s", g.output())
	}
	done := reBackfillDone.FindStringSubmatch(g.output())
	if done == nil {
		t.Fatalf("no summary:\n%s", g.output())
	}
	// The summary file carries the backfill's figures, the same as its last line.
	var rep struct {
		Outcome  string
		Backfill *struct {
			Set          string
			RowsExamined int64 `json:"rows_examined"`
			RowsChanged  int64 `json:"rows_changed"`
		}
	}
	if b, err := os.ReadFile(summary); err != nil {
		t.Error(err)
	} else if err := json.Unmarshal(b, &rep); err != nil || rep.Backfill == nil {
		t.Errorf("summary file %s: %v", b, err)
	} else if fmt.Sprint(rep.Backfill.RowsExamined) != done[1] || fmt.Sprint(rep.Backfill.RowsChanged) != done[2] || rep.Backfill.Set != "s2 = s" || rep.Outcome != "success" {
		t.Errorf("summary file says %+v %+v; the last line: %s", rep, *rep.Backfill, done[0])
	}
	res := w.stop()
	checkWriter(f, res)
	f.assertTables(f.table)
	// Rows the writers never touched must have s2 = s; touched ones may have been written after
	// their chunk passed.
	var wrong, nulls int64
	f.primary.QueryRow("SELECT COUNT(*) FROM "+f.table+" WHERE NOT (s2 <=> s) AND id <= ?", rows).Scan(&wrong)
	var touched int64
	for id := range res.LastAt {
		if id <= rows {
			touched++
		}
	}
	f.primary.QueryRow("SELECT COUNT(*) FROM " + f.table + " WHERE s2 IS NULL").Scan(&nulls)
	if wrong > touched {
		t.Errorf("%d rows have s2 <> s, more than the %d rows the writers touched", wrong, touched)
	}
	if n := f.untouchedNotBackfilled(res); n != 0 {
		t.Errorf("%d rows the writers never touched have s2 <> s", n)
	}
	t.Logf("%s; rows s2 NULL left: %d; rows written by the writers: %d", done[0], nulls, len(res.LastAt))
}

// TestExpandContractRename renames s to s2 in the six steps of expand-contract while writers
// keep writing (300/s), every database step run by ghost:
//  1. expand: a migration adds s2 (and lets s be NULL, for the writers that will stop writing it);
//  2. the writers write both s and s2 (dual-write);
//  3. ghost backfill copies s into s2 for the rows written before;
//  4. reads switch to s2: it holds every row's text (checked);
//  5. the writers stop writing s;
//  6. contract: a migration drops s and makes s2 NOT NULL.
//
// The writers see no error at any step, and the table ends with exactly their rows in s2.
func TestExpandContractRename(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(50000)
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4})
	f.startMigrating("expand", map[string]string{"alter": "ADD COLUMN s2 VARCHAR(64) NULL, MODIFY s VARCHAR(64) NULL"}).succeed(3 * time.Minute)
	res := w.stop()
	checkWriter(f, res)

	w = f.startWriter(res.Model, writerConfig{Rate: 300, Workers: 4, Columns: []string{"s", "s2"}})
	g := f.startGhost("backfill", map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL"})
	g.succeed(3 * time.Minute)
	res = w.stop()
	checkWriter(f, res)
	f.caughtUp()
	if got := f.readRowsOf(f.table, "s2"); len(got) != len(res.Model) {
		t.Errorf("after the backfill s2 has %d rows, the writers' model %d", len(got), len(res.Model))
	} else {
		for id, r := range res.Model {
			if got[id] != r && !res.Uncertain[id] {
				t.Errorf("after the backfill, id %d: s2 %q, want %q", id, got[id].S, r.S)
				break
			}
		}
	}

	w = f.startWriter(res.Model, writerConfig{Rate: 300, Workers: 4, Columns: []string{"s2"}})
	f.startMigrating("contract", map[string]string{"alter": "DROP COLUMN s, MODIFY s2 VARCHAR(64) NOT NULL", "initially-drop-old-table": ""}).succeed(3 * time.Minute)
	res = w.stop()
	checkWriter(f, res)
	f.caughtUp()
	if cols := f.columns(f.table); strings.Join(cols, ",") != "id,v,s2" {
		t.Errorf("columns after the contract: %v", cols)
	}
	got := f.readRowsOf(f.table, "s2")
	bad := 0
	for id, r := range res.Model {
		if got[id] != r && !res.Uncertain[id] {
			bad++
		}
	}
	if bad > 0 || len(got) != len(res.Model) {
		t.Errorf("after the contract: %d rows differ; %d rows, want %d", bad, len(got), len(res.Model))
	}
	t.Logf("%s", g.output()[strings.LastIndex(g.output(), "Done:"):])
}

// TestBackfillAgainstOneStatement measures what the application feels: the writers' latency
// (open loop, 300 writes/s) while the same change runs as one UPDATE statement, and while ghost
// backfill runs it chunk by chunk. It logs the figures (timing is not asserted) and checks the
// backfill's result.
func TestBackfillAgainstOneStatement(t *testing.T) {
	const rows = 200000
	f, w := backfillFixture(t, rows)
	time.Sleep(2 * time.Second)
	start := time.Now()
	f.exec(f.primary, "UPDATE "+f.table+" SET s2 = s")
	one := time.Since(start)
	oneEnd := time.Now()
	time.Sleep(2 * time.Second)
	f.exec(f.primary, "UPDATE "+f.table+" SET s2 = NULL")
	f.caughtUp()
	time.Sleep(2 * time.Second)
	bstart := time.Now()
	g := f.startGhost("backfill", map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL"})
	g.succeed(3 * time.Minute)
	bend := time.Now()
	res := w.stop()
	// The one-statement UPDATE may deadlock a writer or outlast its lock wait: the writers'
	// errors are counted below, not refused.
	checkWriter(f, res, "1213", "1205")
	if n := f.untouchedNotBackfilled(res); n != 0 {
		t.Errorf("%d rows the writers never touched have s2 <> s after the backfill", n)
	}
	before := res.Stats.Summary(start.Add(-2*time.Second), start)
	during1 := res.Stats.Summary(start, oneEnd)
	during2 := res.Stats.Summary(bstart, bend)
	t.Logf("one UPDATE of %d rows: %s (%.0f rows/s); writers p99 %s, max %s (before: p99 %s)", rows, one.Round(time.Millisecond),
		float64(rows)/one.Seconds(), during1.P99, during1.Max, before.P99)
	t.Logf("ghost backfill: %s (%.0f rows/s, start to exit); writers p99 %s, max %s; writers' errors in all: %v", bend.Sub(bstart).Round(time.Millisecond),
		float64(rows)/bend.Sub(bstart).Seconds(), during2.P99, during2.Max, res.Errors)
}

// untouchedNotBackfilled counts the rows of t the writers never wrote whose s2 is not s: a
// backfill of s2 = s must leave none (a row written after its chunk passed may differ).
func (f *fixture) untouchedNotBackfilled(res writerResult) int64 {
	f.t.Helper()
	ids := make([]string, 0, len(res.LastAt))
	for id := range res.LastAt {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	q := "SELECT COUNT(*) FROM " + f.table + " WHERE NOT (s2 <=> s)"
	if len(ids) > 0 {
		q += " AND id NOT IN (" + strings.Join(ids, ",") + ")"
	}
	var n int64
	if err := f.primary.QueryRow(q).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}
