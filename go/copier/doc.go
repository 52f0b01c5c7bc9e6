// Package copier copies the original table into the ghost table in chunks along the
// shared unique key.
//
// Chunk boundaries are computed one after another (Next) and are plain values, so the
// same boundaries can later drive a checksum or several copy connections at once;
// copying a chunk (Copy) is synchronous, idempotent and safe to run concurrently
// with the binlog applier: it replaces the ghost rows of its range with the current
// rows of the original, read under a shared lock. It never decides when to copy
// (throttling is the caller's) and never counts a chunk that failed.
package copier
