package binlog_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ghost-osc/ghost/go/binlog"
)

// TestCurrentPositionGTID: under a stream of writes replicated to it, the replica's position
// and GTID state read together (the GTID around the position, no file read) equal what the
// server computes for that position (BINLOG_GTID_POS, which reads the file), every time.
func TestCurrentPositionGTID(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE w (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			e.db.ExecContext(ctx, "INSERT INTO w (v) VALUES (1)")
		}
	}()
	defer func() { cancel(); wg.Wait() }()
	for i := range 200 {
		p, g, err := binlog.CurrentPositionGTID(t.Context(), e.rdb, e.info)
		if err != nil {
			t.Fatal(err)
		}
		want, err := binlog.GTIDStateAt(t.Context(), e.rdb, e.info, p)
		if err != nil {
			t.Fatal(err)
		}
		if g != want || g == "" {
			t.Fatalf("reading %d: at %s the GTID state read around the position is %q, the server computes %q", i, p, g, want)
		}
		if i == 199 {
			t.Logf("last: %s = %s", p, g)
		}
	}
}
