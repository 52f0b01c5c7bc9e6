package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ghost-osc/ghost/go/hint"
)

// Pair is a column of the original table and the ghost column its values go to.
type Pair struct {
	Orig  Column
	Ghost Column
}

// Mapping says how rows of the original table become rows of the ghost table.
type Mapping struct {
	Orig  *Table
	Ghost *Table
	// Pairs are the columns copied and applied, in the original's order. Ghost
	// generated columns are left to the server.
	Pairs []Pair
	// Key is the unique key both tables share, by the original's column names; its
	// columns keep their names in the ghost table.
	Key Key
	// KeyColumns are the key's columns as they are in the original table.
	KeyColumns []Column
}

// KeyPolicy widens the choice of the shared key.
type KeyPolicy struct {
	// AllowNullable lets a unique key with nullable columns be chosen when no NOT NULL
	// key is usable (--allow-nullable-unique-key); the migration must then make sure
	// that the key never holds NULL.
	AllowNullable bool
}

// NewMapping pairs columns through names (origToGhost maps a lower-case original
// name to its ghost name; columns absent from it are dropped) and picks the shared key.
func NewMapping(orig, ghost *Table, origToGhost map[string]string) (*Mapping, error) {
	return NewMappingWith(orig, ghost, origToGhost, KeyPolicy{})
}

// NewMappingWith is NewMapping with a key policy.
func NewMappingWith(orig, ghost *Table, origToGhost map[string]string, policy KeyPolicy) (*Mapping, error) {
	m := &Mapping{Orig: orig, Ghost: ghost}
	for _, oc := range orig.Columns {
		gname, ok := origToGhost[strings.ToLower(oc.Name)]
		if !ok {
			continue
		}
		gc, ok := ghost.Column(gname)
		if !ok || gc.Generated {
			continue
		}
		m.Pairs = append(m.Pairs, Pair{Orig: oc, Ghost: gc})
	}
	if len(m.Pairs) == 0 {
		return nil, hint.New(fmt.Sprintf("no column of %s.%s survives the ALTER", orig.Schema, orig.Name),
			"an ALTER that replaces every column is not an online change; create a new table instead")
	}
	key, err := sharedKey(orig, ghost, origToGhost, policy)
	if err != nil {
		return nil, err
	}
	m.Key = key
	for _, name := range key.Columns {
		c, _ := orig.Column(name)
		m.KeyColumns = append(m.KeyColumns, c)
	}
	return m, nil
}

// sharedKey picks the unique key to iterate and to find rows by: unique in both
// tables over the same columns, NOT NULL, no prefix parts, columns neither renamed
// nor changed in a way that changes how values compare. PRIMARY wins, then fewer
// columns, then integer columns. A nullable key, when the policy allows one, comes
// after every NOT NULL key.
func sharedKey(orig, ghost *Table, origToGhost map[string]string, policy KeyPolicy) (Key, error) {
	var reasons []string
	var best *Key
	bestScore := -1
	for i := range orig.Keys {
		k := orig.Keys[i]
		if !k.Unique {
			continue
		}
		why := keyUnusable(orig, ghost, k, origToGhost, policy)
		if why != "" {
			reasons = append(reasons, fmt.Sprintf("%s: %s", k.Name, why))
			continue
		}
		score := 100 - 10*len(k.Columns)
		if k.Primary {
			score += 1000
		}
		if allIntegers(orig, k) {
			score += 5
		}
		if k.Nullable {
			score -= 2000
		}
		if best == nil || score > bestScore {
			best, bestScore = &orig.Keys[i], score
		}
	}
	if best != nil {
		return *best, nil
	}
	msg := fmt.Sprintf("table %s.%s has no unique key that ghost can use to copy rows", orig.Schema, orig.Name)
	if len(reasons) > 0 {
		msg += " (" + strings.Join(reasons, "; ") + ")"
	}
	what := "add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again"
	if !policy.AllowNullable && strings.Contains(msg, "a column allows NULL") {
		what += " (or, when the key's columns hold no NULL, pass --allow-nullable-unique-key)"
	}
	return Key{}, hint.New(msg, what)
}

