package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/topology"
	"golang.org/x/sync/errgroup"
)

// ApplyRun is the apply-capacity measurement: how fast ghost drains a backlog of binlog row
// events once nothing else limits it. ghost copies a small table and waits with a postponed
// cut-over; it is throttled (the applier holds events), a burst of writes is made on the primary
// and has reached the replica, then the throttle is lifted and the time until ghost's Applied
// count has grown by the burst's row events is measured. Reading the binlog is part of it: the
// backlog holds at most 1000 transactions, so most of a burst of small transactions is still
// in the binlog when the throttle ends.
type ApplyRun struct {
	Rows    int64        `json:"rows"` // rows of the table ghost copied first
	Bursts  []ApplyBurst `json:"bursts"`
	Wall    Dur          `json:"wall"`
	Error   string       `json:"error,omitempty"`
	Verify  Verify       `json:"verify"`
	Command string       `json:"command"`
	Status  []StatusLine `json:"-"`
	Tail    []string     `json:"tail,omitempty"`
}

// ApplyBurst is one burst of writes and how fast ghost applied it.
type ApplyBurst struct {
	Name         string  `json:"name"`
	Transactions int64   `json:"transactions"`
	RowEvents    int64   `json:"row_events"`
	Write        Dur     `json:"write"` // the primary's time to make the burst
	Drain        Dur     `json:"drain"` // throttle lifted -> every event applied
	EventsPerSec float64 `json:"events_per_sec"`
}

// applyTableRows is the size of the table in the apply run: the copy is not what is measured.
const applyTableRows = 100_000

// applyRun measures the apply capacity (see ApplyRun) with bursts of events row events.
func (b *bencher) applyRun(ctx context.Context, events int64) (*ApplyRun, error) {
	a := &ApplyRun{Rows: min(applyTableRows, b.o.rows)}
	b.logf("apply: preparing a %d-row %s", a.Rows, runTable)
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return nil, err
	}
	for _, q := range []string{
		fmt.Sprintf(createTableSQL, quote(runTable)),
		fmt.Sprintf("INSERT INTO %s SELECT * FROM %s WHERE id <= %d", quote(runTable), quote(sourceTable), a.Rows),
	} {
		if _, err := b.primary.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return nil, err
	}
	b.settle(ctx)

	postpone := filepath.Join(b.dir, "apply.postpone")
	if err := os.WriteFile(postpone, nil, 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(postpone)
	sock := filepath.Join(b.dir, "apply.sock")
	args := []string{
		"--host", b.topo.Replica.Host, "--port", strconv.Itoa(b.topo.Replica.Port),
		"--user", topology.User, "--password", topology.Password,
		"--database", benchDB, "--table", runTable, "--alter", benchAlter,
		"--execute", "--verbose",
		"--throttle-additional-flag-file", filepath.Join(b.dir, "ghost.throttle"),
		"--serve-socket-file", sock,
		"--postpone-cut-over-flag-file", postpone,
	}
	a.Command = shellJoin(append([]string{b.o.ghost}, args...))
	b.logf("apply: %s", a.Command)

	runCtx, cancelRun := context.WithTimeout(ctx, b.o.ghostTimeout)
	defer cancelRun()
	type result struct {
		out  *ghostOutput
		wall time.Duration
		err  error
	}
	done := make(chan result, 1)
	go func() {
		out, wall, err := runGhost(runCtx, b.o.ghost, args, filepath.Join(b.dir, "ghost-apply"), nil)
		done <- result{out, wall, err}
	}()
	fail := func(err error) (*ApplyRun, error) {
		a.Error = err.Error()
		cancelRun() // ghost gets SIGINT and removes its tables
		r := <-done
		if r.out != nil {
			a.Tail = r.out.tail
		}
		b.logf("apply: FAILED: %v", err)
		return a, nil
	}
	ctl := &ghostSocket{sock: sock}

	if _, err := ctl.waitState(ctx, "postponing cut-over", 10*time.Minute); err != nil {
		return fail(err)
	}
	bursts := []struct {
		name  string
		txs   int64
		rows  int64
		conns int
	}{
		{"1 row per transaction", events / 10, 1, 8},
		{"1000 rows per transaction", events / 1000, 1000, 2},
	}
	for _, bu := range bursts {
		if err := ctl.expectOK("throttle"); err != nil {
			return fail(err)
		}
		// The state keeps saying "postponing cut-over" (it comes first); the applier checks
		// the throttle before every transaction. A batch in flight finishes.
		time.Sleep(500 * time.Millisecond)
		before, err := ctl.sup()
		if err != nil {
			return fail(err)
		}
		write, err := b.burst(ctx, bu.txs, bu.rows, bu.conns)
		if err != nil {
			return fail(err)
		}
		if _, err := b.waitReplica(ctx); err != nil {
			return fail(err)
		}
		b.settle(ctx)
		want := bu.txs * bu.rows
		// Only heartbeats and the burst reached ghost meanwhile; the burst must still be waiting.
		if held, err := ctl.sup(); err != nil {
			return fail(err)
		} else if held.Applied > before.Applied {
			return fail(fmt.Errorf("%s: the applier applied %d events while throttled", bu.name, held.Applied-before.Applied))
		}
		if err := ctl.expectOK("no-throttle"); err != nil {
			return fail(err)
		}
		start := time.Now()
		for {
			s, err := ctl.sup()
			if err != nil {
				return fail(err)
			}
			if s.Applied-before.Applied >= want {
				break
			}
			if time.Since(start) > 5*time.Minute {
				return fail(fmt.Errorf("%s: applied %d of %d events in 5 minutes", bu.name, s.Applied-before.Applied, want))
			}
			time.Sleep(5 * time.Millisecond)
		}
		drain := time.Since(start)
		r := ApplyBurst{Name: bu.name, Transactions: bu.txs, RowEvents: want, Write: Dur(write), Drain: Dur(drain),
			EventsPerSec: float64(want) / drain.Seconds()}
		a.Bursts = append(a.Bursts, r)
		b.logf("apply: %s: %d events written in %s, applied in %s: %s events/s", r.Name, want,
			fmtDur(r.Write), fmtDur(r.Drain), fmtRate(r.EventsPerSec))
	}
	if err := os.Remove(postpone); err != nil {
		return fail(err)
	}
	r := <-done
	a.Wall = Dur(r.wall)
	if r.err != nil {
		a.Error = r.err.Error()
		if r.out != nil {
			a.Tail = r.out.tail
		}
		return a, nil
	}
	// The old table received every write directly; the migrated one through ghost's applier.
	a.Verify = b.verifyTable(ctx, runTable, "_"+runTable+"_del", true)
	b.logf("apply: migrated table %s", map[bool]string{true: "equals the old table", false: "DIFFERS: " + a.Verify.Note}[a.Verify.OK()])
	return a, nil
}

