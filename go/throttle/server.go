package throttle

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Server is what the SQL-backed checks (MaxLoad, CriticalLoad, Query) read
// from a MySQL or MariaDB server. SQLServer implements it over a connection
// pool; tests use fakes.
type Server interface {
	// StatusVariable returns the value of a global status variable.
	StatusVariable(ctx context.Context, name string) (int64, error)
	// QueryInt runs a query returning a single integer (NULL reads as 0).
	QueryInt(ctx context.Context, query string) (int64, error)
}

// Querier is the part of *sql.DB (or *sql.Conn) that SQLServer uses.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryTimeout bounds each query SQLServer runs: a hung query would otherwise
// freeze the check's verdict.
const queryTimeout = 5 * time.Second

// SQLServer implements Server with SQL queries.
type SQLServer struct {
	// DB runs the queries.
	DB Querier
}

// StatusVariable reads one variable with SHOW GLOBAL STATUS, which both MySQL
// (where information_schema.GLOBAL_STATUS is gone) and MariaDB (where
// performance_schema is usually off) answer.
func (s SQLServer) StatusVariable(ctx context.Context, name string) (int64, error) {
	// The name is part of the statement text, not a parameter: MariaDB rejects
	// a placeholder in SHOW ... LIKE/WHERE when prepared (ERROR 1064 for LIKE).
	// validStatusName admits only [A-Za-z0-9_], so the literal cannot escape
	// its quotes. WHERE = rather than LIKE, because '_' is a LIKE wildcard.
	if !validStatusName(name) {
		return 0, fmt.Errorf("read status variable %q: %w", name, ErrInvalidLoad)
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var gotName, value string
	err := s.DB.QueryRowContext(ctx, "SHOW GLOBAL STATUS WHERE Variable_name = '"+name+"'").Scan(&gotName, &value)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read status variable %s: no such variable", name)
	}
	if err != nil {
		return 0, fmt.Errorf("read status variable %s: %w", name, err)
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read status variable %s: value %q is not an integer: %w", name, value, err)
	}
	return n, nil
}

// QueryInt runs query and scans its single integer result.
func (s SQLServer) QueryInt(ctx context.Context, query string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var v sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, query).Scan(&v); err != nil {
		return 0, fmt.Errorf("run query: %w", err)
	}
	return v.Int64, nil
}
