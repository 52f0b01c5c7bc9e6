package status

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// StateMigrating is the state shown when no more specific state applies.
const StateMigrating = "migrating"

// minETAProgress is the progress (in percent) below which the copy rate is
// considered too noisy to extrapolate an ETA from; gh-ost uses the same floor.
const minETAProgress = 0.1

// Snapshot is everything the status line reports, captured at one moment.
// The zero value is a valid, if uninformative, snapshot.
type Snapshot struct {
	// State names the migration phase ("migrating", "counting rows", ...).
	// Empty means StateMigrating.
	State string
	// ThrottleReason is non-empty while the migration is throttled and says why.
	ThrottleReason string
	// CutOverPostponed is true while the cut-over is ready but held back by the
	// postpone flag file. It takes precedence over throttling in the line.
	CutOverPostponed bool
	// CutOverWaiting names the sessions whose locks the cut-over waits for ("" when none).
	CutOverWaiting string

	// CopiedRows is the number of rows copied to the ghost table so far.
	CopiedRows int64
	// EstimatedRows is the estimated (or exactly counted) size of the table.
	EstimatedRows int64
	// CopyComplete is true once the row copy has finished.
	CopyComplete bool

	// AppliedEvents is the number of binlog DML events applied so far.
	AppliedEvents int64
	// BacklogLen and BacklogCap describe the queue of binlog events waiting to
	// be applied.
	BacklogLen, BacklogCap int

	// Elapsed is the time since the migration started.
	Elapsed time.Duration
	// CopyElapsed is the time spent in the row-copy phase so far (or in total
	// once the copy is complete).
	CopyElapsed time.Duration

	// Coordinates is the binlog position the streamer has read up to,
	// already formatted for display (file:pos or a GTID set).
	Coordinates string
	// ReplicaLag is the replication lag of the inspected server.
	ReplicaLag time.Duration
	// HeartbeatLag is the time since the last heartbeat written to the
	// changelog table came back through the binlog.
	HeartbeatLag time.Duration
	// Checkpointed tells whether a checkpoint has been written (or resumed from);
	// CheckpointAge is then the time since it was written.
	Checkpointed  bool
	CheckpointAge time.Duration
	// Checksum is the checksum's progress or result ("" before one ran).
	Checksum string
}

// Progress returns the copy progress in percent. Like gh-ost, an estimate of
// zero counts as 100% (an empty table) and the value is not capped, so an
// underestimated table can show more than 100%.
func (s Snapshot) Progress() float64 {
	if s.EstimatedRows <= 0 {
		return 100
	}
	return 100 * float64(s.CopiedRows) / float64(s.EstimatedRows)
}

// ETA estimates the remaining copy time from the average copy rate so far.
// known is false when there is not enough progress to extrapolate from. A
// known ETA of zero means the copy is due (done, or about to be).
func (s Snapshot) ETA() (eta time.Duration, known bool) {
	if s.CopyComplete || s.CutOverPostponed {
		return 0, true
	}
	progress := s.Progress()
	if progress >= 100 {
		return 0, true
	}
	if progress < minETAProgress || s.CopiedRows <= 0 || s.CopyElapsed <= 0 {
		return 0, false
	}
	remainingRows := float64(s.EstimatedRows - s.CopiedRows)
	perRow := float64(s.CopyElapsed) / float64(s.CopiedRows)
	eta = time.Duration(remainingRows * perRow).Truncate(time.Second)
	if eta < 0 {
		eta = 0
	}
	return eta, true
}

// StateText is the "State:" field of the line: the postponed cut-over first,
// then throttling with its reason, then the phase name.
func (s Snapshot) StateText() string {
	switch {
	case s.CutOverPostponed:
		return "postponing cut-over"
	case s.CutOverWaiting != "":
		return "cut-over waiting: " + s.CutOverWaiting
	case s.ThrottleReason != "":
		return "throttled, " + s.ThrottleReason
	case s.State != "":
		return s.State
	default:
		return StateMigrating
	}
}

// ETAText is the "ETA:" field of the line: "due", "N/A" or a duration.
func (s Snapshot) ETAText() string {
	eta, known := s.ETA()
	switch {
	case !known:
		return "N/A"
	case eta <= 0:
		return "due"
	default:
		return FormatDuration(eta)
	}
}

// Line renders the snapshot as gh-ost's status line.
// A checkpoint's age follows gh-ost's fields, so that parsers of gh-ost's line keep working.
func (s Snapshot) Line() string {
	line := fmt.Sprintf("Copy: %d/%d %.1f%%; Applied: %d; Backlog: %d/%d; Time: %s(total), %s(copy); streamer: %s; Lag: %.2fs, HeartbeatLag: %.2fs, State: %s; ETA: %s",
		s.CopiedRows, s.EstimatedRows, s.Progress(),
		s.AppliedEvents,
		s.BacklogLen, s.BacklogCap,
		FormatDuration(s.Elapsed), FormatDuration(s.CopyElapsed),
		s.Coordinates,
		s.ReplicaLag.Seconds(), s.HeartbeatLag.Seconds(),
		s.StateText(),
		s.ETAText(),
	)
	if s.Checkpointed {
		line += "; Checkpoint: " + FormatDuration(s.CheckpointAge) + " ago"
	}
	if s.Checksum != "" {
		line += "; Checksum: " + s.Checksum
	}
	return line
}

