package faults

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// TestZeroDatesServerMode runs on servers whose own sql_mode forbids zero dates
// (NO_ZERO_DATE, NO_ZERO_IN_DATE, strict). ghost creates and alters the ghost table under that
// mode, so what the server's own ALTER refuses ghost refuses too, with nothing left behind;
// --allow-zero-in-date lets it through as gh-ost does; zero dates already stored in the rows
// survive the copy either way.
func TestZeroDatesServerMode(t *testing.T) {
	t.Parallel()
	const mode = "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
	tp := topotest.Private(t, topology.Options{ExtraArgs: []string{"--sql-mode=" + mode}})
	f := newFixture(t, tp)
	ctx := context.Background()

	// Tables made permissively: one with a zero DEFAULT, one with zero dates only in its rows.
	conn, err := f.primary.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SET SESSION sql_mode = ''",
		"CREATE TABLE zdef (id INT NOT NULL PRIMARY KEY, d DATE NOT NULL DEFAULT '0000-00-00', v INT NOT NULL DEFAULT 0) ENGINE=InnoDB",
		"INSERT INTO zdef (id, d) SELECT seq, IF(seq % 2, '0000-00-00', '2020-00-10') FROM seq_1_to_500",
		"CREATE TABLE zrows (id INT NOT NULL PRIMARY KEY, d DATE NULL) ENGINE=InnoDB",
		"INSERT INTO zrows (id, d) SELECT seq, IF(seq % 2, '0000-00-00', '2020-01-00') FROM seq_1_to_500",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	conn.Close()
	f.caughtUp()

	zeros := func(table string) string {
		return f.strings(fmt.Sprintf("SELECT CONCAT(COUNT(*), ' ', SUM(d = '0000-00-00' OR MONTH(d) = 0 OR DAY(d) = 0)) FROM `%s`", table))[0]
	}
	// The server's own ALTER, under its own sql_mode (the test pool sets a session mode).
	native := func(table, alter string) error {
		c, err := f.primary.Conn(ctx)
		if err != nil {
			return err
		}
		defer func() {
			c.Raw(func(any) error { return driver.ErrBadConn }) // never back to the pool with this sql_mode
			c.Close()
		}()
		if _, err := c.ExecContext(ctx, "SET SESSION sql_mode = @@GLOBAL.sql_mode"); err != nil {
			t.Fatal(err)
		}
		_, err = c.ExecContext(ctx, fmt.Sprintf("ALTER TABLE `%s` %s", table, alter))
		return err
	}
	for _, c := range []struct {
		table, alter, flag, fail string
	}{
		{"zdef", "ADD COLUMN c INT", "", "refuses to create a table like"},
		{"zrows", "ADD COLUMN e DATE NOT NULL DEFAULT '0000-00-00'", "", "the ALTER fails on the ghost table"},
		{"zdef", "ADD COLUMN c INT", "allow-zero-in-date", ""},
		{"zrows", "ADD COLUMN e DATE NOT NULL DEFAULT '0000-00-00'", "allow-zero-in-date", ""},
	} {
		before := zeros(c.table)
		f.table = c.table
		extra := map[string]string{"alter": c.alter}
		if c.flag != "" {
			extra[c.flag] = ""
		}
		g := f.startGhost(c.table+"-"+c.flag, extra)
		if c.fail != "" {
			msg := g.fail(time.Minute)
			if !strings.Contains(msg, c.fail) || !strings.Contains(msg, "Invalid default value") {
				t.Errorf("%s %q: error %q, want %q and the server's Invalid default value", c.table, c.alter, msg, c.fail)
			}
			if err := native(c.table, c.alter); err == nil {
				t.Errorf("%s %q: the server's own ALTER succeeded where ghost refused", c.table, c.alter)
			}
			if tables := f.tables(); !slices.Equal(tables, []string{"zdef", "zrows"}) {
				t.Errorf("tables after the refusal: %v", tables)
			}
		} else {
			g.succeed(defaultRunLimit)
			if tables := f.tables(); !slices.Contains(tables, "_"+c.table+"_del") {
				t.Errorf("no swap: tables %v", tables)
			}
			f.exec(f.primary, "DROP TABLE `_"+c.table+"_del`")
		}
		if after := zeros(c.table); after != before {
			t.Errorf("%s: rows and zero dates %s before, %s after", c.table, before, after)
		}
	}
}
