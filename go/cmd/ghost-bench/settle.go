package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Before each measurement the servers must be idle: InnoDB flushes the previous step's dirty
// pages and purges its dropped tables in the background, and that CPU would be billed to
// the next measurement. Idle is under settleCPU of CPU per settleSlice, both servers together.
const (
	settleSlice = 500 * time.Millisecond
	settleCPU   = 50 * time.Millisecond // 10% of one core
	settleMax   = 60 * time.Second
	// settleDirtyPages is "flushed": the bench's own heartbeat keeps a few pages dirty.
	settleDirtyPages = 100
	flushIOCapacity  = 20000 // pages/s while flushing: as fast as the disk takes them
)

// settle waits until both servers are idle, at most settleMax, and returns how long it waited:
// first their buffer pools are flushed (see flushDirty), then their CPU use must fall under
// settleCPU.
func (b *bencher) settle(ctx context.Context) time.Duration {
	begin := time.Now()
	for _, s := range []struct {
		name string
		db   *sql.DB
	}{{"primary", b.primary}, {"replica", b.replica}} {
		if err := flushDirty(ctx, s.db, begin.Add(settleMax)); err != nil {
			b.logf("%s: %v; measuring anyway", s.name, err)
		}
	}
	prev := b.cpuNow()
	for time.Since(begin) < settleMax {
		select {
		case <-ctx.Done():
			return time.Since(begin)
		case <-time.After(settleSlice):
		}
		cur := b.cpuNow()
		used := cur.primary - prev.primary + cur.replica - prev.replica
		prev = cur
		if used < settleCPU {
			return time.Since(begin)
		}
	}
	b.logf("servers still busy after %s; measuring anyway", settleMax)
	return time.Since(begin)
}

// flushDirty has the server write every dirty page of its buffer pool now, until
// Innodb_buffer_pool_pages_dirty falls under settleDirtyPages: innodb_max_dirty_pages_pct goes
// to 0 and innodb_io_capacity(_max) up to flushIOCapacity for the time, then all three back.
//
// Why: a step that wrote a million rows leaves some 40,000 dirty pages, which InnoDB otherwise
// writes back over the next minutes at innodb_io_capacity (200 pages/s by default). On this
// machine's disk that background writing stalls commits by 100-300 ms every few seconds, in
// whatever is measured next: the writers' latency "before" ghost started was measured in it
// (p99 126-274 ms, against 2-5 ms once the pages had been written).
func flushDirty(ctx context.Context, db *sql.DB, deadline time.Time) (err error) {
	// Raised in this order and restored in the reverse one: io_capacity may not exceed _max.
	vars := []string{"innodb_io_capacity_max", "innodb_io_capacity", "innodb_max_dirty_pages_pct"}
	flush := []string{fmt.Sprint(flushIOCapacity), fmt.Sprint(flushIOCapacity), "0"}
	saved := make([]string, 0, len(vars))
	defer func() {
		// On a cancelled ctx too: the servers outlive the bench with --keep.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		for i := len(saved) - 1; i >= 0; i-- {
			if _, rerr := db.ExecContext(rctx, fmt.Sprintf("SET GLOBAL %s = %s", vars[i], saved[i])); rerr != nil && err == nil {
				err = fmt.Errorf("restore %s = %s: %w", vars[i], saved[i], rerr)
			}
		}
	}()
	for i, v := range vars {
		var cur string
		if err := db.QueryRowContext(ctx, "SELECT @@GLOBAL."+v).Scan(&cur); err != nil {
			return fmt.Errorf("read %s: %w", v, err)
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("SET GLOBAL %s = %s", v, flush[i])); err != nil {
			return fmt.Errorf("set %s = %s: %w", v, flush[i], err)
		}
		saved = append(saved, cur)
	}
	for {
		var name string
		var dirty int64
		if err := db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&name, &dirty); err != nil {
			return fmt.Errorf("read Innodb_buffer_pool_pages_dirty: %w", err)
		}
		if dirty < settleDirtyPages {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still %d dirty pages", dirty)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitReplica returns how long the replica took to catch up from now.
func (b *bencher) waitReplica(ctx context.Context) (time.Duration, error) {
	begin := time.Now()
	err := b.topo.WaitReplicaCaughtUp(ctx)
	return time.Since(begin), err
}

// freshRunTable replaces every table but the source by a fresh copy of it named runTable and
// waits for the replica and for both servers to be idle. It returns how long the copy (another
// INSERT ... SELECT sample) and the wait for idle servers took.
func (b *bencher) freshRunTable(ctx context.Context) (prepare, settle time.Duration, err error) {
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return 0, 0, err
	}
	if prepare, err = copyTable(ctx, b.primary, runTable); err != nil {
		return 0, 0, err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return 0, 0, err
	}
	return prepare, b.settle(ctx), nil
}
