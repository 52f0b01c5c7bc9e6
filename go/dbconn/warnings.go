package dbconn

import (
	"context"
	"fmt"
	"strings"
)

// Warning is one row of SHOW WARNINGS.
type Warning struct {
	Level   string // Note, Warning, Error
	Code    int
	Message string
}

func (w Warning) String() string { return fmt.Sprintf("%s %d %s", w.Level, w.Code, w.Message) }

// Warnings reads the warnings of the last statement run on q, which must be the session that
// ran it (a *sql.Conn or *sql.Tx).
func Warnings(ctx context.Context, q Querier) ([]Warning, error) {
	rows, err := q.QueryContext(ctx, "SHOW WARNINGS")
	if err != nil {
		return nil, fmt.Errorf("read warnings: %w", err)
	}
	defer rows.Close()
	var out []Warning
	for rows.Next() {
		var w Warning
		if err := rows.Scan(&w.Level, &w.Code, &w.Message); err != nil {
			return nil, fmt.Errorf("read warnings: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WarningsError is a statement that succeeded with warnings where none may be
// (--panic-on-warnings): each can mean a value was changed on its way (a rounded DECIMAL,
// a truncated string under a permissive mode).
type WarningsError struct {
	Statement string // what the statement did, e.g. "copy chunk 12 into `d`.`_t_gho`"
	Warnings  []Warning
}

func (e *WarningsError) Error() string {
	parts := make([]string, 0, len(e.Warnings))
	for _, w := range e.Warnings {
		parts = append(parts, w.String())
	}
	return fmt.Sprintf("%s gave %d warning(s): %s", e.Statement, len(e.Warnings), strings.Join(parts, "; "))
}

// CheckWarnings returns a *WarningsError when the last statement on q left warnings.
func CheckWarnings(ctx context.Context, q Querier, statement string) error {
	ws, err := Warnings(ctx, q)
	if err != nil {
		return err
	}
	if len(ws) > 0 {
		return &WarningsError{Statement: statement, Warnings: ws}
	}
	return nil
}
