// Package throttle decides whether a migration may do work right now.
//
// A Check looks at one condition (replication lag, server load, a flag file,
// an external HTTP or SQL signal, a user command) and says throttle, abort or
// carry on. A Throttler runs its checks on tickers, each at its own interval,
// caches their latest results and combines them into one decision that the row
// copier and the event applier read cheaply through Throttled and Decision, whose
// channel wakes a waiter at the next change. Checks read their limits through
// getter functions, so knobs changed at run time (max-lag-millis, max-load,
// throttle-query, ...) take effect on the next collection; whole checks can also be replaced while the throttler runs.
//
// Checks that fail to collect throttle rather than let the migration run
// blind; the reason names the check and the error.
//
// The package must not import other ghost packages, must not decide what to do
// on abort beyond returning an error from Run (the orchestrator cancels the
// migration), and must not log: the throttle reason surfaces in the status line.
package throttle
