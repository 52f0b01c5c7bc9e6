package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// TestIncludeTriggers migrates a table whose triggers write every insert, update and delete
// into an audit table, under writes that go to the table and to a twin with the same triggers
// in one transaction each, and keep going after the swap. The twin gets the same ALTER
// natively. Afterwards the audit holds exactly as many entries for the table as for the twin
// (a trigger that fired twice for one write during the migration, or not at all after the
// swap, shows), the new table's triggers carry the suffix, and the rows equal the twin's.
func TestIncludeTriggers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	f.exec(f.primary, "CREATE TABLE audit (n BIGINT AUTO_INCREMENT PRIMARY KEY, src VARCHAR(8) NOT NULL, op CHAR(1) NOT NULL, ref BIGINT NOT NULL)")
	for _, tbl := range []string{f.table, f.table + "_twin"} {
		src := "t"
		if tbl != f.table {
			src = "twin"
		}
		f.exec(f.primary, "CREATE TABLE "+tbl+" (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(64) NOT NULL) ENGINE=InnoDB")
		f.exec(f.primary, fmt.Sprintf("INSERT INTO %s (id, v, s) SELECT seq, seq, CONCAT('init-', seq) FROM seq_1_to_3000", tbl))
		for _, tr := range []struct{ name, when, ref string }{
			{"ai", "AFTER INSERT", "NEW.id"}, {"au", "AFTER UPDATE", "NEW.id"}, {"bd", "BEFORE DELETE", "OLD.id"},
		} {
			f.exec(f.primary, fmt.Sprintf("CREATE TRIGGER %s_%s %s ON %s FOR EACH ROW INSERT INTO audit (src, op, ref) VALUES ('%s', '%s', %s)",
				tbl, tr.name, tr.when, tbl, src, tr.name[1:2], tr.ref))
		}
	}
	f.caughtUp()

	// Writers: each owns the ids of its residue, writes the same change to both tables in
	// one transaction.
	const workers = 4
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			next := int64(3000 + w + 1)
			for ctx.Err() == nil {
				var q string
				var args []any
				switch rng.IntN(3) {
				case 0:
					q, args = "INSERT INTO %s (id, v, s) VALUES (?, ?, 'new')", []any{next, rng.Int64N(1000)}
					next += workers
				case 1:
					q, args = "UPDATE %s SET v = v + 1, s = 'upd' WHERE id = ?", []any{int64(1 + rng.IntN(3000/workers)*workers + w)}
				default:
					q, args = "DELETE FROM %s WHERE id = ?", []any{int64(1 + rng.IntN(3000/workers)*workers + w)}
				}
				tx, err := f.primary.BeginTx(context.Background(), nil)
				if err == nil {
					_, err = tx.Exec(fmt.Sprintf(q, f.table), args...)
					if err == nil {
						_, err = tx.Exec(fmt.Sprintf(q, f.table+"_twin"), args...)
					}
					if err == nil {
						err = tx.Commit()
					} else {
						tx.Rollback()
					}
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	defer func() { stop(); wg.Wait() }()

	// The cut-over is held back a while so that many writes reach the ghost table through
	// the binlog while it has no triggers.
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g := f.startGhost("triggers", map[string]string{"include-triggers": "", "trigger-suffix": "_v2", "postpone-cut-over-flag-file": postpone,
		"analyze-ghost-table-before-cutover": ""})
	g.waitLine(rePostponed, 2*time.Minute)
	time.Sleep(1500 * time.Millisecond)
	remove(t, postpone)
	g.succeed(defaultRunLimit)
	applied := g.output()
	if _, ok := g.find(regexp.MustCompile(`msg="ghost table analyzed"`)); !ok {
		t.Errorf("--analyze-ghost-table-before-cutover: no log line says the ghost table was analyzed")
	}
	f.exec(f.primary, "ALTER TABLE "+f.table+"_twin "+alterAddW)
	time.Sleep(time.Second) // writes go on against the new table and its triggers
	stop()
	wg.Wait()
	for _, err := range errs {
		t.Errorf("writer: %v", err)
	}

	trg := f.strings("SELECT CONCAT(TRIGGER_NAME, ' ', EVENT_OBJECT_TABLE) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1", f.db)
	for _, want := range []string{f.table + "_ai_v2 " + f.table, f.table + "_au_v2 " + f.table, f.table + "_bd_v2 " + f.table,
		f.table + "_ai " + f.oldT(), f.table + "_bd " + f.oldT()} {
		if !slices.Contains(trg, want) {
			t.Errorf("triggers %v: %q missing", trg, want)
		}
	}
	counts := f.strings("SELECT CONCAT(op, ' ', SUM(src = 't'), ' ', SUM(src = 'twin')) FROM audit GROUP BY op ORDER BY op")
	for _, c := range counts {
		p := strings.Fields(c)
		if len(p) != 3 || p[1] != p[2] {
			t.Errorf("audit entries per operation (op, table, twin): %v; the table's triggers fired a different number of times than the twin's", counts)
			break
		}
	}
	t.Logf("audit entries (op, table, twin): %v; %s", counts, lastLine(applied, "Done:"))
	if cols := f.columns(f.table); !slices.Contains(cols, "w") {
		t.Errorf("t has columns %v, want w", cols)
	}
	diff := f.strings(fmt.Sprintf("SELECT COUNT(*) FROM %s a LEFT JOIN %s_twin b USING (id) WHERE b.id IS NULL OR NOT (a.v <=> b.v AND a.s <=> b.s AND a.w <=> b.w)", f.table, f.table))
	if len(diff) != 1 || diff[0] != "0" {
		t.Errorf("rows of the table missing or different in the twin: %v", diff)
	}
	diff = f.strings(fmt.Sprintf("SELECT COUNT(*) FROM %s_twin b LEFT JOIN %s a USING (id) WHERE a.id IS NULL", f.table, f.table))
	if len(diff) != 1 || diff[0] != "0" {
		t.Errorf("rows of the twin missing in the table: %v", diff)
	}
}

// TestIncludeTriggersRefused: without --include-triggers a table with triggers is refused
// with its line; a trigger that does not fit the new schema is refused at the noop; nothing
// is left behind either way.
func TestIncludeTriggersRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo)
	f.createTable(100)
	f.exec(f.primary, "CREATE TABLE audit (ref BIGINT NOT NULL)")
	f.exec(f.primary, "CREATE TRIGGER trg_s AFTER UPDATE ON "+f.table+" FOR EACH ROW INSERT INTO audit (ref) VALUES (LENGTH(NEW.s))")
	for _, c := range []struct {
		extra map[string]string
		want  string
	}{
		{map[string]string{}, "has triggers (trg_s)"},
		{map[string]string{"include-triggers": ""}, "--include-triggers needs --trigger-suffix"},
		{map[string]string{"include-triggers": "", "trigger-suffix": "_v2", "alter": "DROP COLUMN s"}, "triggers do not fit the new schema"},
	} {
		g := f.startGhost("refused", c.extra)
		msg := g.fail(time.Minute)
		if !strings.Contains(msg, c.want) {
			t.Errorf("%v: error %q, want it to say %q", c.extra, msg, c.want)
		}
		f.assertTables("audit", f.table)
	}
}

// strings runs a query on the primary and returns its first column.
func (f *fixture) strings(q string, args ...any) []string {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	return topotest.Strings(ctx, f.t, f.primary, q, args...)
}

// lastLine is the last line of out that starts with prefix.
func lastLine(out, prefix string) string {
	var found string
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, prefix); i >= 0 {
			found = l[i:]
		}
	}
	return found
}
