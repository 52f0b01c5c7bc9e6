// Package status turns a point-in-time view of a migration into the text a DBA
// reads: the one-line progress report printed periodically and by the "sup"
// command, the ETA derived from the copy rate, and the end-of-run summary.
//
// The line keeps gh-ost's shape so that scripts and eyes trained on gh-ost keep
// working:
//
//	Copy: 12000/100000 12.0%; Applied: 57; Backlog: 0/1000; Time: 3s(total), 2s(copy); streamer: mysql-bin.000003:4567; Lag: 0.02s, HeartbeatLag: 0.05s, State: migrating; ETA: 14s
//
// The package is pure: it must not read clocks, counters, connections or any
// other live source, must not log, and must not import any other ghost
// package. Callers fill a Snapshot and ask it for text.
package status
