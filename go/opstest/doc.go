// Package opstest proves the operator surface of ghost against a real topology:
// throttling (flag files, user commands, replica lag, max-load), critical load and
// hibernation, panic, postponed cut-over, run-time knobs, hooks, and the
// --test-on-replica / --migrate-on-replica modes.
//
// The tests build the ghost binary once, start one local primary + replica
// (go/topology/topotest), and run ghost as a subprocess against the replica, one
// database per test, each with its own control socket, throttle file and
// replica server id. They talk to ghost over its unix socket exactly as an
// operator would and observe the effects on the servers: rows in _t_gho, the
// copied-row count in the status line, the schema of the table, tables left behind.
// Tests that stop replication start a topology of their own, so every test can run
// in parallel with the others.
//
// The package holds tests only; it must not be imported, and it must not reach into
// ghost's internals: the binary and the servers are the only things it observes.
package opstest