// burst makes txs transactions of rows single-column updates each on the primary, over conns
// connections, and returns how long it took. Every transaction updates rows distinct rows, so
// each one makes exactly rows row events.
func (b *bencher) burst(ctx context.Context, txs, rows int64, conns int) (time.Duration, error) {
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	n := min(applyTableRows, b.o.rows)
	for w := range conns {
		g.Go(func() error {
			for i := int64(w); i < txs; i += int64(conns) {
				lo := 1 + (i*rows)%n
				hi := min(lo+rows-1, n)
				if hi-lo+1 != rows {
					lo = 1
					hi = rows
				}
				q := fmt.Sprintf("UPDATE %s SET k = k + 1 WHERE id BETWEEN %d AND %d", quote(runTable), lo, hi)
				if _, err := b.primary.ExecContext(gctx, q); err != nil {
					return fmt.Errorf("burst: %w", err)
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return time.Since(start), err
}

// ghostSocket talks to ghost's control socket.
type ghostSocket struct{ sock string }

func (c *ghostSocket) send(cmd string) (string, error) {
	return control.Ask("unix", c.sock, cmd, 30*time.Second)
}

func (c *ghostSocket) expectOK(cmd string) error {
	r, err := c.send(cmd)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if strings.HasPrefix(r, "ERROR") {
		return fmt.Errorf("%s: %s", cmd, strings.TrimSpace(r))
	}
	return nil
}

func (c *ghostSocket) sup() (StatusLine, error) {
	r, err := c.send("sup")
	if err != nil {
		return StatusLine{}, err
	}
	s, ok := parseStatusLine(strings.TrimSpace(r))
	if !ok {
		return StatusLine{}, fmt.Errorf("sup: not a status line: %q", r)
	}
	return s, nil
}

// waitState polls until ghost's state starts with state; the socket may not exist yet.
func (c *ghostSocket) waitState(ctx context.Context, state string, within time.Duration) (StatusLine, error) {
	deadline := time.Now().Add(within)
	var last StatusLine
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if s, err := c.sup(); err == nil {
			last = s
			if strings.HasPrefix(s.State, state) {
				return s, nil
			}
		}
	}
	return last, errors.New("ghost not " + state + " within " + within.String() + "; last state " + last.State)
}
