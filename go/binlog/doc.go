// Package binlog reads row events from a server's binary log and hands them on as
// whole committed transactions of ghost's own Event types.
//
// It hides go-mysql behind Source, keeps the coordinates of the last complete
// transaction and reconnects there after a dropped connection, so an event is
// never skipped and never handed on twice. It knows nothing of migrations; the
// caller says which tables matter. It imports only dbconn.
package binlog