func keyUnusable(orig, ghost *Table, k Key, origToGhost map[string]string, policy KeyPolicy) string {
	if k.Prefixed {
		return "indexes a column prefix or an expression"
	}
	if k.Nullable && !policy.AllowNullable {
		return "a column allows NULL"
	}
	for _, name := range k.Columns {
		oc, _ := orig.Column(name)
		if oc.Virtual {
			return fmt.Sprintf("column %s is a virtual generated column", name)
		}
		if !iterable(oc) {
			return fmt.Sprintf("column %s has type %s, which does not order the same way it compares", name, oc.DataType)
		}
		gname, ok := origToGhost[strings.ToLower(name)]
		if !ok {
			return fmt.Sprintf("the ALTER drops column %s", name)
		}
		if !strings.EqualFold(gname, name) {
			return fmt.Sprintf("the ALTER renames column %s", name)
		}
		gc, ok := ghost.Column(gname)
		if !ok {
			return fmt.Sprintf("the ALTER drops column %s", name)
		}
		if why := orderChange(oc, gc); why != "" {
			return why
		}
	}
	// The ghost table must have a unique key over exactly these columns.
	for _, gk := range ghost.Keys {
		if gk.Unique && !gk.Prefixed && sameColumns(gk.Columns, k.Columns) {
			return ""
		}
	}
	return "the ALTER removes it or changes its columns"
}

func describeCollation(c Column) string {
	if c.Collation == "" {
		return ""
	}
	return " " + c.Collation
}

func sameColumns(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func allIntegers(t *Table, k Key) bool {
	for _, name := range k.Columns {
		c, _ := t.Column(name)
		if !c.IsInteger() {
			return false
		}
	}
	return true
}

// orderChange says how the ALTER changes the way key values of the original column
// order and compare in the ghost column, or "" when it does not. An ENUM key travels as
// its member index, so the ghost ENUM must give every original member the same index:
// members may only be appended.
func orderChange(orig, ghost Column) string {
	if orig.DataType == "enum" && ghost.DataType == "enum" {
		if len(ghost.Members) >= len(orig.Members) && slices.Equal(orig.Members, ghost.Members[:len(orig.Members)]) {
			return ""
		}
		return fmt.Sprintf("the ALTER changes the member indexes of ENUM column %s (%s to %s); only appending members keeps them",
			orig.Name, orig.ColumnType, ghost.ColumnType)
	}
	if compareClass(orig) != compareClass(ghost) {
		return fmt.Sprintf("the ALTER changes how column %s compares (%s to %s)", orig.Name,
			orig.ColumnType+describeCollation(orig), ghost.ColumnType+describeCollation(ghost))
	}
	return ""
}

// compareClass names how a column's values order and compare. Two columns with the
// same class order a set of values the same way, so a key range read from one
// selects the same rows in the other: integers by signedness (widening is fine),
// strings by collation, fixed binary by length (trailing zero bytes count), BIT of
// any width as the unsigned integer it holds, other types by their exact type.
func compareClass(c Column) string {
	switch {
	case c.IsInteger():
		if c.Unsigned {
			return "integer unsigned"
		}
		return "integer signed"
	case c.DataType == "bit":
		return "bit"
	case c.DataType == "binary":
		return c.ColumnType
	case c.IsBinary():
		return "bytes"
	case c.IsText():
		return "text " + c.Collation
	case c.DataType == "decimal":
		return "decimal"
	default:
		return c.ColumnType
	}
}

// iterable tells whether key ranges over the column can be read and compared safely.
// ENUM and BIT can, as numbers (OrdersAsNumber). SET orders by its bit mask, which
// ghost does not read back; floating point values do not survive a round trip as text;
// the rest are not plain scalars.
func iterable(c Column) bool {
	switch c.DataType {
	case "set", "float", "double", "real", "json", "geometry", "point", "linestring", "polygon",
		"multipoint", "multilinestring", "multipolygon", "geometrycollection",
		"tinyblob", "blob", "mediumblob", "longblob", "tinytext", "text", "mediumtext", "longtext":
		return false
	}
	return true
}

// OrdersAsNumber tells whether the column orders, in an index and in ORDER BY, by an
// unsigned integer that reading it does not return: an ENUM by its member index (1 for
// the first member, 0 for the empty error value), a BIT by its value (reading it returns
// bytes). Compared with a number, both compare by that integer; an ENUM compared with a
// string compares by member name, which is not its order. Key values of such a column
// are read as `col`+0 and passed as integers.
func (c Column) OrdersAsNumber() bool { return c.DataType == "enum" || c.DataType == "bit" }

// Describe gives what statement builders need of a column: charset for text, a cast for DECIMAL.
func (c Column) Describe() (charset, collation, cast string) {
	if c.IsText() {
		charset, collation = c.Charset, c.Collation
	}
	if c.DataType == "decimal" {
		t := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(c.ColumnType, "unsigned", ""), "zerofill", ""))
		cast = strings.ToUpper(t)
	}
	return charset, collation, cast
}
