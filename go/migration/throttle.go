package migration

import (
	"context"
	"fmt"
	"time"
)

// throttleReason says why work should pause now, or "".
func (m *Migration) throttleReason() string {
	if m.userThrottle.Load() {
		return "commanded by user"
	}
	if lag, max := m.ReplicaLag(), m.tun.MaxLag(); lag > max {
		return fmt.Sprintf("lag=%.3fs", lag.Seconds())
	}
	return ""
}

// waitThrottle blocks while the migration is throttled.
func (m *Migration) waitThrottle(ctx context.Context) error {
	for {
		why := m.throttleReason()
		if why == "" {
			m.throttleWhy.Store(nil)
			return nil
		}
		m.throttleWhy.Store(&why)
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitLag blocks until lag is under the maximum (cut-over must not start lagging).
func (m *Migration) waitLag(ctx context.Context) error { return m.waitThrottle(ctx) }
