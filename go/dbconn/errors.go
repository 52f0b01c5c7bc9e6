package dbconn

import (
	"errors"

	"github.com/go-sql-driver/mysql"
)

// Server error numbers ghost reacts to. Classification is by number, never by message.
const (
	ErrDupEntry          = 1062
	ErrLockWaitTimeout   = 1205
	ErrLockDeadlock      = 1213
	ErrNoSuchTable       = 1146
	ErrTableExists       = 1050
	ErrBadNull           = 1048
	ErrNoDefault         = 1364
	ErrDataTooLong       = 1406
	ErrOutOfRange        = 1264
	ErrTruncated         = 1265
	ErrTruncatedWrongVal = 1292
	ErrWrongValueForType = 1366
	ErrInvalidCharacter  = 1300
	ErrQueryInterrupted  = 1317
	ErrAccessDenied      = 1045
	ErrDBAccessDenied    = 1044
	ErrTableAccessDenied = 1142
	ErrUnknownDatabase   = 1049
	ErrParse             = 1064
	ErrStatementTimeout  = 1969 // MariaDB max_statement_time
	ErrMySQLStmtTimeout  = 3024 // MySQL max_execution_time
	ErrConnectionKilled  = 1927 // MariaDB "Connection was killed"
	ErrServerShutdown    = 1053
	ErrMasterFatal       = 1236 // binlog reading: purged or unknown position
	ErrCantLockLogTable  = 1192
	ErrDupKeyName        = 1061
	ErrDupFieldName      = 1060
	ErrCantDropField     = 1091
	ErrBadField          = 1054
	ErrCheckConstraint   = 4025 // MariaDB CONSTRAINT ... failed
	ErrCheckConstraintMy = 3819 // MySQL Check constraint violated
	ErrWarnDataTruncated = 1265
	ErrDivByZero         = 1365
	ErrNoSuchThread      = 1094 // KILL of a connection that already ended
)

// Number returns the server error number inside err, or 0.
func Number(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// Message returns the server's error message inside err, or err's own text.
func Message(err error) string {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Message
	}
	return err.Error()
}

// Is tells whether err carries one of the given server error numbers.
func Is(err error, numbers ...uint16) bool {
	n := Number(err)
	if n == 0 {
		return false
	}
	for _, x := range numbers {
		if n == x {
			return true
		}
	}
	return false
}

// Retryable tells whether a statement that failed with err may simply be run again:
// lock waits, deadlocks, killed queries and lost connections. Data errors are not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if Is(err, ErrLockWaitTimeout, ErrLockDeadlock, ErrQueryInterrupted, ErrConnectionKilled, ErrServerShutdown) {
		return true
	}
	if errors.Is(err, mysql.ErrInvalidConn) {
		return true
	}
	// A connection that died mid-statement surfaces as driver.ErrBadConn or an
	// unexpected EOF; the pool opens a fresh one on the next try.
	return Number(err) == 0 && isConnectionError(err)
}

// DataLoss tells whether err means the server refused a value rather than change it:
// a copy or apply that fails this way must stop the migration, never be ignored.
func DataLoss(err error) bool {
	return Is(err, ErrDupEntry, ErrBadNull, ErrNoDefault, ErrDataTooLong, ErrOutOfRange, ErrTruncated,
		ErrTruncatedWrongVal, ErrWrongValueForType, ErrInvalidCharacter, ErrCheckConstraint, ErrCheckConstraintMy, ErrDivByZero)
}
