// Package binlog reads a server's binary log as a replica would and hands on, in
// binlog order, the committed transactions that change watched tables.
//
// A Reader (over go-mysql's BinlogSyncer, which stays inside this package) starts at
// a file:pos Position, such as the one CurrentPosition reads, and sends a Transaction
// per commit: its row changes (Insert, Update, Delete with the before and after
// images) and the statements the caller's WatchStatement picks (DDL) as Changes,
// with the position after its commit and its GTID. Rows of tables nobody watches are
// not even decoded; a transaction without a watched change is not sent but still
// moves the position on. MySQL's compressed transaction payloads are unpacked.
//
// Positions are file:pos on every flavour; the GTID (MariaDB domain-server-seq,
// MySQL uuid:n) is only carried along. After a dropped connection the Reader
// reconnects, with a growing delay and a bounded number of tries, at the end of
// the last complete transaction, so a transaction is never skipped and never sent
// twice. A binary log that was purged before it was read is a user error (a hint)
// that also matches ErrPurged.
//
// The package knows nothing of migrations: the caller says which tables and
// statements matter and does everything with what it receives. It imports only
// dbconn and hint.
package binlog
