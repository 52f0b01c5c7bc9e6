// Package changelog owns the _t_ghc table: heartbeats and state markers written on
// the primary that come back to ghost through the binary log, in order with the
// application's writes. That ordering is what makes "every write before the lock has
// been applied" a plain fact rather than a guess.
package changelog
