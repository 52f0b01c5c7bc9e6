package migration

import (
	"context"
	"time"
)

// throttleReason says why work should pause now, or "".
func (m *Migration) throttleReason() string {
	// The operator's command takes effect at once, not at the next collection.
	if m.userThrottle.Enabled() {
		return "commanded by user"
	}
	if m.throttler == nil {
		return ""
	}
	if on, why := m.throttler.Throttled(); on {
		return why
	}
	return ""
}

// waitThrottle blocks while the migration is throttled; the status line shows why.
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
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitLag blocks until nothing throttles (a cut-over must not start lagging).
func (m *Migration) waitLag(ctx context.Context) error { return m.waitThrottle(ctx) }
