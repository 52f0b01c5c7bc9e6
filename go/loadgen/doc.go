// Package loadgen is a fixed-rate, open-loop write load generator for benchmarks and tests.
//
// N workers share one schedule: write i is due at start + i/rate. A worker claims the next due
// write, sleeps until its scheduled time, runs it, and records its latency from the *scheduled*
// time. When the server stalls (for example while a cut-over holds a table lock) the schedule
// keeps running, so the writes that queue up behind the stall are measured with their waiting
// time included ("coordinated omission" is avoided); with N workers the generator behaves like a
// server queue with N service slots.
//
// The writes are a mix of INSERT, UPDATE, DELETE and key-moving UPDATE (SET id = ...) against a
// sysbench-like table (id INT AUTO_INCREMENT PRIMARY KEY, k INT, c CHAR(120), pad CHAR(60)). They
// name only those four columns, so a schema change that adds columns may happen mid-run. Errors
// are counted by MySQL error number (1146 "table doesn't exist" is kept apart from, say, 1205
// "lock wait timeout") and never stop the run.
//
// Latencies are kept per time window (Stats), so that a caller can ask for p50/p99/max over any
// interval afterwards: before a migration, during its copy, across its cut-over.
//
// A run is bounded in time and in count and stops by itself; it only connects to loopback
// addresses (or a Unix socket): it is a tool for local topologies, never for a real server.
// It must not be imported by the migration code.
package loadgen
