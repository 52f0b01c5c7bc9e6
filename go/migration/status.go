package migration

import (
	"context"
	"fmt"
	"time"

	"github.com/ghost-osc/ghost/go/status"
)

func (m *Migration) statusLoop(ctx context.Context) error {
	fmt.Fprintln(m.statusTo, m.statusOut())
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var n int
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		n++
		// Every second for the first ten, then at the configured interval.
		if n <= 10 || time.Duration(n)*time.Second%m.cfg.StatusInterval == 0 {
			fmt.Fprintln(m.statusTo, m.statusOut())
		}
	}
}

// snapshot gathers the figures of the status line.
func (m *Migration) snapshot() status.Snapshot {
	s := status.Snapshot{
		State:            m.State().String(),
		CutOverPostponed: m.State() == StatePostponed,
		EstimatedRows:    m.estimated.Load(),
		CopyComplete:     m.copyEnded.Load() > 0,
		AppliedEvents:    m.applied.Load(),
		BacklogLen:       len(m.backlog),
		BacklogCap:       cap(m.backlog),
		Elapsed:          time.Since(m.started),
		ReplicaLag:       m.ReplicaLag(),
		HeartbeatLag:     m.Lag(),
		Checksum:         m.checksumStatus(),
	}
	if m.State() == StateCopying {
		s.State = status.StateMigrating
	}
	if w := m.cutOverWait.Load(); w != nil {
		s.CutOverWaiting = *w
	}
	if w := m.throttleWhy.Load(); w != nil {
		s.ThrottleReason = *w
	}
	if m.copier != nil { // nil before the run is built (noop, an early failure)
		s.CopiedRows = m.copiedBefore + m.copier.Copied()
	}
	if bf := m.backfill; bf != nil { // a backfill's "copied" rows are the rows it examined
		s.CopiedRows = bf.before + bf.examined.Load()
	}
	// The estimate comes from table statistics; rows written meanwhile are copied too.
	s.EstimatedRows = max(s.EstimatedRows, s.CopiedRows)
	if st := m.copyStarted.Load(); st > 0 {
		end := time.Now()
		if e := m.copyEnded.Load(); e > 0 {
			end = time.Unix(0, e)
		}
		s.CopyElapsed = end.Sub(time.Unix(0, st))
	}
	if p := m.appliedPos.Load(); p != nil {
		s.Coordinates = p.String()
	}
	if cp := m.lastCheckpoint.Load(); cp != nil {
		s.Checkpointed, s.CheckpointAge = true, time.Since(cp.Written)
	}
	return s
}

// StatusLine is gh-ost's one-line status.
func (m *Migration) StatusLine() string {
	if m.backfill != nil {
		return m.backfillLine()
	}
	return m.snapshot().Line()
}

func (m *Migration) summary() string {
	snap := m.snapshot()
	if m.reverting != nil {
		return fmt.Sprintf("Done: %s.%s reverted to the schema before the migration of %s (the migrated table is %s); events applied: %d; cut-over blocked writes for %dms; total %s",
			m.cfg.Database, m.cfg.Table, m.reverting.SwappedAt.Local().Format(time.DateTime), m.oldT.Name, snap.AppliedEvents,
			m.blockedFor().Milliseconds(), time.Since(m.started).Round(time.Millisecond))
	}
	rate := 0.0
	if snap.CopyElapsed > 0 {
		rate = float64(snap.CopiedRows) / snap.CopyElapsed.Seconds()
	}
	copied := fmt.Sprintf("%d", snap.CopiedRows)
	if m.resume != nil {
		copied = fmt.Sprintf("%d (by this run; %d before the resume)", snap.CopiedRows-m.copiedBefore, m.copiedBefore)
		if snap.CopyElapsed > 0 {
			rate = float64(snap.CopiedRows-m.copiedBefore) / snap.CopyElapsed.Seconds()
		}
	}
	check := "checksum: skipped (--checksum=false)"
	if r := m.checksumDone.Load(); r != nil {
		check = r.String()
	}
	if m.instantNote != "" {
		check += "; " + m.instantNote
	}
	return fmt.Sprintf("Done: %s.%s migrated; rows copied: %s in %s (%.0f rows/s); events applied: %d; %s; cut-over blocked writes for %dms; total %s",
		m.cfg.Database, m.cfg.Table, copied, snap.CopyElapsed.Round(time.Millisecond), rate, snap.AppliedEvents, check,
		m.blockedFor().Milliseconds(), time.Since(m.started).Round(time.Millisecond))
}

// blockedFor is how long the cut-over blocked writes, for other goroutines (0 before it).
func (m *Migration) blockedFor() time.Duration { return time.Duration(m.blockedNs.Load()) }

// noteError keeps the last failure worth showing in "status json".
func (m *Migration) noteError(s string) { m.lastErr.Store(&s) }

// lastError is the last failure noted ("" when none).
func (m *Migration) lastError() string {
	if p := m.lastErr.Load(); p != nil {
		return *p
	}
	return ""
}

// StatusJSON is the status as one JSON object.
func (m *Migration) StatusJSON() string { return m.snapshot().JSON(m.lastError()) }

// statusOut is a status line as --status-format asks: gh-ost's line or one JSON object.
func (m *Migration) statusOut() string {
	if m.cfg.StatusFormat == "json" {
		return m.StatusJSON()
	}
	return m.StatusLine()
}
