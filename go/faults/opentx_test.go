package faults

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOpenTransaction leaves a transaction open on the table (BEGIN; UPDATE one row) when
// the cut-over starts. With --cut-over-lock-timeout-seconds 1 every attempt's LOCK TABLES
// gives up after about a second, so writers queued behind it wait no longer than that;
// after --default-retries attempts ghost fails naming the blocking connection and leaves
// the original table alone. When the transaction commits after the first attempt, the
// next attempt succeeds.
func TestOpenTransaction(t *testing.T) {
	t.Run("never-commits", func(t *testing.T) {
		t.Parallel()
		testOpenTransaction(t, false)
	})
	t.Run("commits-after-first-attempt", func(t *testing.T) {
		t.Parallel()
		testOpenTransaction(t, true)
	})
}

func testOpenTransaction(t *testing.T, commit bool) {
	f := newFixture(t, topo)
	const heldID = 10
	m := f.createTable(3000)
	w := f.startWriter(m, writerConfig{Avoid: []int64{heldID}})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	g := f.startMigrating("opentx", map[string]string{
		"postpone-cut-over-flag-file":   postpone,
		"cut-over-lock-timeout-seconds": "1",
		"default-retries":               "3",
	})
	g.waitLine(rePostponed, 2*time.Minute)

	ctx := context.Background()
	conn, err := f.primary.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var holder int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&holder); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "UPDATE "+f.table+" SET s = 'held' WHERE id = ?", heldID); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	remove(t, postpone)
	if commit {
		g.waitLine(reAttemptFail, time.Minute)
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			t.Fatal(err)
		}
		g.succeed(defaultRunLimit)
	} else {
		msg := g.fail(2 * time.Minute)
		if !strings.Contains(msg, "cut-over failed 3 times") {
			t.Errorf("error %q should say the cut-over failed 3 times", msg)
		}
		if !strings.Contains(msg, fmt.Sprintf("connection %d ", holder)) {
			t.Errorf("error %q should name the blocking connection %d", msg, holder)
		}
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
	}
	end := time.Now()
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)
	if commit {
		v := res.Model[heldID]
		v.S = "held"
		res.Model[heldID] = v
	}

	attempts := g.findAll(reAttemptFail)
	worst := res.Stats.Longest(start, end)
	during := res.Stats.Summary(start, end).OK
	t.Logf("held by connection %d; %d failed attempts in %s; writers: %d writes meanwhile, max latency %s",
		holder, len(attempts), end.Sub(start).Round(time.Millisecond), during, worst.Round(time.Millisecond))
	if worst > 2500*time.Millisecond {
		t.Errorf("a write waited %s across the cut-over attempts; each attempt should block writers about 1s at most", worst)
	}
	if during == 0 {
		t.Errorf("no write went through between the attempts")
	}
	if commit {
		if len(attempts) < 1 {
			t.Errorf("want at least one failed attempt before the commit")
		}
		if c := f.columns(f.table); !slices.Contains(c, "w") {
			t.Errorf("t has columns %v, want w", c)
		}
		f.assertTables(f.table, f.oldT())
	} else {
		if len(attempts) != 3 {
			t.Errorf("%d failed attempts logged, want 3", len(attempts))
		}
		if c := f.columns(f.table); !slices.Equal(c, []string{"id", "v", "s"}) {
			t.Errorf("t has columns %v, want the original's", c)
		}
		f.assertTables(f.table)
	}
	f.assertRows(f.table, res)
}
