// Package sqlgen builds the row statements of the copy and of the apply: the key
// edge and chunk end that walk the copy along the shared key (KeyEdge, ChunkEnd),
// the chunk copy (DeleteRange clears a key range of the ghost table, CopyRange
// copies it with INSERT ... SELECT), and the apply of a batch of row changes as
// deletes by key followed by multi-row inserts (DeleteKeys, InsertRows). Table
// names a table for every package.
//
// Builders are pure: they take tables, column descriptions and key bounds and
// return SQL text with placeholders and, where bounds are involved, the arguments
// in placeholder order; no row or key value becomes part of the text (a bound on an
// ENUM column only decides how many member indexes its IN list takes). Identifiers are
// always quoted through dbconn.QuoteIdent. Character values travel as raw bytes and
// are converted to their column's charset in the statement; key values are compared
// under the key column's collation, or cast to its type, so that a comparison
// orders as the index does.
//
// The statements of the cut-over (cutover) and of the changelog table (changelog)
// are written where they run, not here.
package sqlgen
