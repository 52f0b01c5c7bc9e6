package throttle

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Check names used by the built-in checks. The Throttler keys checks by name,
// so replacing a check means registering another one with the same name.
const (
	NameLag                = "lag"
	NameReplicaLag         = "throttle-control-replicas"
	NameMaxLoad            = "max-load"
	NameCriticalLoad       = "critical-load"
	NameQuery              = "throttle-query"
	NameHTTP               = "throttle-http"
	NameFlagFile           = "throttle-flag-file"
	NameAdditionalFlagFile = "throttle-additional-flag-file"
	NamePanicFlagFile      = "panic-flag-file"
	NameUser               = "user"
)

// ReasonHibernation is the throttle reason reported while a critical-load
// hibernation is in progress.
const ReasonHibernation = "critical-load hibernation"

// Result is one check's verdict.
type Result struct {
	// Throttle asks the migration to pause.
	Throttle bool
	// Reason says why, for the status line ("lag=2.1s",
	// "max-load Threads_running=30 >= 25"). Empty when not throttling.
	Reason string
	// Abort asks for the migration to be stopped: a critical condition such as
	// the panic flag file or sustained critical load.
	Abort bool
	// Hibernate, when positive, asks the throttler to stop all collection and
	// report ReasonHibernation for that long (--critical-load-hibernate-seconds).
	Hibernate time.Duration
}

// Check is one throttling condition. Check must honour ctx and be safe to call
// from a goroutine other than the one that created it; the Throttler never
// calls the same registered check concurrently with itself.
type Check interface {
	// Name identifies the check; it is used in reasons and to replace checks.
	Name() string
	// Check collects the condition now. An error means the condition could
	// not be collected; the Throttler then throttles, naming the check.
	Check(ctx context.Context) (Result, error)
}

// Every wraps c so that the Throttler collects it at most once per interval
// instead of on every tick: gh-ost collects load and query signals once a
// second but lag ten times a second.
func Every(interval time.Duration, c Check) Check {
	return scheduled{inner: c, interval: interval}
}

type scheduled struct {
	inner    Check
	interval time.Duration
}

func (s scheduled) Name() string                              { return s.inner.Name() }
func (s scheduled) Check(ctx context.Context) (Result, error) { return s.inner.Check(ctx) }
func (s scheduled) Interval() time.Duration                   { return s.interval }

// intervaler is implemented by checks that ask for their own collection
// interval (see Every).
type intervaler interface {
	Interval() time.Duration
}

// ErrAbort is matched (errors.Is) by the error Run returns when a check asks
// for the migration to be aborted.
var ErrAbort = errors.New("throttle check requested abort")

// AbortError says which check asked for an abort and why.
type AbortError struct {
	Check  string
	Reason string
}

func (e *AbortError) Error() string {
	return fmt.Sprintf("%s: %s: %s", ErrAbort.Error(), e.Check, e.Reason)
}

// Unwrap makes errors.Is(err, ErrAbort) true.
func (e *AbortError) Unwrap() error { return ErrAbort }