// FormatDuration prints d truncated to whole seconds ("0s", "14s", "1m5s",
// "2h0m0s"); sub-second precision is noise in a progress report.
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return "0s"
	}
	return d.Truncate(time.Second).String()
}

// Summary is the end-of-run report.
type Summary struct {
	// RowsCopied is the number of rows copied to the ghost table.
	RowsCopied int64
	// EventsApplied is the number of binlog DML events applied.
	EventsApplied int64
	// Elapsed is the whole migration's duration.
	Elapsed time.Duration
	// CopyDuration is the time the row copy took.
	CopyDuration time.Duration
	// CutOverBlock is how long writes to the original table were blocked
	// during the cut-over (lock to rename).
	CutOverBlock time.Duration
}

// String renders the summary on one line, e.g.
// "Done: copied 100000 rows in 12s; applied 57 events; total 15s; cut-over blocked writes for 250ms".
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Done: copied %d rows in %s; applied %d events", s.RowsCopied, FormatDuration(s.CopyDuration), s.EventsApplied)
	if s.Elapsed > 0 {
		fmt.Fprintf(&b, "; total %s", FormatDuration(s.Elapsed))
	}
	// The write block is the figure DBAs care about most and it is usually
	// sub-second, so it keeps millisecond precision.
	fmt.Fprintf(&b, "; cut-over blocked writes for %dms", s.CutOverBlock.Milliseconds())
	return b.String()
}

// Fields is a snapshot as one JSON object (socket command "status json", --status-format
// json, the summary file): the status line's fields, named and in plain units.
type Fields struct {
	State            string  `json:"state"`
	StateText        string  `json:"state_text"`
	Throttled        bool    `json:"throttled"`
	ThrottleReason   string  `json:"throttle_reason,omitempty"`
	CutOverPostponed bool    `json:"cut_over_postponed"`
	CutOverWaiting   string  `json:"cut_over_waiting,omitempty"`
	RowsCopied       int64   `json:"rows_copied"`
	RowsEstimated    int64   `json:"rows_estimated"`
	ProgressPercent  float64 `json:"progress_percent"`
	CopyComplete     bool    `json:"copy_complete"`
	EventsApplied    int64   `json:"events_applied"`
	Backlog          int     `json:"backlog"`
	BacklogCapacity  int     `json:"backlog_capacity"`
	ElapsedSeconds   float64 `json:"elapsed_seconds"`
	CopySeconds      float64 `json:"copy_seconds"`
	ETASeconds       float64 `json:"eta_seconds,omitempty"`
	Coordinates      string  `json:"coordinates,omitempty"`
	ReplicaLagSec    float64 `json:"replica_lag_seconds"`
	HeartbeatLagSec  float64 `json:"heartbeat_lag_seconds"`
	CheckpointAgeSec float64 `json:"checkpoint_age_seconds,omitempty"`
	Checksum         string  `json:"checksum,omitempty"`
	LastError        string  `json:"last_error,omitempty"`
}

// Fields returns the snapshot's fields for JSON.
func (s Snapshot) Fields() Fields {
	f := Fields{
		State: s.State, StateText: s.StateText(), Throttled: s.ThrottleReason != "", ThrottleReason: s.ThrottleReason,
		CutOverPostponed: s.CutOverPostponed, CutOverWaiting: s.CutOverWaiting,
		RowsCopied: s.CopiedRows, RowsEstimated: s.EstimatedRows, ProgressPercent: math.Round(s.Progress()*10) / 10,
		CopyComplete: s.CopyComplete, EventsApplied: s.AppliedEvents, Backlog: s.BacklogLen, BacklogCapacity: s.BacklogCap,
		ElapsedSeconds: s.Elapsed.Seconds(), CopySeconds: s.CopyElapsed.Seconds(), Coordinates: s.Coordinates,
		ReplicaLagSec: s.ReplicaLag.Seconds(), HeartbeatLagSec: s.HeartbeatLag.Seconds(), Checksum: s.Checksum,
	}
	if f.State == "" {
		f.State = StateMigrating
	}
	if eta, ok := s.ETA(); ok {
		f.ETASeconds = eta.Seconds()
	}
	if s.Checkpointed {
		f.CheckpointAgeSec = s.CheckpointAge.Seconds()
	}
	return f
}

// JSON renders the snapshot as one line of JSON, with lastErr.
func (s Snapshot) JSON(lastErr string) string {
	f := s.Fields()
	f.LastError = lastErr
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}
