package faults

import (
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
	m := reBackfillStatus.FindStringSubmatch(st)
	if m == nil {
		t.Fatalf("not a backfill status: %q", st)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// TestBackfill runs `ghost backfill --set "s2 = s" --where "s2 IS NULL"` over 200k rows under
// 300 writes/s: the throttle flag file stops it within a chunk, SIGKILL stops it and the same
// command resumes from its checkpoint; the writers see no error; afterwards every row the
// writers never touched has s2 = s. A noop counts the rows it would change first.
func TestBackfill(t *testing.T) {
	f := newFixture(t, topo)
	const rows = 200000
	m := f.createTable(rows)
	f.exec(f.primary, "ALTER TABLE "+f.table+" ADD COLUMN s2 VARCHAR(64) NULL")
	f.caughtUp()
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4})
	throttle := filepath.Join(f.dir, "throttle")
	args := map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL", "chunk-size": "1000",
		"target-chunk-time": "0", "nice-ratio": "2", "checkpoint-seconds": "1", "throttle-flag-file": throttle}

	noop := f.startGhost("noop", map[string]string{"@command": "backfill", "alter": "-", "set": "s2 = s", "where": "s2 IS NULL", "execute": "-"})
	noop.succeed(time.Minute)
	if !strings.Contains(noop.output(), "noop: the backfill would change up to") || !strings.Contains(noop.output(), "UPDATE ") {
		t.Errorf("noop:\n%s", noop.output())
	}

	g := f.startGhost("first", args)
	g.waitLine(reBackfillStarted, time.Minute)
	eventually(t, time.Minute, "the backfill to examine rows", func() bool { return backfillExamined(t, g.status()) > 5000 })
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

	g = f.startGhost("rerun", args)
	g.succeed(5 * time.Minute)
	if _, ok := g.find(reBackfillResume); !ok {
		t.Errorf("the rerun did not resume:\n%s", g.output())
	}
	done := reBackfillDone.FindStringSubmatch(g.output())
	if done == nil {
		t.Fatalf("no summary:\n%s", g.output())
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
	var untouchedWrong int64
	ids := make([]string, 0, len(res.LastAt))
	for id := range res.LastAt {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	q := "SELECT COUNT(*) FROM " + f.table + " WHERE NOT (s2 <=> s)"
	if len(ids) > 0 {
		q += " AND id NOT IN (" + strings.Join(ids, ",") + ")"
	}
	f.primary.QueryRow(q).Scan(&untouchedWrong)
	if untouchedWrong != 0 {
		t.Errorf("%d rows the writers never touched have s2 <> s", untouchedWrong)
	}
	t.Logf("%s; rows s2 NULL left: %d; rows written by the writers: %d", done[0], nulls, len(res.LastAt))
}
