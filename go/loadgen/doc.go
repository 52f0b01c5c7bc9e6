// Package loadgen is the write load of benchmarks, tests and the demo: a fixed-rate open-loop
// generator of sysbench-like writes, and the Loop it runs on, which any test's own writes can
// use.
//
// A Loop runs an Op (one statement or one transaction) on N workers. Open loop (a Rate): the
// workers share one schedule, op i is due at start + i/rate; a worker claims the next due op,
// sleeps until its scheduled time, runs it, and records its latency from the *scheduled* time.
// When the server stalls (for example while a cut-over holds a table lock) the schedule keeps
// running, so the ops that queue up behind the stall are measured with their waiting time
// included ("coordinated omission" is avoided); with N workers the loop behaves like a server
// queue with N service slots. Closed loop (no Rate): each worker runs its next op a pause after
// its last one, as a test's writers that must keep going but need no rate do. Errors are counted
// by MySQL error number (1146 "table doesn't exist" is kept apart from, say, 1205 "lock wait
// timeout") and never stop the run; Hold and Release keep the workers out for a while.
//
// Generator's writes are a mix of INSERT, UPDATE, DELETE and key-moving UPDATE (SET id = ...)
// against a sysbench-like table (id INT AUTO_INCREMENT PRIMARY KEY, k INT, c CHAR(120), pad
// CHAR(60)). They name only those four columns, so a schema change that adds columns may happen
// mid-run.
//
// Twin and InTx serve tests whose oracle is a twin table: every transaction writes the table and
// then its twin with the same statements and values, so that after a migration the twin, altered
// by the server itself, must equal the migrated table row for row.
//
// Latencies are kept per time window (Stats), so that a caller can ask for p50/p99/max over any
// interval afterwards: before a migration, during its copy, across its cut-over.
//
// A run is bounded in time and in count and stops by itself; the Generator only connects to
// loopback addresses (or a Unix socket): it is a tool for local topologies, never for a real
// server. It must not be imported by the migration code.
package loadgen
