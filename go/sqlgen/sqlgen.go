package sqlgen

import (
	"fmt"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// Col describes a column for a statement: its name and, for character columns, the
// charset and collation its values are in.
type Col struct {
	Name      string
	Charset   string // "" for non-character columns
	Collation string
	// Cast, when set, is the type a key value is cast to before it is compared
	// ("DECIMAL(10,2)"), where comparing with a plain string would go through floating point.
	Cast string
}

// Value is the expression a value of c takes. Character values travel as raw bytes
// (binary literals) and are re-read in their own charset, so any charset survives.
func Value(c Col) string {
	if c.Charset == "" {
		return "?"
	}
	return "CONVERT(? USING " + c.Charset + ")"
}

// KeyValue is the expression a key value of c takes in a comparison: as Value, with
// the column's collation made explicit so the comparison uses the index and orders
// as the column does.
func KeyValue(c Col) string {
	if c.Cast != "" {
		return "CAST(? AS " + c.Cast + ")"
	}
	if c.Charset == "" {
		return "?"
	}
	return "CONVERT(? USING " + c.Charset + ") COLLATE " + c.Collation
}

// Names quotes and joins column names.
func Names(cols []Col) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = dbconn.QuoteIdent(c.Name)
	}
	return strings.Join(parts, ", ")
}

// Comparison renders a lexicographic comparison of the key columns against a tuple
// of values: op is one of > >= < <=. Args lists, for every placeholder in order, the
// index of the key value it takes.
func Comparison(key []Col, op string) (sql string, args []int) {
	strict := op[:1] // > or <
	var ors []string
	for i := range key {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, dbconn.QuoteIdent(key[j].Name)+" = "+KeyValue(key[j]))
			args = append(args, j)
		}
		o := strict
		if i == len(key)-1 {
			o = op
		}
		ands = append(ands, dbconn.QuoteIdent(key[i].Name)+" "+o+" "+KeyValue(key[i]))
		args = append(args, i)
		ors = append(ors, strings.Join(ands, " AND "))
	}
	if len(ors) == 1 {
		return ors[0], args
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// Bounds is a key range: values after (or from) Lower up to and including Upper. A nil
// side is open.
type Bounds struct {
	Lower          []any
	LowerInclusive bool
	Upper          []any
}

// Where renders the range condition and its arguments.
func (b Bounds) Where(key []Col) (string, []any) {
	var conds []string
	var args []any
	if b.Lower != nil {
		op := ">"
		if b.LowerInclusive {
			op = ">="
		}
		s, idx := Comparison(key, op)
		conds = append(conds, s)
		for _, i := range idx {
			args = append(args, b.Lower[i])
		}
	}
	if b.Upper != nil {
		s, idx := Comparison(key, "<=")
		conds = append(conds, s)
		for _, i := range idx {
			args = append(args, b.Upper[i])
		}
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

// Table names a table.
type Table struct{ Schema, Name string }

func (t Table) String() string { return dbconn.QuoteTable(t.Schema, t.Name) }

// KeyEdge selects the first (or, desc, last) key tuple of the table; a shared lock makes
// the read wait for transactions still committing rows at the edge.
func KeyEdge(t Table, index string, key []Col, desc bool) string {
	order := orderBy(key, desc)
	return fmt.Sprintf("SELECT %s FROM %s FORCE INDEX (%s) ORDER BY %s LIMIT 1 LOCK IN SHARE MODE",
		Names(key), t, dbconn.QuoteIdent(index), order)
}

func orderBy(key []Col, desc bool) string {
	parts := make([]string, len(key))
	for i, c := range key {
		parts[i] = dbconn.QuoteIdent(c.Name)
		if desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// ChunkEnd selects the key tuple size rows into the range (the chunk's inclusive
// upper bound); no row means the range holds fewer rows than that.
func ChunkEnd(t Table, index string, key []Col, b Bounds, size int64) (string, []any) {
	where, args := b.Where(key)
	return fmt.Sprintf("SELECT %s FROM %s FORCE INDEX (%s) WHERE %s ORDER BY %s LIMIT 1 OFFSET %d",
		Names(key), t, dbconn.QuoteIdent(index), where, orderBy(key, false), size-1), args
}

// DeleteRange deletes a key range of the ghost table.
func DeleteRange(t Table, key []Col, b Bounds) (string, []any) {
	where, args := b.Where(key)
	return fmt.Sprintf("DELETE FROM %s WHERE %s", t, where), args
}

// CopyRange copies a key range from the original into the ghost table, reading with a
// shared lock so that rows of transactions still committing are waited for, not missed.
func CopyRange(from, to Table, index string, fromCols, toCols, key []Col, b Bounds) (string, []any) {
	where, args := b.Where(key)
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s FORCE INDEX (%s) WHERE %s LOCK IN SHARE MODE",
		to, Names(toCols), Names(fromCols), from, dbconn.QuoteIdent(index), where), args
}

// DeleteKeys deletes n rows by key; args are n key tuples flattened.
func DeleteKeys(t Table, key []Col, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "DELETE FROM %s WHERE ", t)
	if len(key) == 1 {
		b.WriteString(dbconn.QuoteIdent(key[0].Name))
		b.WriteString(" IN (")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(KeyValue(key[0]))
		}
		b.WriteString(")")
		return b.String()
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("(")
		for j, c := range key {
			if j > 0 {
				b.WriteString(" AND ")
			}
			b.WriteString(dbconn.QuoteIdent(c.Name) + " = " + KeyValue(c))
		}
		b.WriteString(")")
	}
	return b.String()
}

// InsertRows inserts n rows of the given columns, whose values are in the charsets
// of valueCols (the original table's columns, position by position).
func InsertRows(t Table, cols, valueCols []Col, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t, Names(cols))
	tuple := make([]string, len(valueCols))
	for i, c := range valueCols {
		tuple[i] = Value(c)
	}
	row := "(" + strings.Join(tuple, ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
