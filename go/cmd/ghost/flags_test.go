package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/urfave/cli/v2"
)

// parse runs the flag set over args and returns the configuration configFrom builds.
func parse(t *testing.T, args ...string) config.Config {
	t.Helper()
	var got config.Config
	app := &cli.App{Name: "ghost", Flags: append(flags(), tableFlags()...), Action: func(c *cli.Context) error {
		var err error
		got, err = configFrom(c)
		return err
	}}
	base := []string{"ghost", "--database", "d", "--table", "t", "--alter", "ADD COLUMN x INT"}
	if err := app.Run(append(base, args...)); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return got
}

// TestChunkSizing pins how --chunk-size and --target-chunk-time combine: chunks are steered
// toward 100ms by default, a --chunk-size given alone is kept fixed as in gh-ost, and both
// together start at the size and steer toward the time.
func TestChunkSizing(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		size   int64
		target time.Duration
	}{
		{nil, 1000, config.DefaultTargetChunkTime},
		{[]string{"--chunk-size", "500"}, 500, 0},
		{[]string{"--chunk-size=500", "--target-chunk-time", "200ms"}, 500, 200 * time.Millisecond},
		{[]string{"--target-chunk-time", "0"}, 1000, 0},
		{[]string{"--target-chunk-time", "1s"}, 1000, time.Second},
	} {
		c := parse(t, tc.args...)
		if c.ChunkSize != tc.size || c.TargetChunkTime != tc.target {
			t.Errorf("%v: chunk size %d, target %v; want %d, %v", tc.args, c.ChunkSize, c.TargetChunkTime, tc.size, tc.target)
		}
	}
	if config.DefaultTargetChunkTime != 100*time.Millisecond {
		t.Errorf("default target %v; docs/command-line-flags.md says 100ms", config.DefaultTargetChunkTime)
	}
}

// TestGhOstForms: gh-ost's spellings of values map onto ghost's configuration.
func TestGhOstForms(t *testing.T) {
	c := parse(t, "--cut-over", "default", "--mysql-timeout", "1.5", "--master-user", "mu", "--force-table-names", "short")
	if c.CutOver != config.CutOverAtomic || c.MySQLTimeout != 1500*time.Millisecond {
		t.Errorf("cut-over %q, mysql timeout %v", c.CutOver, c.MySQLTimeout)
	}
	if u, p := c.PrimaryCredentials(); u != "mu" || p != c.Password {
		t.Errorf("primary credentials %q/%q: --master-user alone keeps --password", u, p)
	}
	if c.GhostTable() != "_short_gho" || c.ChangelogTable() != "_short_ghc" || c.OldTable() != "_short_del" {
		t.Errorf("forced names %s %s %s", c.GhostTable(), c.ChangelogTable(), c.OldTable())
	}
	c = parse(t, "-master-password=mp", "-timestamp-old-table", "-force-table-names=f")
	if u, p := c.PrimaryCredentials(); u != c.User || p != "mp" {
		t.Errorf("primary credentials %q/%q", u, p)
	}
	if want := "_f_" + c.Now.UTC().Format("20060102150405") + "_del"; c.OldTable() != want {
		t.Errorf("old table %s, want %s", c.OldTable(), want)
	}
	// A full statement names what --database and --table leave out.
	app := &cli.App{Name: "ghost", Flags: append(flags(), tableFlags()...), Action: func(cc *cli.Context) error {
		got, err := configFrom(cc)
		if err != nil {
			return err
		}
		if got.Database != "shop" || got.Table != "orders" {
			t.Errorf("from the ALTER: %s.%s", got.Database, got.Table)
		}
		return nil
	}}
	if err := app.Run([]string{"ghost", "--alter", "ALTER TABLE shop.orders ADD COLUMN x INT"}); err != nil {
		t.Fatal(err)
	}
}

// TestQuietWins: --quiet silences --verbose and --debug, as in gh-ost.
func TestQuietWins(t *testing.T) {
	args := []string{"--host", "127.0.0.1", "--port", "1", "--database", "d", "--table", "t", "--alter", "ADD COLUMN x INT"}
	_, _, loud := ghost(append(args, "--verbose", "--debug")...)
	_, _, quiet := ghost(append(args, "--verbose", "--debug", "--quiet")...)
	if !strings.Contains(loud, "level=info") || strings.Count(quiet, "\n") != 1 || !strings.HasPrefix(quiet, "ghost: error: ") {
		t.Errorf("verbose stderr %q\nquiet stderr %q", loud, quiet)
	}
}
