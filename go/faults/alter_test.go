package faults

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// TestDirectAlter runs ALTER TABLE t ADD COLUMN zz INT on the primary, behind ghost's back,
// while writers run. ghost reads the statement from the binary log, stops without cutting
// over, removes its tables and says why; the ALTER itself stays. The same statement on a
// table of the same name in another database is none of ghost's business.
func TestDirectAlter(t *testing.T) {
	t.Run("postponed", func(t *testing.T) {
		t.Parallel()
		testDirectAlter(t, "postponed")
	})
	t.Run("cut-over-waiting", func(t *testing.T) {
		t.Parallel()
		testDirectAlter(t, "cut-over-waiting")
	})
	t.Run("other-database", func(t *testing.T) {
		t.Parallel()
		testDirectAlter(t, "other-database")
	})
}

func testDirectAlter(t *testing.T, when string) {
	f := newFixture(t, topo)
	m := f.createTable(3000)
	w := f.startWriter(m, writerConfig{})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	args := map[string]string{"postpone-cut-over-flag-file": postpone}
	if when == "cut-over-waiting" {
		// The checksum before the cut-over waits on the throttle too: this case is about
		// the cut-over's own wait.
		args["checksum"] = "false"
	}
	g := f.startMigrating("alter", args)
	g.waitLine(rePostponed, 2*time.Minute)

	target := f.table
	paused := false
	switch when {
	case "cut-over-waiting":
		// The cut-over has begun but waits (here on a user throttle, as it would on lag or
		// between attempts): the ALTER reaches ghost in the state "cutting over", before
		// any lock is taken. No write follows it, so no row image of the new shape tells
		// ghost either.
		w.pause()
		paused = true
		g.send("throttle")
		remove(t, postpone)
		eventually(t, time.Minute, "the cut-over to wait on the throttle", func() bool {
			_, ok := g.find(reCuttingOver)
			return ok && strings.Contains(g.status(), "throttled")
		})
	case "other-database":
		other := "o" + f.db
		if len(other) > 64 {
			other = other[:64]
		}
		f.exec(f.primary, "CREATE DATABASE "+dbconn.QuoteIdent(other))
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			f.primary.ExecContext(ctx, "DROP DATABASE IF EXISTS "+dbconn.QuoteIdent(other))
		})
		target = dbconn.QuoteTable(other, f.table)
		f.exec(f.primary, "CREATE TABLE "+target+" (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(64) NOT NULL)")
		f.exec(f.primary, "CREATE TABLE "+dbconn.QuoteTable(other, f.ghostT())+" LIKE "+target)
	}
	f.exec(f.primary, "ALTER TABLE "+target+" ADD COLUMN zz INT")
	f.caughtUp()

	if when == "other-database" {
		time.Sleep(time.Second) // time for ghost to read the statements
		if !g.running() {
			t.Fatalf("ghost stopped over an ALTER of another database's table: %s", g.errorLine())
		}
		remove(t, postpone)
		g.succeed(defaultRunLimit)
		res := w.stop()
		checkWriter(f, res)
		if c := f.columns(f.table); !slices.Equal(c, []string{"id", "v", "s", "w"}) {
			t.Errorf("t has columns %v, want id v s w", c)
		}
		f.assertRows(f.table, res)
		return
	}
	if when == "cut-over-waiting" {
		time.Sleep(time.Second) // time for ghost to read the statement
		g.send("no-throttle")
	}
	code := g.wait(defaultRunLimit)
	if paused {
		w.resume()
	}
	time.Sleep(200 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)
	cols := f.columns(f.table)
	if code == 0 {
		t.Fatalf("ghost completed after ALTER TABLE ... ADD COLUMN zz on the original; t now has columns %v (the ALTER is lost)", cols)
	}
	msg := g.errorLine()
	if !strings.Contains(msg, "a statement changed") || !strings.Contains(msg, "ADD COLUMN zz") {
		if strings.Contains(msg, "altered") {
			t.Logf("ghost noticed the ALTER from a row image, not from the statement: %s", msg)
		} else {
			t.Errorf("error %q should say the table was altered", msg)
		}
	}
	if !slices.Equal(cols, []string{"id", "v", "s", "zz"}) {
		t.Errorf("t has columns %v, want the original's with zz", cols)
	}
	f.assertTables(f.table)
	f.assertRows(f.table, res)
}
