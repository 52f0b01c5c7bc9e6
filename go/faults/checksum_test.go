package faults

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// alterChecksum changes the type of s, so that injections there test the conversion too.
const alterChecksum = "MODIFY s VARCHAR(100) NOT NULL, ADD COLUMN w INT NOT NULL DEFAULT 7"

var reSummaryChecksum = regexp.MustCompile(`Done: .* checksum: (\d+) chunks, (\d+) differed, (\d+) repaired`)

// primaryUnlogged runs statements on the primary in a session that writes no binlog: changes
// to the original that never reach the binlog ghost reads.
func (f *fixture) primaryUnlogged(stmts ...string) {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	conn, err := f.primary.Conn(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range append([]string{"SET SESSION sql_log_bin = 0"}, stmts...) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
	}
	conn.ExecContext(context.Background(), "SET SESSION sql_log_bin = 1")
}

// TestChecksumRepairs: while the cut-over is postponed, the original is changed behind the
// binlog (sql_log_bin=0 on the primary: an update, a delete, an insert) and the ghost table
// is changed by hand (a row inserted, one deleted, one changed in the column whose type the
// ALTER changes, one in another). The socket's checksum finds and repairs them; a
// difference made after it is found and repaired by the checksum before the cut-over. The
// result equals the writers' rows and the native ALTER of their twin, row for row.
func TestChecksumRepairs(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(30000)
	avoid := []int64{1, 2, 3, 4, 5, 6}
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4, Avoid: avoid})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g := f.startMigrating("migrate", map[string]string{"alter": alterChecksum, "postpone-cut-over-flag-file": postpone, "threads": "2"})
	g.waitLine(rePostponed, 2*time.Minute)

	f.primaryUnlogged(
		"UPDATE "+f.table+" SET v = v + 1000 WHERE id = 1",
		"DELETE FROM "+f.table+" WHERE id = 2",
		"INSERT INTO "+f.table+" (id, v, s) VALUES (-5, 5, 'unlogged')")
	f.exec(f.primary, "INSERT INTO "+f.ghostT()+" (id, v, s, w) VALUES (900000000, 1, 'stray', 7)")
	f.exec(f.primary, "DELETE FROM "+f.ghostT()+" WHERE id = 3")
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET s = 'a value only the new type holds, longer than sixty-four characters......' WHERE id = 4")
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET v = 0 WHERE id = 5")

	if reply := g.send("checksum"); !strings.HasPrefix(reply, "Checksum started") {
		t.Fatalf("checksum on the socket answered %q", reply)
	}
	var st string
	eventually(t, 2*time.Minute, "the socket's checksum to end", func() bool {
		st = g.status()
		return strings.Contains(st, "Checksum: ") && !strings.Contains(st, "Checksum: round")
	})
	mm := reStatusChecksum.FindStringSubmatch(st)
	if mm == nil {
		t.Fatalf("status after the checksum: %q", st)
	}
	if d, r := mm[2], mm[3]; d == "0" || d != r {
		t.Errorf("the socket's checksum: %s; want the differing chunks found and all repaired", mm[0])
	}

	// One more difference after it: the checksum before the cut-over finds it.
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET v = v - 1 WHERE id = 6")
	remove(t, postpone)
	g.succeed(3 * time.Minute)
	done := reSummaryChecksum.FindStringSubmatch(g.output())
	if done == nil {
		t.Fatalf("no checksum in the summary:\n%s", g.output())
	}
	if done[2] != "1" || done[3] != "1" {
		t.Errorf("the checksum before the cut-over: %s; want 1 differed, 1 repaired", done[0])
	}
	t.Logf("socket: %s; before the cut-over: %s", mm[0], done[0])
	for _, l := range g.findAll(regexp.MustCompile(`checksum: the ghost table differs`)) {
		t.Logf("%s", l.text)
	}
	res := w.stop()
	checkWriter(f, res)
	res.Model[1] = row{V: m[1].V + 1000, S: m[1].S}
	delete(res.Model, 2)
	res.Model[-5] = row{V: 5, S: "unlogged"}
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, alterChecksum)
}

