package migration

import (
	"context"
	"fmt"
	"time"
)

func (m *Migration) statusLoop(ctx context.Context) error {
	fmt.Fprintln(m.statusTo, m.statusLine())
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
			fmt.Fprintln(m.statusTo, m.statusLine())
		}
	}
}

func (m *Migration) statusLine() string {
	var copied int64
	if m.copier != nil {
		copied = m.copier.Copied()
	}
	total := m.estimated.Load()
	if total < copied {
		total = copied
	}
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(copied) / float64(total)
	}
	state := m.State().String()
	if w := m.throttleWhy.Load(); w != nil {
		state = "throttled, " + *w
	}
	elapsed := time.Since(m.started)
	var copyTime time.Duration
	if s := m.copyStarted.Load(); s > 0 {
		end := time.Now()
		if e := m.copyEnded.Load(); e > 0 {
			end = time.Unix(0, e)
		}
		copyTime = end.Sub(time.Unix(0, s))
	}
	eta := "N/A"
	switch {
	case m.copyEnded.Load() > 0:
		eta = "due"
	case copied > 0 && copyTime > 0 && total > copied:
		rate := float64(copied) / copyTime.Seconds()
		eta = (time.Duration(float64(total-copied)/rate) * time.Second).Round(time.Second).String()
	}
	pos := ""
	if p := m.appliedPos.Load(); p != nil {
		pos = p.String()
	}
	return fmt.Sprintf("Copy: %d/%d %.1f%%; Applied: %d; Backlog: %d/%d; Time: %s(total), %s(copy); streamer: %s; Lag: %.2fs, HeartbeatLag: %.2fs, State: %s; ETA: %s",
		copied, total, pct, m.applied.Load(), len(m.backlog), cap(m.backlog),
		elapsed.Round(time.Second), copyTime.Round(time.Second), pos, m.ReplicaLag().Seconds(), m.Lag().Seconds(), state, eta)
}

func (m *Migration) summary() string {
	var copied int64
	var copyTime time.Duration
	if m.copier != nil {
		copied = m.copier.Copied()
	}
	if s, e := m.copyStarted.Load(), m.copyEnded.Load(); s > 0 && e > 0 {
		copyTime = time.Duration(e - s)
	}
	rate := 0.0
	if copyTime > 0 {
		rate = float64(copied) / copyTime.Seconds()
	}
	return fmt.Sprintf("Done: %s.%s migrated; rows copied: %d in %s (%.0f rows/s); events applied: %d; cut-over blocked writes for %dms; total %s",
		m.cfg.Database, m.cfg.Table, copied, copyTime.Round(time.Millisecond), rate, m.applied.Load(),
		m.blocked.Milliseconds(), time.Since(m.started).Round(time.Millisecond))
}
