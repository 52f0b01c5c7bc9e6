package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// checksumChunk is the id range one checksum query covers.
const checksumChunk = 25_000

// comparison is the result of comparing two tables.
type comparison struct {
	SchemaEqual bool
	SchemaA     string // normalised SHOW CREATE TABLE
	SchemaB     string
	Columns     int
	RowsA       int64
	RowsB       int64
	Chunks      int
	BadChunks   []string // id ranges whose checksums differ
	Differ      int64    // rows of A missing from B or different
	Missing     int64    // rows of B missing from A
}

func (c comparison) identical() bool {
	return c.SchemaEqual && c.RowsA == c.RowsB && len(c.BadChunks) == 0 && c.Differ == 0 && c.Missing == 0
}

var (
	autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=\d+`)
	createHead    = regexp.MustCompile("^CREATE TABLE `(?:[^`]|``)*`")
)

// normaliseCreate makes SHOW CREATE TABLE outputs of two tables comparable: the table name and the
// AUTO_INCREMENT counter are not part of the schema.
func normaliseCreate(s string) string {
	s = createHead.ReplaceAllString(s, "CREATE TABLE `T`")
	return autoIncrement.ReplaceAllString(s, "")
}

func showCreate(ctx context.Context, db *sql.DB, table string) (string, error) {
	var name, create string
	if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE "+dbconn.QuoteIdent(table)).Scan(&name, &create); err != nil {
		return "", fmt.Errorf("SHOW CREATE TABLE %s: %w", table, err)
	}
	return create, nil
}

// columns returns the table's column names in order.
func columns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("columns of %s: table not found", table)
	}
	return cols, nil
}

// rowExpr is one string holding every column of a row of alias, with a NULL map at the end
// (CONCAT_WS skips NULLs), compared as bytes: a case- or trailing-space-insensitive collation
// must not hide a difference.
func rowExpr(alias string, cols []string) string {
	vals := make([]string, len(cols))
	nulls := make([]string, len(cols))
	for i, c := range cols {
		q := alias + "." + dbconn.QuoteIdent(c)
		vals[i] = q
		nulls[i] = "ISNULL(" + q + ")"
	}
	return "CAST(CONCAT_WS('|', " + strings.Join(vals, ", ") + ", CONCAT(" + strings.Join(nulls, ", ") + ")) AS BINARY)"
}

// chunkChecksums returns, per id range of checksumChunk ids from lo to hi, the row count and the
// MD5 of the rows concatenated in id order.
func chunkChecksums(ctx context.Context, db *sql.DB, table string, cols []string, lo, hi int64) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Each chunk's rows are concatenated before hashing: room for checksumChunk rows of ~400 bytes.
	if _, err := conn.ExecContext(ctx, "SET SESSION group_concat_max_len = 64 * 1024 * 1024"); err != nil {
		return nil, fmt.Errorf("checksum %s: %w", table, err)
	}
	q := fmt.Sprintf("SELECT COUNT(*), COALESCE(MD5(GROUP_CONCAT(%s ORDER BY t.id SEPARATOR '\\n')), '') FROM %s AS t WHERE t.id >= ? AND t.id < ?",
		rowExpr("t", cols), dbconn.QuoteIdent(table))
	var sums []string
	for from := lo; from <= hi; from += checksumChunk {
		var n int64
		var sum string
		if err := conn.QueryRowContext(ctx, q, from, from+checksumChunk).Scan(&n, &sum); err != nil {
			return nil, fmt.Errorf("checksum %s ids %d..%d: %w", table, from, from+checksumChunk-1, err)
		}
		sums = append(sums, fmt.Sprintf("%d:%s", n, sum))
	}
	return sums, nil
}

// idRange returns the smallest and largest id of both tables.
func idRange(ctx context.Context, db *sql.DB, a, b string) (lo, hi int64, err error) {
	q := fmt.Sprintf("SELECT COALESCE(LEAST((SELECT MIN(id) FROM %[1]s), (SELECT MIN(id) FROM %[2]s)), 0), "+
		"COALESCE(GREATEST((SELECT MAX(id) FROM %[1]s), (SELECT MAX(id) FROM %[2]s)), 0)", dbconn.QuoteIdent(a), dbconn.QuoteIdent(b))
	err = db.QueryRowContext(ctx, q).Scan(&lo, &hi)
	return lo, hi, err
}