var reStatusChecksum = regexp.MustCompile(`Checksum: (\d+) chunks, (\d+) differed, (\d+) repaired`)

// TestChecksumUnrepairable: a trigger on the ghost table spoils a row every time it is written,
// so no repair makes the chunk equal: after --checksum-repair-rounds the migration stops
// before the cut-over, exit non-zero, with a line naming the chunk, the original untouched.
func TestChecksumUnrepairable(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(5000)
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g := f.startMigrating("migrate", map[string]string{"postpone-cut-over-flag-file": postpone, "checksum-repair-rounds": "2"})
	g.waitLine(rePostponed, 2*time.Minute)
	f.exec(f.primary, "CREATE TRIGGER spoil BEFORE INSERT ON "+f.ghostT()+" FOR EACH ROW SET NEW.v = IF(NEW.id = 10, -1, NEW.v)")
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET v = -1 WHERE id = 10")
	remove(t, postpone)
	line := g.fail(3 * time.Minute)
	if !strings.Contains(line, "checksum: the ghost table still differs from the original in 1 chunk(s) after 2 repair round(s): keys") ||
		!strings.Contains(line, "the original table is in place") {
		t.Errorf("unrepairable difference: %q", line)
	}
	if strings.Contains(g.output(), "cut-over complete") {
		t.Error("the migration cut over")
	}
	f.assertTables(f.table)
	if cols := f.columns(f.table); strings.Join(cols, ",") != "id,v,s" {
		t.Errorf("the original has columns %v", cols)
	}
	f.assertRows(f.table, writerResult{Model: m})
	t.Logf("%s", line)
}

// TestChecksumOff: --checksum=false cuts over without one and says so in the summary.
func TestChecksumOff(t *testing.T) {
	f := newFixture(t, topo)
	m := f.createTable(1000)
	g := f.startMigrating("migrate", map[string]string{"checksum": "false"})
	g.succeed(2 * time.Minute)
	if !strings.Contains(g.output(), "checksum: skipped (--checksum=false)") {
		t.Errorf("the summary does not say the checksum was skipped:\n%s", g.output())
	}
	f.assertRows(f.table, writerResult{Model: m})
}

// TestChecksumSegments: with --checksum-snapshot-max-age 100ms the checksum of 120,000 rows
// (120 chunks) is taken at several consistent points, each after the chunks the last one
// checked, under writes. Two rows of the ghost table changed by hand, one in the first chunk
// and one near the end (checked at a later point), are both found and repaired; the result
// equals the writers' rows and the native ALTER's twin.
func TestChecksumSegments(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	m := f.createTable(120000)
	w := f.startWriter(m, writerConfig{Rate: 300, Workers: 4, Avoid: []int64{5, 118000}})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g := f.startMigrating("segments", map[string]string{"postpone-cut-over-flag-file": postpone, "chunk-size": "1000",
		"checksum-snapshot-max-age": "100ms"})
	g.waitLine(rePostponed, 2*time.Minute)
	f.exec(f.primary, "UPDATE "+f.ghostT()+" SET v = 0 WHERE id IN (5, 118000)")
	remove(t, postpone)
	g.succeed(3 * time.Minute)
	done := regexp.MustCompile(`checksum: (\d+) chunks, (\d+) differed, (\d+) repaired, in \S+ \(writers held \d+ms at most, at each of (\d+) consistent points\)`).FindStringSubmatch(g.output())
	if done == nil {
		t.Fatalf("no checksum at several consistent points in the output:\n%s", g.output())
	}
	if done[2] != "2" || done[3] != "2" {
		t.Errorf("%s; want 2 differed, 2 repaired", done[0])
	}
	if n, _ := strconv.Atoi(done[4]); n < 3 {
		t.Errorf("%s; want at least 3 points (2 for the first round, 1 for the repair round)", done[0])
	}
	t.Logf("%s", done[0])
	res := w.stop()
	checkWriter(f, res)
	f.caughtUp()
	f.assertRows(f.table, res)
	f.assertNativeTwin(f.table, res, alterAddW)
}
