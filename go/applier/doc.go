// Package applier writes row changes read from the binary log into the ghost table.
//
// A batch of changes is folded to the final image of every row it touches, then
// written in one transaction as one multi-row DELETE of every touched key and one
// multi-row INSERT of the surviving rows. That is exactly the effect of replaying
// the changes one by one, never silently drops or overwrites an unrelated row (no
// REPLACE, no INSERT IGNORE: a conflict on another unique key is an error), and is
// idempotent, so a change the row copy has already seen does no harm.
//
// It is synchronous; the caller decides when to apply.
package applier