// compareTables compares table a with table b on one server: schema, row count, chunk checksums in
// id order, and a full join that counts every row that is missing or different.
func compareTables(ctx context.Context, db *sql.DB, a, b string, say func(string, ...any)) (comparison, error) {
	var c comparison
	ca, err := showCreate(ctx, db, a)
	if err != nil {
		return c, err
	}
	cb, err := showCreate(ctx, db, b)
	if err != nil {
		return c, err
	}
	c.SchemaA, c.SchemaB = normaliseCreate(ca), normaliseCreate(cb)
	c.SchemaEqual = c.SchemaA == c.SchemaB
	cols, err := columns(ctx, db, a)
	if err != nil {
		return c, err
	}
	c.Columns = len(cols)
	if c.SchemaEqual {
		say("schema:    SHOW CREATE TABLE identical apart from name and AUTO_INCREMENT (%d columns)", len(cols))
	} else {
		say("schema:    SHOW CREATE TABLE differs:\n%s\n--- vs ---\n%s", c.SchemaA, c.SchemaB)
	}

	for _, x := range []struct {
		t string
		n *int64
	}{{a, &c.RowsA}, {b, &c.RowsB}} {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+dbconn.QuoteIdent(x.t)).Scan(x.n); err != nil {
			return c, fmt.Errorf("count %s: %w", x.t, err)
		}
	}
	say("rows:      %s %d, %s %d", a, c.RowsA, b, c.RowsB)
	if !c.SchemaEqual {
		return c, nil // the row checks need the same columns on both sides
	}

	lo, hi, err := idRange(ctx, db, a, b)
	if err != nil {
		return c, fmt.Errorf("id range: %w", err)
	}
	sa, err := chunkChecksums(ctx, db, a, cols, lo, hi)
	if err != nil {
		return c, err
	}
	sb, err := chunkChecksums(ctx, db, b, cols, lo, hi)
	if err != nil {
		return c, err
	}
	c.Chunks = len(sa)
	for i := range sa {
		if sa[i] != sb[i] {
			from := lo + int64(i)*checksumChunk
			c.BadChunks = append(c.BadChunks, fmt.Sprintf("%d..%d", from, from+checksumChunk-1))
		}
	}
	if len(c.BadChunks) == 0 {
		say("checksums: %d chunks of %d ids (MD5 of every column, rows in id order): all equal", c.Chunks, checksumChunk)
	} else {
		say("checksums: %d of %d chunks differ, first: ids %s", len(c.BadChunks), c.Chunks, c.BadChunks[0])
	}

	// The join compares every column of every row: the checksums above could only miss a
	// difference by an MD5 collision, this cannot.
	qa, qb := dbconn.QuoteIdent(a), dbconn.QuoteIdent(b)
	diff := fmt.Sprintf("SELECT COUNT(*) FROM %s AS a LEFT JOIN %s AS b ON b.id = a.id WHERE b.id IS NULL OR %s <> %s",
		qa, qb, rowExpr("a", cols), rowExpr("b", cols))
	if err := db.QueryRowContext(ctx, diff).Scan(&c.Differ); err != nil {
		return c, fmt.Errorf("diff %s against %s: %w", a, b, err)
	}
	missing := fmt.Sprintf("SELECT COUNT(*) FROM %s AS b LEFT JOIN %s AS a ON a.id = b.id WHERE a.id IS NULL", qb, qa)
	if err := db.QueryRowContext(ctx, missing).Scan(&c.Missing); err != nil {
		return c, fmt.Errorf("diff %s against %s: %w", b, a, err)
	}
	say("join diff: %d rows of %s missing from or different in %s; %d rows of %s missing from %s",
		c.Differ, a, b, c.Missing, b, a)
	return c, nil
}
