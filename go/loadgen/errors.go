package loadgen

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"strconv"

	"github.com/go-sql-driver/mysql"
)

// Error codes recorded for failures that carry no MySQL error number.
const (
	CodeTimeout  = "timeout"  // the write's own deadline (Config.OpTimeout) passed
	CodeCanceled = "canceled" // the run's context was cancelled while the write was in flight
	CodeConn     = "conn"     // the connection broke (driver.ErrBadConn, mysql.ErrInvalidConn)
	CodeNet      = "net"      // a network error
	CodeOther    = "other"    // anything else
)

// Well-known MySQL error numbers, for callers reading Stats.Errors.
const (
	ErrNoSuchTable     = "1146" // the table is gone (e.g. the gap of a two-step cut-over)
	ErrLockWaitTimeout = "1205"
	ErrDeadlock        = "1213"
	ErrDupEntry        = "1062"
)

// ErrorCode classifies err for Stats: "" for nil, the MySQL error number as a decimal string
// ("1146"), or one of the Code* constants. Classification is by type and number, never by message.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &me):
		return strconv.Itoa(int(me.Number))
	case errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn):
		return CodeConn
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return CodeNet
	}
	return CodeOther
}
