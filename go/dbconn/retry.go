package dbconn

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Outage tells whether err means the server was out of reach rather than the statement at
// fault: a connection refused or broken, a server shutting down. A restart or a failover
// shows this way for as long as it lasts.
func Outage(err error) bool {
	if err == nil {
		return false
	}
	if Is(err, ErrServerShutdown) {
		return true
	}
	return Number(err) == 0 && (errors.Is(err, mysql.ErrInvalidConn) || isConnectionError(err))
}

// Backoff is the wait after the n-th failure in a row (n >= 1): 100ms, doubling, at most 5s.
func Backoff(n int) time.Duration {
	d := 100 * time.Millisecond
	for i := 1; i < n && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// OutageBudget is how long an outage is waited out by an operation allowed retries
// attempts: the sum of their backoffs (--default-retries 60, gh-ost's default, waits about
// 4.5 minutes; 10, about 26 seconds).
func OutageBudget(retries int) time.Duration {
	var total time.Duration
	for n := 1; n <= retries; n++ {
		total += Backoff(n)
	}
	return total
}

// Retrier decides, failure after failure of one operation, whether to try again and after
// how long. An outage (Outage) is waited out with Backoff until it has lasted Budget; any
// other retryable error is tried again up to Attempts times in all, Step times the attempt
// number apart. Its zero value gives up at once.
type Retrier struct {
	Attempts int
	Step     time.Duration
	Budget   time.Duration

	failures int       // failures that were not outages
	outages  int       // outage failures in a row
	since    time.Time // when the outage in progress began
}

// Next records a failure with err and returns the wait before the next attempt, or false
// when the operation must give up.
func (r *Retrier) Next(err error) (time.Duration, bool) {
	if Outage(err) {
		if r.outages == 0 {
			r.since = time.Now()
		}
		r.outages++
		if time.Since(r.since) >= r.Budget {
			return 0, false
		}
		return Backoff(r.outages), true
	}
	r.outages = 0
	r.failures++
	if r.failures >= r.Attempts {
		return 0, false
	}
	return time.Duration(r.failures) * r.Step, true
}

// GaveUp words the last error of an operation Next said not to try again: how long the
// server was out of reach, or how many attempts failed.
func (r *Retrier) GaveUp(err error) error {
	if d := r.OutageLasted(); d > 0 {
		return fmt.Errorf("the server was out of reach for %s (%d attempts): %w", d.Round(time.Second), r.Failures(), err)
	}
	return fmt.Errorf("%d attempts failed: %w", r.Failures(), err)
}

// Failures is the number of failures recorded.
func (r *Retrier) Failures() int { return r.failures + r.outages }

// OutageLasted is how long the outage in progress has lasted (zero without one).
func (r *Retrier) OutageLasted() time.Duration {
	if r.outages == 0 {
		return 0
	}
	return time.Since(r.since)
}
