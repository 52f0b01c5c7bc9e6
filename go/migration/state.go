package migration

// State is a phase of a migration. Every change of state goes through
// Migration.enter, which checks and logs it; hooks fire where the run reaches the
// event they name (go/hooks), not on every state.
type State int32

const (
	StateInit State = iota
	// StateInspecting: connecting, checking servers, table and ALTER.
	StateInspecting
	// StatePreparing: creating and altering the ghost table, the changelog table.
	StatePreparing
	// StateCopying: binlog applied continuously; rows copied chunk by chunk.
	StateCopying
	// StatePostponed: copy done, applying binlog, waiting for the flag file to go.
	StatePostponed
	// StateVerifying: comparing the ghost table with the original (checksum.go).
	StateVerifying
	// StateCuttingOver: swapping the tables.
	StateCuttingOver
	// StateCleaningUp: removing what the run created.
	StateCleaningUp
	// StateDone: the new table is in place (or, without --execute, the ALTER was proven).
	StateDone
	// StateFailed: stopped; the original table is untouched.
	StateFailed
)

func (s State) String() string {
	switch s {
	case StateInit:
		return "init"
	case StateInspecting:
		return "inspecting"
	case StatePreparing:
		return "preparing"
	case StateCopying:
		return "migrating"
	case StatePostponed:
		return "postponing cut-over"
	case StateVerifying:
		return "verifying"
	case StateCuttingOver:
		return "cutting over"
	case StateCleaningUp:
		return "cleaning up"
	case StateDone:
		return "done"
	case StateFailed:
		return "failed"
	}
	return "unknown"
}

// legal tells whether a transition is allowed; anything may fail or clean up.
func legal(from, to State) bool {
	if to == StateFailed || to == StateCleaningUp {
		return true
	}
	switch from {
	case StateInit:
		return to == StateInspecting
	case StateInspecting:
		return to == StatePreparing
	case StatePreparing:
		return to == StateCopying
	case StateCopying:
		return to == StatePostponed || to == StateVerifying || to == StateCuttingOver
	case StatePostponed:
		return to == StateVerifying || to == StateCuttingOver
	case StateVerifying:
		return to == StateCuttingOver
	case StateCleaningUp:
		return to == StateDone
	}
	return false
}
