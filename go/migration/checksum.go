package migration

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/checksum"
	"github.com/ghost-osc/ghost/go/cutover"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// checksumResult is what the last checksum found.
type checksumResult struct {
	chunks, differed, repaired int
	took                       time.Duration
	blocked                    time.Duration // the longest hold of writers for a consistent point
	points                     int           // consistent points taken
}

func (r checksumResult) String() string {
	held := "for the consistent point"
	if r.points > 1 {
		held = fmt.Sprintf("at most, at each of %d consistent points", r.points)
	}
	return fmt.Sprintf("checksum: %d chunks, %d differed, %d repaired, in %.1fs (writers held %dms %s)",
		r.chunks, r.differed, r.repaired, r.took.Seconds(), r.blocked.Milliseconds(), held)
}

// checksumProgress is shown on the status line while a checksum runs.
type checksumProgress struct {
	round, done, total atomic.Int64
}

// verify compares the ghost table with the original before the cut-over (--checksum, on by
// default) and repairs what differs: each round takes a consistent point (cutover.Freeze,
// under the cut-over's lock rules), checks the chunks on --threads sessions of it, and copies
// every differing chunk again by the copier's rules; the next round checks those chunks at a
// new point. Differences left after --checksum-repair-rounds stop the migration, the original
// untouched.
func (m *Migration) verify(ctx context.Context) error {
	if !m.cfg.Checksum {
		m.log.Warn("--checksum=false: the ghost table is not compared with the original before the cut-over")
		return nil
	}
	m.enter(StateVerifying)
	res, err := m.checksum(ctx, m.cfg.ChecksumRepairRounds)
	if err != nil {
		return err
	}
	m.checksumDone.Store(&res)
	m.log.WithFields(logrus.Fields{"chunks": res.chunks, "differed": res.differed, "repaired": res.repaired,
		"took": res.took.Round(time.Millisecond).String()}).Info(res.String())
	return nil
}

// checksum runs the rounds; with rounds 0 it only compares.
func (m *Migration) checksum(ctx context.Context, rounds int) (checksumResult, error) {
	m.checksumMu.Lock()
	defer m.checksumMu.Unlock()
	start := time.Now()
	var res checksumResult
	pairs := make([]checksum.Pair, len(m.mapping.Pairs))
	for i, p := range m.mapping.Pairs {
		pairs[i] = checksum.Pair{Orig: p.Orig, Ghost: p.Ghost}
	}
	c := checksum.New(checksum.Config{Orig: m.origT, Ghost: m.ghostT, Index: m.mapping.Key.Name,
		Key: m.copierKey(), KeyKinds: m.copierKinds(), Pairs: pairs,
		CRC32C: m.primaryInfo.Flavor == dbconn.MariaDB && m.primaryInfo.AtLeast(10, 8, 0)})
	var chunks []sqlgen.Bounds // nil: every chunk, found in the first round's snapshot
	for round := 0; ; round++ {
		m.checksumProgress.round.Store(int64(round))
		m.checksumProgress.total.Store(int64(len(chunks)))
		m.checksumProgress.done.Store(0)
		// A round's chunks are checked at one consistent point, or, when that point's snapshots
		// reach --checksum-snapshot-max-age (InnoDB keeps the undo history they may need while
		// they live), at as many points as it takes, each after the chunks the last one checked.
		var bad []sqlgen.Bounds
		pending := chunks
		for first := true; first || len(pending) > 0; first = false {
			point, err := m.checksumPoint(ctx)
			if err != nil {
				return res, err
			}
			res.points++
			res.blocked = max(res.blocked, point.Blocked)
			if chunks == nil {
				if chunks, err = c.Chunks(ctx, point.Conns[0], max(m.settings.ChunkSize(), 1000)); err != nil {
					point.Close()
					return res, err
				}
				pending, res.chunks = chunks, len(chunks)
				m.checksumProgress.total.Store(int64(len(chunks)))
			}
			var until time.Time
			if age := m.cfg.ChecksumSnapshotMaxAge; age > 0 {
				until = time.Now().Add(age)
			}
			checked, segBad, err := m.compareChunks(ctx, c, point, pending, until)
			point.Close()
			if err != nil {
				return res, err
			}
			bad, pending = append(bad, segBad...), pending[checked:]
		}
		if round == 0 {
			res.differed = len(bad)
		} else {
			res.repaired += len(chunks) - len(bad)
		}
		if len(bad) > 0 {
			m.log.WithFields(logrus.Fields{"round": round, "differing": len(bad), "chunks": describeBounds(bad)}).Warn("checksum: the ghost table differs from the original")
		}
		if len(bad) == 0 {
			res.took = time.Since(start)
			return res, nil
		}
		if round >= rounds {
			return res, hint.New(fmt.Sprintf("checksum: the ghost table still differs from the original in %d chunk(s) after %d repair round(s): %s", len(bad), rounds, describeBounds(bad)),
				"the original table is in place and was not swapped; something writes the ghost table or the original's changes bypass the binlog ghost reads (sql_log_bin=0, replication filters): find it, then run again (--checksum=false cuts over without this proof)")
		}
		for _, b := range bad {
			if err := m.waitThrottle(ctx); err != nil {
				return res, err
			}
			if _, err := m.copier.Repair(ctx, b); err != nil {
				if isDataLoss(err) {
					return res, dataError(err)
				}
				return res, fmt.Errorf("checksum: repair a differing chunk: %w", err)
			}
		}
		chunks = bad
	}
}

