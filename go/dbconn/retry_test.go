package dbconn

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

func TestBackoffAndBudget(t *testing.T) {
	want := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i, w := range want {
		if got := Backoff(i + 1); got != w*time.Millisecond {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
	if got := OutageBudget(10); got != 26300*time.Millisecond {
		t.Errorf("OutageBudget(10) = %v, want 26.3s", got)
	}
	if got := OutageBudget(3); got != 700*time.Millisecond {
		t.Errorf("OutageBudget(3) = %v, want 700ms", got)
	}
}

func TestOutage(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("copy: %w", refused), true},
		{mysql.ErrInvalidConn, true},
		{&mysql.MySQLError{Number: ErrServerShutdown}, true},
		{&mysql.MySQLError{Number: ErrLockWaitTimeout}, false},
		{&mysql.MySQLError{Number: ErrDupEntry}, false},
		{errors.New("something else"), false},
	}
	for _, c := range cases {
		if got := Outage(c.err); got != c.want {
			t.Errorf("Outage(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestRetrier(t *testing.T) {
	lock := &mysql.MySQLError{Number: ErrLockWaitTimeout}
	r := Retrier{Attempts: 3, Step: 10 * time.Millisecond, Budget: time.Hour}
	for i, want := range []time.Duration{10 * time.Millisecond, 20 * time.Millisecond} {
		if d, ok := r.Next(lock); !ok || d != want {
			t.Fatalf("failure %d: Next = %v, %v; want %v, true", i+1, d, ok, want)
		}
	}
	if _, ok := r.Next(lock); ok {
		t.Errorf("the third failure of three attempts should give up")
	}

	// An outage is not counted against the attempts, only against the budget.
	r = Retrier{Attempts: 2, Step: time.Millisecond, Budget: 50 * time.Millisecond}
	for n := 1; n <= 5; n++ {
		d, ok := r.Next(mysql.ErrInvalidConn)
		if !ok || d != Backoff(n) {
			t.Fatalf("outage failure %d: Next = %v, %v; want %v, true", n, d, ok, Backoff(n))
		}
	}
	time.Sleep(60 * time.Millisecond)
	if _, ok := r.Next(mysql.ErrInvalidConn); ok {
		t.Errorf("an outage longer than the budget should give up")
	}
	if r.OutageLasted() < 50*time.Millisecond || r.Failures() != 6 {
		t.Errorf("OutageLasted %v, Failures %d; want >= 50ms, 6", r.OutageLasted(), r.Failures())
	}
}
