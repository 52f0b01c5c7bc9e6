// Package schema reads a table's definition (columns, types, charsets, generated
// and invisible columns, keys, foreign keys, triggers) and decides which unique key
// the original and the ghost table share.
//
// It reads; it never changes a table. It imports only dbconn.
package schema
