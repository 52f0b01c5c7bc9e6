// Package sqlgen builds the statements ghost runs: chunk boundaries, the chunk copy,
// the apply of row changes, and the cut-over statements. Builders are pure: they take
// names and column descriptions and return SQL with placeholders, never values.
// Identifiers are always quoted through dbconn.QuoteIdent.
package sqlgen
