// Package checksum compares the ghost table with the original, chunk by chunk of the shared
// key, inside snapshots both read at one consistent point (go/cutover.Freeze takes it).
//
// A chunk's sum is its row count and the XOR of a 64-bit hash of every row (CRC32 and CRC32C
// of its text side by side: measured on 1M rows, a third of MD5's time). A row's text is
// each compared column in a self-delimiting form (its byte length, ':', its bytes; NULL as
// NULL), so no two different rows make the same text. The original's value of a column whose
// type the ALTER changes is converted to the ghost column's type the way the copy's INSERT
// converts it (CAST, CONVERT USING), so that a change of type, charset or collation raises no
// false difference while a real one is never hidden: what is compared is what the ghost table
// must hold.
package checksum

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Pair is a column of the original and the ghost column its values are copied to.
type Pair struct{ Orig, Ghost schema.Column }

// Config says what to compare.
type Config struct {
	Orig, Ghost sqlgen.Table
	Index       string // the shared key's index in the original
	Key         []sqlgen.Col
	KeyKinds    []copier.KeyKind
	Pairs       []Pair
	// CRC32C: the server has CRC32C() (MariaDB 10.8+); otherwise the second half of a row's
	// hash is CRC32 of its text with a prefix.
	CRC32C bool
}

// Sum is what a chunk of one table adds up to.
type Sum struct {
	Rows int64
	Hash uint64
}

// Querier is a connection holding a snapshot (a *sql.Conn in a transaction, or a *sql.Tx).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Checker renders and runs the checksum's statements.
type Checker struct {
	cfg              Config
	origSum, ghoSum  string // SELECT ... FROM table WHERE %s
	origExpr, ghoExp []string
}

// New prepares the statements.
func New(cfg Config) *Checker {
	c := &Checker{cfg: cfg}
	for _, p := range cfg.Pairs {
		o, g := Convert(p.Orig, p.Ghost)
		c.origExpr = append(c.origExpr, o)
		c.ghoExp = append(c.ghoExp, g)
	}
	c.origSum = fmt.Sprintf("SELECT COUNT(*), COALESCE(BIT_XOR(%s), 0) FROM %s FORCE INDEX (%s) WHERE ", rowHash(c.origExpr, cfg.CRC32C), cfg.Orig, dbconn.QuoteIdent(cfg.Index))
	c.ghoSum = fmt.Sprintf("SELECT COUNT(*), COALESCE(BIT_XOR(%s), 0) FROM %s WHERE ", rowHash(c.ghoExp, cfg.CRC32C), cfg.Ghost)
	return c
}

// rowHash is the 64-bit hash of a row's self-delimiting text.
func rowHash(exprs []string, crc32c bool) string {
	parts := make([]string, len(exprs))
	for i, e := range exprs {
		// As bytes: no charset or collation of a column mixes with another's.
		parts[i] = fmt.Sprintf("COALESCE(CONCAT(LENGTH(%s), ':', CAST(%s AS BINARY)), 'NULL')", e, e)
	}
	text := "CONCAT(" + strings.Join(parts, ", ") + ")"
	low := "CRC32C(" + text + ")"
	if !crc32c {
		low = "CRC32(CONCAT('#', " + text + "))"
	}
	return fmt.Sprintf("(CRC32(%s) << 32 | %s)", text, low)
}

// Side is one of the two tables compared.
type Side int

const (
	Original Side = iota
	GhostSide
)

// Sum reads one table's sum of a key range in the snapshot q holds.
func (c *Checker) Sum(ctx context.Context, q Querier, side Side, b sqlgen.Bounds) (Sum, error) {
	where, args := b.Where(c.cfg.Key)
	query, table := c.origSum, c.cfg.Orig
	if side == GhostSide {
		query, table = c.ghoSum, c.cfg.Ghost
	}
	var s Sum
	if err := q.QueryRowContext(ctx, query+where, args...).Scan(&s.Rows, &s.Hash); err != nil {
		return s, fmt.Errorf("checksum of %s: %w", table, err)
	}
	return s, nil
}

