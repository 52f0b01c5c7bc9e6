// Package faults holds fault-injection tests: the ghost binary, built once per test run,
// migrates a table through the replica of a real local topology while writers hit the
// primary, and the tests break things on purpose — SIGKILL of ghost during the copy and at
// every step of the atomic cut-over, server-side KILL of its copy and binlog connections,
// binary log rotation and purge, a transaction holding the table at cut-over, a stopped
// replica, a direct ALTER of the table, and a steady write load across the cut-over.
//
// Each test checks what the writers saw (never error 1146, bounded latency), that no
// committed write is lost (the table is compared with the writers' model row for row),
// the state ghost leaves behind, and that a rerun cleans up and completes.
// docs/faults.md describes every fault and ghost's behaviour in it.
//
// The package has no non-test code and is imported by nothing.
package faults
