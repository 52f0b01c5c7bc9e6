package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// TablePlaceholder stands for the quoted name of the table, then of its twin, in the statements
// given to Twin.Exec.
const TablePlaceholder = "{{t}}"

// Execer runs a statement; *sql.DB, *sql.Conn and *sql.Tx are Execers.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// TxBeginner begins a transaction; *sql.DB and *sql.Conn are TxBeginners.
type TxBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Twin is a table and its twin: a copy to which writers apply every write too, in the same
// transaction and with the same values. After a migration of the table, the twin altered by
// the server's own ALTER TABLE must equal it row for row: it is the test's oracle.
type Twin struct {
	Table, Twin string // unquoted names
}

// Exec runs query in ex on the table and then on the twin, TablePlaceholder replaced by each
// one's quoted name, and returns the table's result. Writers that always write the table
// first take their row locks in one order and do not deadlock each other over the pair.
func (tw Twin) Exec(ctx context.Context, ex Execer, query string, args ...any) (sql.Result, error) {
	var first sql.Result
	for i, name := range []string{tw.Table, tw.Twin} {
		res, err := ex.ExecContext(ctx, strings.ReplaceAll(query, TablePlaceholder, quote(name)), args...)
		if err != nil {
			return nil, fmt.Errorf("on %s: %w", quote(name), err)
		}
		if i == 0 {
			first = res
		}
	}
	return first, nil
}

// InTx runs fn in a transaction begun on b and commits it. When fn fails the transaction is
// rolled back and fn's error returned as it is (a caller may compare it with a sentinel of
// its own that asks for the rollback); should the rollback fail too, otherwise than because
// the transaction had already ended, both errors are returned joined.
func InTx(ctx context.Context, b TxBeginner, fn func(*sql.Tx) error) error {
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		rerr := tx.Rollback()
		if rerr == nil || errors.Is(rerr, sql.ErrTxDone) || errors.Is(rerr, context.Canceled) || errors.Is(rerr, context.DeadlineExceeded) {
			return err
		}
		return errors.Join(err, rerr)
	}
	return tx.Commit()
}

// quote quotes an identifier for MySQL.
func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
