// Package migration is the orchestrator: it owns the phases of an online schema
// change (state.go), runs them one short step at a time (run.go), and starts every
// background loop (binlog reading, applying, heartbeat, status) in one place
// (loops.go) under one cancellation: a failing loop cancels the run with its cause.
//
// Only cmd/ghost imports this package.
package migration
