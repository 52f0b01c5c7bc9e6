// Package topology starts a throw-away primary + replica pair of MySQL-compatible servers for
// integration tests, the demo (script/topology) and benchmarks.
//
// The default "local" backend runs the mariadbd (or mysqld) binary found on the machine: each server
// gets a fresh data dir, socket, pid file and error log under one directory, listens on a free
// loopback port (never 3306) and writes a ROW/FULL binary log with GTIDs. The replica is wired with
// GTID auto-positioning and verified by writing a row on the primary and reading it on the replica.
// A primary + replica pair is ready in about a second.
//
// The "docker" backend starts MySQL containers through testcontainers-go instead; it is chosen with
// Options.Backend or GHOST_TEST_BACKEND=docker and needs a reachable Docker engine.
//
// This package is test and tooling support: it must never be imported by the migration code, and it
// never touches a server it did not start (in particular the system instance on port 3306).
package topology
