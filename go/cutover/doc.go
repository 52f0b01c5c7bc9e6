// Package cutover swaps the ghost table in for the original.
//
// Atomic (the default) uses a sentry table so that the original never disappears
// for the application and any failure leaves it in place: one session locks the
// original and the sentry (which holds the old table's future name), waits until
// every binlog event before the lock is applied, queues a RENAME on a second session,
// then drops the sentry and unlocks; the queued RENAME is granted before the DML that
// waited on the lock. Killing the lock holder at any step makes the RENAME fail on the
// sentry. TwoStep renames away and back under a lock and leaves a short gap in which
// the table does not exist.
//
// The package runs single attempts; the caller retries.
package cutover
