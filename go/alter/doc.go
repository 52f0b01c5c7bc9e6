// Package alter reads the user's --alter with a real SQL parser (TiDB's) and
// tells the rest of ghost what it does: the clause list to apply to the ghost
// table exactly as the user wrote it, the table named in a full statement,
// renamed, dropped, added and modified columns, clauses an online row copy
// cannot carry out (refusals), and an advisory risk classification.
//
// The package is pure: it never talks to a database and imports nothing from
// ghost. When the TiDB parser cannot read the ALTER (MariaDB-only syntax such
// as UUID or INET6 columns, INVISIBLE, SPATIAL INDEX) the analysis falls back
// to a keyword scan and the server becomes the judge: the caller applies the
// clause to the ghost table and derives the column mapping from the two
// schemas with ColumnMapping, which refuses what it cannot map safely.
//
// It must not re-render the ALTER from the syntax tree for execution: the
// server has to see MariaDB-only syntax unchanged.
package alter
