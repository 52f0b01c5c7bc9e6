package cutover

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Point is a consistent point: n sessions, each in a read-only transaction whose snapshot
// sees the original table and the ghost table as they were at one moment when every change
// of the original up to it had been applied to the ghost table.
type Point struct {
	Conns []*sql.Conn
	// Blocked is how long the original's writers were held.
	Blocked time.Duration
}

// Close ends the snapshots and returns the sessions.
func (p *Point) Close() {
	for _, c := range p.Conns {
		c.ExecContext(context.Background(), "ROLLBACK")
		c.Close()
	}
	p.Conns = nil
}

// Freeze takes a consistent point the way the cut-over takes its lock: the original is locked
// for reading (writers wait, readers do not) for at most lockTimeout; once waitApplied says
// every change up to the lock is in the ghost table, both tables are still, and n sessions
// open their snapshots; then the lock goes. The ghost table only changes through ghost, which
// applies nothing while the original is locked (the copy is done by then).
//
// A timed-out attempt returns an error wrapping ErrTimeout, like a cut-over attempt.
func Freeze(ctx context.Context, db *sql.DB, orig sqlgen.Table, lockTimeout time.Duration, waitApplied func(context.Context) error, n int) (*Point, error) {
	p := &Point{}
	ok := false
	defer func() {
		if !ok {
			p.Close()
		}
	}()
	// The sessions are opened before the lock, so that the lock lasts only the snapshots.
	for i := 0; i < n; i++ {
		c, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("open a checksum session: %w", err)
		}
		p.Conns = append(p.Conns, c)
		if _, err := c.ExecContext(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"); err != nil {
			return nil, fmt.Errorf("checksum session: %w", err)
		}
	}
	lockConn, _, err := pinned(ctx, db, lockTimeout)
	if err != nil {
		return nil, fmt.Errorf("open lock session: %w", err)
	}
	defer lockConn.Close()
	start := time.Now()
	if _, err := lockConn.ExecContext(ctx, fmt.Sprintf("LOCK TABLES %s READ", orig)); err != nil {
		if dbconn.Is(err, dbconn.ErrLockWaitTimeout) {
			return nil, fmt.Errorf("%w: LOCK TABLES %s READ waited %s: %v", ErrTimeout, orig, lockTimeout, err)
		}
		return nil, fmt.Errorf("lock %s: %w", orig, err)
	}
	unlock := func() {
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		lockConn.ExecContext(uctx, "UNLOCK TABLES")
	}
	wctx, cancel := context.WithDeadline(ctx, start.Add(lockTimeout))
	err = waitApplied(wctx)
	cancel()
	if err != nil {
		unlock()
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: events up to the lock not applied within %s", ErrTimeout, lockTimeout)
		}
		return nil, fmt.Errorf("wait for events up to the lock: %w", err)
	}
	for _, c := range p.Conns {
		if _, err := c.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); err != nil {
			unlock()
			return nil, fmt.Errorf("open a snapshot: %w", err)
		}
	}
	unlock()
	p.Blocked = time.Since(start)
	ok = true
	return p, nil
}