// Chunks divides the original's key space into ranges of about size rows, as the snapshot q
// holds sees it. The first range is open below and the last open above, so that a ghost row
// outside the original's key range is in one of them too.
func (c *Checker) Chunks(ctx context.Context, q Querier, size int64) ([]sqlgen.Bounds, error) {
	var out []sqlgen.Bounds
	next := sqlgen.Bounds{}
	for {
		query, args := sqlgen.ChunkEnd(c.cfg.Orig, c.cfg.Index, c.cfg.Key, next, size)
		rows, err := q.QueryContext(ctx, query, args...)
		end, err := copier.ReadKey(rows, err, c.cfg.Key, c.cfg.KeyKinds)
		if err != nil {
			return nil, fmt.Errorf("checksum chunks of %s: %w", c.cfg.Orig, err)
		}
		if end == nil {
			out = append(out, sqlgen.Bounds{Lower: next.Lower, LowerInclusive: next.LowerInclusive})
			return out, nil
		}
		out = append(out, sqlgen.Bounds{Lower: next.Lower, LowerInclusive: next.LowerInclusive, Upper: end})
		next = sqlgen.Bounds{Lower: end}
	}
}

var (
	decimalArgs = regexp.MustCompile(`^decimal\((\d+),(\d+)\)`)
	fsp         = regexp.MustCompile(`\((\d)\)`)
	binaryLen   = regexp.MustCompile(`^binary\((\d+)\)`)
)

// Convert returns the expressions compared for a pair: the original's value converted as the
// copy's INSERT converts it into the ghost column, and the ghost's value.
func Convert(o, g schema.Column) (origExpr, ghostExpr string) {
	on, gn := dbconn.QuoteIdent(o.Name), dbconn.QuoteIdent(g.Name)
	if o.ColumnType == g.ColumnType && strings.EqualFold(o.Charset, g.Charset) {
		if g.DataType == "bit" {
			return on + "+0", gn + "+0"
		}
		return on, gn // a collation alone changes no byte
	}
	precision := func() string {
		if m := fsp.FindStringSubmatch(g.ColumnType); m != nil {
			return "(" + m[1] + ")"
		}
		return ""
	}
	// Both sides of a number are cast: ZEROFILL pads a column's text to its width.
	switch g.DataType {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		if g.Unsigned {
			return "CAST(" + on + " AS UNSIGNED)", "CAST(" + gn + " AS UNSIGNED)"
		}
		return "CAST(" + on + " AS SIGNED)", "CAST(" + gn + " AS SIGNED)"
	case "decimal":
		if m := decimalArgs.FindStringSubmatch(g.ColumnType); m != nil {
			return fmt.Sprintf("CAST(%s AS DECIMAL(%s,%s))", on, m[1], m[2]), fmt.Sprintf("CAST(%s AS DECIMAL(%s,%s))", gn, m[1], m[2])
		}
	case "set":
		// A SET's text lists its members in the column's order, which the ALTER may change:
		// compare which members are set, by name.
		if len(g.Members) > 0 {
			var o, gg []string
			for _, mem := range g.Members {
				lit := "'" + strings.ReplaceAll(strings.ReplaceAll(mem, `\`, `\\`), "'", "''") + "'"
				o = append(o, fmt.Sprintf("FIND_IN_SET(%s, %s) > 0", lit, on))
				gg = append(gg, fmt.Sprintf("FIND_IN_SET(%s, %s) > 0", lit, gn))
			}
			return "CONCAT(" + strings.Join(o, ", ") + ")", "CONCAT(" + strings.Join(gg, ", ") + ")"
		}
	case "float":
		return "CAST(" + on + " AS FLOAT)", "CAST(" + gn + " AS FLOAT)"
	case "double":
		return "CAST(" + on + " AS DOUBLE)", "CAST(" + gn + " AS DOUBLE)"
	case "date":
		return "CAST(" + on + " AS DATE)", gn
	case "datetime", "timestamp":
		return "CAST(" + on + " AS DATETIME" + precision() + ")", "CAST(" + gn + " AS DATETIME" + precision() + ")"
	case "time":
		return "CAST(" + on + " AS TIME" + precision() + ")", gn
	case "bit":
		return on + "+0", gn + "+0"
	case "binary":
		if m := binaryLen.FindStringSubmatch(g.ColumnType); m != nil {
			return "CAST(" + on + " AS BINARY(" + m[1] + "))", gn
		}
	case "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return "CAST(" + on + " AS BINARY)", gn
	case "char":
		// CHAR drops trailing spaces when read back.
		return fmt.Sprintf("TRIM(TRAILING ' ' FROM CONVERT(%s USING %s))", on, g.Charset), gn
	case "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "json":
		if g.Charset != "" {
			return fmt.Sprintf("CONVERT(%s USING %s)", on, g.Charset), gn
		}
	}
	return on, gn
}
