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
	// Number says the column orders by an unsigned integer that reading it does not
	// return: an ENUM by member index (1 up, 0 for the error value ''), a BIT by its
	// value. Key tuples are read as `col`+0 and compared with integers.
	Number bool
	// Members is an ENUM's number of members, zero for other columns. MariaDB scans an
	// ENUM index for = and IN but not for < or > (these read the whole index), so a bound
	// on an ENUM column becomes the list of member indexes on the bound's side.
	Members int
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

// KeyNames is the select list that reads a key tuple: the columns, and the number of
// those that order by one (Col.Number).
func KeyNames(key []Col) string {
	parts := make([]string, len(key))
	for i, c := range key {
		parts[i] = dbconn.QuoteIdent(c.Name)
		if c.Number {
			parts[i] += "+0"
		}
	}
	return strings.Join(parts, ", ")
}

// Comparison renders a lexicographic comparison of the key columns against a tuple
// of values, op being one of > >= < <=, and the arguments of its placeholders.
func Comparison(key []Col, op string, values []any) (sql string, args []any) {
	strict := op[:1] // > or <
	var ors []string
	for i := range key {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, dbconn.QuoteIdent(key[j].Name)+" = "+KeyValue(key[j]))
			args = append(args, values[j])
		}
		o := strict
		if i == len(key)-1 {
			o = op
		}
		cond, cargs := compare(key[i], o, values[i])
		ands = append(ands, cond)
		args = append(args, cargs...)
		ors = append(ors, strings.Join(ands, " AND "))
	}
	if len(ors) == 1 {
		return ors[0], args
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// compare renders one column against one value. On an ENUM the values on op's side of
// v are listed, so that the server scans the index range instead of the whole index.
func compare(c Col, op string, v any) (string, []any) {
	name := dbconn.QuoteIdent(c.Name)
	n, ok := memberIndex(v)
	if c.Members == 0 || !ok {
		return name + " " + op + " " + KeyValue(c), []any{v}
	}
	var in []any
	for x := uint64(0); x <= uint64(c.Members); x++ { // 0 is the error value ''
		if op == ">" && x > n || op == ">=" && x >= n || op == "<" && x < n || op == "<=" && x <= n {
			in = append(in, x)
		}
	}
	switch len(in) {
	case 0:
		return "FALSE", nil
	case 1:
		return name + " = ?", in
	}
	return name + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(in)), ", ") + ")", in
}

// memberIndex reads an ENUM key value, an integer member index.
func memberIndex(v any) (uint64, bool) {
	switch n := v.(type) {
	case uint64:
		return n, true
	case uint32:
		return uint64(n), true
	case uint16:
		return uint64(n), true
	case uint8:
		return uint64(n), true
	case uint:
		return uint64(n), true
	case int64:
		return uint64(n), n >= 0
	case int32:
		return uint64(n), n >= 0
	case int16:
		return uint64(n), n >= 0
	case int8:
		return uint64(n), n >= 0
	case int:
		return uint64(n), n >= 0
	}
	return 0, false
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
		s, a := Comparison(key, op, b.Lower)
		conds = append(conds, s)
		args = append(args, a...)
	}
	if b.Upper != nil {
		s, a := Comparison(key, "<=", b.Upper)
		conds = append(conds, s)
		args = append(args, a...)
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
	return KeyEdgeConsistent(t, index, key, desc) + " LOCK IN SHARE MODE"
}

// KeyEdgeConsistent is KeyEdge as a consistent read, locking nothing (--copy=snapshot: a row
// committed after it beyond the edge reaches the applier, which applies it).
func KeyEdgeConsistent(t Table, index string, key []Col, desc bool) string {
	order := orderBy(key, desc)
	return fmt.Sprintf("SELECT %s FROM %s FORCE INDEX (%s) ORDER BY %s LIMIT 1",
		KeyNames(key), t, dbconn.QuoteIdent(index), order)
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
		KeyNames(key), t, dbconn.QuoteIdent(index), where, orderBy(key, false), size-1), args
}

// DeleteRange deletes a key range of the ghost table.
func DeleteRange(t Table, key []Col, b Bounds) (string, []any) {
	where, args := b.Where(key)
	return fmt.Sprintf("DELETE FROM %s WHERE %s", t, where), args
}

// CopyRange copies a key range from the original into the ghost table, reading with a
// shared lock so that rows of transactions still committing are waited for, not missed.
func CopyRange(from, to Table, index string, fromCols, toCols, key []Col, b Bounds) (string, []any) {
	q, args := CopyRangeConsistent(from, to, index, fromCols, toCols, key, b)
	return q + " LOCK IN SHARE MODE", args
}

// CopyRangeConsistent is CopyRange without the shared lock: run in a READ COMMITTED
// transaction, InnoDB reads the original as a consistent read (the committed rows as of the
// statement's start), locking none of them (docs/copy-and-apply.md).
func CopyRangeConsistent(from, to Table, index string, fromCols, toCols, key []Col, b Bounds) (string, []any) {
	where, args := b.Where(key)
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s FORCE INDEX (%s) WHERE %s",
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
