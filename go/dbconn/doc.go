// Package dbconn opens connection pools and pinned connections with the session
// settings ghost needs, quotes identifiers, classifies MySQL/MariaDB errors by
// number and detects the server flavour and version.
//
// It must not know about migrations: no table names, no ghost logic. It imports
// nothing internal.
package dbconn
