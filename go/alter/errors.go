package alter

import "errors"

// Sentinel errors, reachable with errors.Is through a *UserError.
var (
	// ErrEmpty: --alter holds no clause.
	ErrEmpty = errors.New("empty ALTER")
	// ErrNotAlterTable: the text is a statement other than ALTER TABLE.
	ErrNotAlterTable = errors.New("not an ALTER TABLE statement")
	// ErrSyntax: ghost's own tokenizer could not read the text (unterminated
	// quote or comment, several statements, unreadable table name).
	ErrSyntax = errors.New("unreadable ALTER")
	// ErrRefused: a clause that an online row copy cannot carry out.
	ErrRefused = errors.New("ALTER refused")
	// ErrTableMismatch: the statement names another table than --table.
	ErrTableMismatch = errors.New("ALTER names another table")
	// ErrRenameNotApproved: columns are renamed and neither
	// --approve-renamed-columns nor --skip-renamed-columns was given.
	ErrRenameNotApproved = errors.New("column rename not approved")
	// ErrColumnMapping: the old and new column lists cannot be matched safely.
	ErrColumnMapping = errors.New("cannot map columns")
)

// UserError is an error caused by what the user asked for, with a hint on
// what to do about it. Its text is one line.
type UserError struct {
	Msg  string // what is wrong
	Hint string // what to do
	Err  error  // one of the sentinels above, for errors.Is; may be nil
}

// Error returns "Msg: Hint".
func (e *UserError) Error() string {
	if e.Hint == "" {
		return e.Msg
	}
	return e.Msg + ": " + e.Hint
}

// Unwrap returns the sentinel the error belongs to.
func (e *UserError) Unwrap() error { return e.Err }

func userError(kind error, msg, hint string) *UserError {
	return &UserError{Msg: oneLine(msg), Hint: oneLine(hint), Err: kind}
}
