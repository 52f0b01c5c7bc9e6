package migration

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/cutover"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/throttle"
)

// Exit statuses, one per class of outcome (docs/exit-status.md), so that a script can tell
// "try again later" from "fix the command" from "call a human".
const (
	// ExitSuccess: migrated (or reverted); a noop proved the migration valid.
	ExitSuccess = 0
	// ExitFailed: failed while copying, applying, verifying or trying to cut over; the
	// original table is in place and untouched (its tables kept for a resume when the cause
	// was an outage). Run again later.
	ExitFailed = 1
	// ExitRefused: bad input, refused while inspecting and preparing, or a row the ALTER
	// cannot take (a duplicate for a new UNIQUE key, a value the new type cannot hold):
	// nothing is left behind. Running again does not help: fix the command, the data or the
	// server.
	ExitRefused = 2
	// ExitAborted: stopped by the operator or a guard: the socket's panic, the panic flag
	// file, --critical-load, a signal. The original table is in place.
	ExitAborted = 3
	// ExitAfterCutOver: failed once the tables were (or may have been) swapped: check the
	// tables by hand before anything else.
	ExitAfterCutOver = 4
)

// errPanic is the socket's panic command.
var errPanic = errors.New("panic: commanded by user")

// errDataRefused marks a failure of the data: a row the ALTER (or a revert's old schema)
// cannot take. Running again does not help; changing the ALTER or the data does.
var errDataRefused = errors.New("the data refuses the change")

// ExitStatus classifies the error Run returned.
func (m *Migration) ExitStatus(err error) int {
	switch {
	case err == nil:
		return ExitSuccess
	case m.cutOverDone || errors.Is(err, cutover.ErrHalfDone):
		return ExitAfterCutOver
	case m.interrupted || errors.Is(err, errPanic) || errors.Is(err, throttle.ErrAbort):
		return ExitAborted
	case m.failedIn <= StatePreparing || errors.Is(err, errDataRefused):
		return ExitRefused
	}
	return ExitFailed
}

// Outcome names an exit status in the summary file.
func Outcome(code int) string {
	switch code {
	case ExitSuccess:
		return "success"
	case ExitFailed:
		return "failed"
	case ExitRefused:
		return "refused"
	case ExitAborted:
		return "aborted"
	case ExitAfterCutOver:
		return "failed-after-cut-over"
	}
	return "unknown"
}

// Report is the summary file (--summary-file): what happened, as JSON.
type Report struct {
	Outcome    string    `json:"outcome"`
	ExitStatus int       `json:"exit_status"`
	Error      string    `json:"error,omitempty"`
	Hint       string    `json:"hint,omitempty"`
	Database   string    `json:"database"`
	Table      string    `json:"table"`
	Alter      string    `json:"alter,omitempty"`
	Revert     bool      `json:"revert,omitempty"`
	Execute    bool      `json:"execute"`
	State      string    `json:"last_state"`
	StartedAt  time.Time `json:"started_at"`
	EndedAt    time.Time `json:"ended_at"`
	Seconds    float64   `json:"seconds"`
	// From the run's figures.
	RowsCopied       int64           `json:"rows_copied"`
	RowsEstimated    int64           `json:"rows_estimated"`
	EventsApplied    int64           `json:"events_applied"`
	CopySeconds      float64         `json:"copy_seconds"`
	CutOverDone      bool            `json:"cut_over_done"`
	CutOverBlockedMS int64           `json:"cut_over_blocked_ms"`
	Checksum         *ChecksumReport `json:"checksum,omitempty"`
	// Backfill is a ghost backfill's part (rows_copied above are then the rows examined).
	Backfill *BackfillReport `json:"backfill,omitempty"`
	// TablesLeft are ghost's tables of the table in the database when the run ended (ghost,
	// changelog, checkpoint, old table); nil when the server could not be asked.
	TablesLeft []string `json:"tables_left"`
}

// ChecksumReport is the checksum's part of a Report.
type ChecksumReport struct {
	Chunks   int     `json:"chunks"`
	Differed int     `json:"differed"`
	Repaired int     `json:"repaired"`
	Seconds  float64 `json:"seconds"`
}

// BackfillReport is a backfill's part of a Report.
type BackfillReport struct {
	Set          string `json:"set"`
	Where        string `json:"where,omitempty"`
	RowsExamined int64  `json:"rows_examined"` // by every run, a resumed one's included
	RowsChanged  int64  `json:"rows_changed"`  // by this run
	Chunks       int64  `json:"chunks"`        // by this run
}

// Report describes the ended run whose Run returned err.
func (m *Migration) Report(err error) Report {
	code := m.ExitStatus(err)
	r := Report{Outcome: Outcome(code), ExitStatus: code, Database: m.cfg.Database, Table: m.cfg.Table, Alter: m.cfg.Alter,
		Revert: m.cfg.Revert, Execute: m.cfg.Execute, State: m.State().String(), StartedAt: m.started, EndedAt: time.Now(),
		CutOverDone: m.cutOverDone, CutOverBlockedMS: m.blockedFor().Milliseconds(), TablesLeft: m.tablesLeft}
	if r.StartedAt.IsZero() {
		r.StartedAt = r.EndedAt
	}
	r.Seconds = r.EndedAt.Sub(r.StartedAt).Seconds()
	if err != nil {
		r.Error = err.Error()
		if h, ok := hint.As(err); ok {
			r.Error, r.Hint = h.Msg, h.Hint
		}
	}
	f := m.snapshot().Fields()
	r.RowsCopied, r.RowsEstimated, r.EventsApplied, r.CopySeconds = f.RowsCopied, f.RowsEstimated, f.EventsApplied, f.CopySeconds
	if c := m.checksumDone.Load(); c != nil {
		r.Checksum = &ChecksumReport{c.chunks, c.differed, c.repaired, c.took.Seconds()}
	}
	if bf := m.backfill; bf != nil {
		r.Backfill = &BackfillReport{Set: bf.set, Where: bf.where, RowsExamined: bf.before + bf.examined.Load(),
			RowsChanged: bf.changed.Load(), Chunks: bf.chunks.Load()}
	}
	return r
}

// listTablesLeft records ghost's tables of the table that exist as the run ends.
func (m *Migration) listTablesLeft(ctx context.Context) {
	if m.primary == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	rows, err := m.primary.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", m.cfg.Database)
	if err != nil {
		return
	}
	defer rows.Close()
	left := []string{}
	mine := []string{m.ghostT.Name, m.changelogT.Name, m.checkpointT.Name, m.oldT.Name, m.sentryT.Name}
	for rows.Next() {
		var n string
		if rows.Scan(&n) != nil {
			return
		}
		for _, t := range mine {
			if strings.EqualFold(n, t) {
				left = append(left, n)
				break
			}
		}
	}
	if rows.Err() == nil {
		m.tablesLeft = left
	}
}