// checksumPoint takes a consistent point for the checksum under the cut-over's lock rules.
func (m *Migration) checksumPoint(ctx context.Context) (*cutover.Point, error) {
	var point *cutover.Point
	err := m.underLock(ctx, "checksum's consistent point", []sqlgen.Table{m.origT}, func(ctx context.Context) error {
		var err error
		// Two sessions a thread: one table's sum of a chunk beside the other's.
		point, err = cutover.Freeze(ctx, m.primary, m.origT, m.cfg.CutOverLockTimeout, m.waitApplied, 2*m.cfg.Threads)
		return err
	})
	return point, err
}

// compareChunks checks chunks on the point's sessions in order and returns how many it
// checked (a prefix: it starts no chunk after until, when set, but always at least one) and
// those of them that differ.
func (m *Migration) compareChunks(ctx context.Context, c *checksum.Checker, point *cutover.Point, chunks []sqlgen.Bounds, until time.Time) (int, []sqlgen.Bounds, error) {
	type item struct {
		chunk int
		side  checksum.Side
	}
	work := make(chan item)
	sums := [2][]checksum.Sum{make([]checksum.Sum, len(chunks)), make([]checksum.Sum, len(chunks))}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, conn := range point.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				s, err := c.Sum(cctx, conn, it.side, chunks[it.chunk])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					continue
				}
				sums[it.side][it.chunk] = s // each item is one slot, written once
				if it.side == checksum.GhostSide {
					m.checksumProgress.done.Add(1)
				}
			}
		}()
	}
	fed := 0
	var throttleErr error
feed:
	for i := range chunks {
		if err := m.waitThrottle(cctx); err != nil {
			throttleErr = err
			break
		}
		if i > 0 && !until.IsZero() && time.Now().After(until) {
			break // the next chunks at a new point
		}
		for _, side := range []checksum.Side{checksum.Original, checksum.GhostSide} {
			select {
			case work <- item{i, side}:
			case <-cctx.Done():
				break feed
			}
		}
		fed = i + 1
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return 0, nil, firstErr
	}
	if ctx.Err() != nil {
		return 0, nil, context.Cause(ctx)
	}
	if throttleErr != nil {
		return 0, nil, throttleErr
	}
	var out []sqlgen.Bounds
	for i := range fed {
		if sums[checksum.Original][i] != sums[checksum.GhostSide][i] {
			out = append(out, chunks[i])
		}
	}
	return fed, out, nil
}

// describeBounds names up to five key ranges.
func describeBounds(bs []sqlgen.Bounds) string {
	var parts []string
	for i, b := range bs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(bs)-5))
			break
		}
		lo, hi := "start", "end"
		if b.Lower != nil {
			lo = fmt.Sprint(b.Lower)
		}
		if b.Upper != nil {
			hi = fmt.Sprint(b.Upper)
		}
		parts = append(parts, fmt.Sprintf("keys %s..%s", lo, hi))
	}
	return strings.Join(parts, ", ")
}

// checksumStatus is the status line's checksum field: progress while one runs, the result
// after.
func (m *Migration) checksumStatus() string {
	if m.State() == StateVerifying || m.checksumRunning.Load() {
		return fmt.Sprintf("round %d, %d/%d chunks", m.checksumProgress.round.Load(), m.checksumProgress.done.Load(), m.checksumProgress.total.Load())
	}
	if r := m.checksumDone.Load(); r != nil {
		return fmt.Sprintf("%d chunks, %d differed, %d repaired", r.chunks, r.differed, r.repaired)
	}
	return ""
}

// checksumOnRequest is the socket's checksum: while the cut-over is postponed it compares
// (and repairs) at once, beside the applier; earlier it says when it will run.
func (m *Migration) checksumOnRequest() (string, error) {
	switch s := m.State(); {
	case s < StatePostponed && m.copyEnded.Load() == 0:
		return "", fmt.Errorf("the row copy is not done: the checksum runs when it is (before the cut-over, unless --checksum=false)")
	case s > StatePostponed:
		return "", fmt.Errorf("the checksum cannot run now (state: %s)", s)
	}
	if !m.checksumRunning.CompareAndSwap(false, true) {
		return "", fmt.Errorf("a checksum is running")
	}
	m.checksumAsked.Store(true)
	return "Checksum started: the status line shows its progress\n", nil
}

// runAskedChecksum runs a checksum asked on the socket, from the postpone loop.
func (m *Migration) runAskedChecksum(ctx context.Context) error {
	if !m.checksumAsked.CompareAndSwap(true, false) {
		return nil
	}
	defer m.checksumRunning.Store(false)
	res, err := m.checksum(ctx, m.cfg.ChecksumRepairRounds)
	if err != nil {
		if _, ok := hint.As(err); ok {
			return err // differences that do not go away: stop, as before a cut-over
		}
		m.log.WithError(err).Warn("the checksum asked on the socket failed")
		return nil
	}
	m.checksumDone.Store(&res)
	m.log.Info(res.String() + " (asked on the socket)")
	return nil
}
