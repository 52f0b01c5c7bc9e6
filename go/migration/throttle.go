package migration

import (
	"context"
)

// throttleReason says why work should pause now, or "".
func (m *Migration) throttleReason() string {
	why, _, _ := m.throttleState()
	return why
}

// throttleState is the reason to pause now ("" for none) and the channels closed at the next
// change of either source. The operator's command takes effect at once; the throttler's
// checks at its next collection.
func (m *Migration) throttleState() (string, <-chan struct{}, <-chan struct{}) {
	on, userChanged := m.op.user.Enabled()
	throttled, why, changed := m.op.throttler.Decision()
	switch {
	case on:
		return "commanded by user", userChanged, changed
	case throttled:
		return why, userChanged, changed
	}
	return "", userChanged, changed
}

// waitThrottle blocks while the migration is throttled; the status line shows why. It wakes
// when a decision changes, not on a timer.
func (m *Migration) waitThrottle(ctx context.Context) error {
	for {
		why, userChanged, changed := m.throttleState()
		if why == "" {
			m.throttleWhy.Store(nil)
			return nil
		}
		m.throttleWhy.Store(&why)
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-userChanged:
		case <-changed:
		}
	}
}

// waitLag blocks until nothing throttles (a cut-over must not start lagging).
func (m *Migration) waitLag(ctx context.Context) error { return m.waitThrottle(ctx) }
