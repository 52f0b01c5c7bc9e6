package main

import (
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/urfave/cli/v2"
)

// parse runs the flag set over args and returns the configuration configFrom builds.
func parse(t *testing.T, args ...string) config.Config {
	t.Helper()
	var got config.Config
	app := &cli.App{Name: "ghost", Flags: flags(), Action: func(c *cli.Context) error {
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
