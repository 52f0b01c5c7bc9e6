package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is returned by Read when the table does not exist.
var ErrNotFound = errors.New("table not found")

// Column is one column as information_schema describes it.
type Column struct {
	Name       string
	Ordinal    int    // 1-based position, as in the binlog row image
	DataType   string // lower case: int, varchar, datetime, enum, uuid, ...
	ColumnType string // lower case full type: "int(10) unsigned", "enum('a','b')"
	Nullable   bool
	Unsigned   bool
	Charset    string // "" for non-character columns
	Collation  string
	Virtual    bool // generated, not stored
	Generated  bool // virtual or stored generated
	Invisible  bool
	// MaxLength is CHARACTER_OCTET_LENGTH for binary(n), used to restore trailing zero bytes.
	MaxLength int64
	// Members are the ENUM or SET members in definition order.
	Members []string
}

// IntegerBits is the width in bits of an integer data type (an information_schema
// DATA_TYPE: "tinyint" 8, "smallint" 16, "mediumint" 24, "int" 32, "bigint" 64), and
// 0 for every other type, BIT, DECIMAL and YEAR among them. This is ghost's one list
// of MySQL's integer types.
func IntegerBits(dataType string) int {
	switch dataType {
	case "tinyint":
		return 8
	case "smallint":
		return 16
	case "mediumint":
		return 24
	case "int", "integer": // information_schema says int; integer is its synonym in DDL
		return 32
	case "bigint":
		return 64
	}
	return 0
}

// IsInteger tells whether values are integers (TINYINT to BIGINT, signed or not).
func (c Column) IsInteger() bool { return IntegerBits(c.DataType) > 0 }

// IsText tells whether values are character strings in Charset.
func (c Column) IsText() bool {
	switch c.DataType {
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json":
		return c.Charset != "" && c.Charset != "binary"
	}
	return false
}

// IsBinary tells whether values are byte strings.
func (c Column) IsBinary() bool {
	switch c.DataType {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return true
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext":
		return c.Charset == "binary"
	}
	return false
}

// Key is an index.
type Key struct {
	Name     string
	Unique   bool
	Primary  bool
	Columns  []string
	Nullable bool // some column allows NULL
	Prefixed bool // some column is indexed by a prefix only
}

// Table is what ghost needs to know about a table.
type Table struct {
	Schema        string
	Name          string
	Engine        string
	Columns       []Column
	Keys          []Key
	AutoIncrement uint64
	EstimatedRows int64
}

// Column returns the named column (case-insensitive).
func (t *Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// ColumnNames lists all column names in ordinal order.
func (t *Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Key returns the named key (case-insensitive).
func (t *Table) Key(name string) (Key, bool) {
	for _, k := range t.Keys {
		if strings.EqualFold(k.Name, name) {
			return k, true
		}
	}
	return Key{}, false
}

// Read loads a table's definition.
func Read(ctx context.Context, db *sql.DB, schemaName, table string) (*Table, error) {
	t := &Table{Schema: schemaName, Name: table}
	var engine sql.NullString
	var ai sql.NullInt64
	var rows sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT ENGINE, AUTO_INCREMENT, TABLE_ROWS FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'`, schemaName, table).Scan(&engine, &ai, &rows)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s.%s: %w", schemaName, table, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s.%s: %w", schemaName, table, err)
	}
	t.Engine = engine.String
	t.AutoIncrement = uint64(ai.Int64)
	t.EstimatedRows = rows.Int64
	if err := readColumns(ctx, db, t); err != nil {
		return nil, err
	}
	if err := readKeys(ctx, db, t); err != nil {
		return nil, err
	}
	return t, nil
}

func readColumns(ctx context.Context, db *sql.DB, t *Table) error {
	rows, err := db.QueryContext(ctx, `SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,
			CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, CHARACTER_OCTET_LENGTH
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, t.Schema, t.Name)
	if err != nil {
		return fmt.Errorf("read columns of %s.%s: %w", t.Schema, t.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var nullable, extra string
		var charset, collation sql.NullString
		var octets sql.NullInt64
		if err := rows.Scan(&c.Name, &c.Ordinal, &c.DataType, &c.ColumnType, &nullable, &charset, &collation, &extra, &octets); err != nil {
			return fmt.Errorf("read columns of %s.%s: %w", t.Schema, t.Name, err)
		}
		c.DataType = strings.ToLower(c.DataType)
		c.ColumnType = strings.ToLower(c.ColumnType)
		c.Nullable = nullable == "YES"
		c.Unsigned = strings.Contains(c.ColumnType, "unsigned")
		c.Charset = charset.String
		c.Collation = collation.String
		ex := strings.ToUpper(extra)
		c.Generated = strings.Contains(ex, "GENERATED") || strings.Contains(ex, "PERSISTENT")
		c.Virtual = strings.Contains(ex, "VIRTUAL")
		c.Invisible = strings.Contains(ex, "INVISIBLE")
		c.MaxLength = octets.Int64
		if c.DataType == "enum" || c.DataType == "set" {
			c.Members = ParseMembers(c.ColumnType)
		}
		t.Columns = append(t.Columns, c)
	}
	return rows.Err()
}

func readKeys(ctx context.Context, db *sql.DB, t *Table) error {
	rows, err := db.QueryContext(ctx, `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, NULLABLE
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
		ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`, t.Schema, t.Name)
	if err != nil {
		return fmt.Errorf("read keys of %s.%s: %w", t.Schema, t.Name, err)
	}
	defer rows.Close()
	byName := map[string]*Key{}
	var order []string
	for rows.Next() {
		var name, nullable string
		var nonUnique int
		var col sql.NullString
		var sub sql.NullInt64
		if err := rows.Scan(&name, &nonUnique, &col, &sub, &nullable); err != nil {
			return fmt.Errorf("read keys of %s.%s: %w", t.Schema, t.Name, err)
		}
		k, ok := byName[name]
		if !ok {
			k = &Key{Name: name, Unique: nonUnique == 0, Primary: name == "PRIMARY"}
			byName[name] = k
			order = append(order, name)
		}
		if !col.Valid { // functional key part (MySQL 8): never usable for iteration
			k.Prefixed = true
			continue
		}
		k.Columns = append(k.Columns, col.String)
		if sub.Valid {
			k.Prefixed = true
		}
		if nullable == "YES" {
			k.Nullable = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range order {
		t.Keys = append(t.Keys, *byName[n])
	}
	return nil
}

// ParseMembers splits "enum('a','b”c')" into its members, undoing quote doubling.
func ParseMembers(columnType string) []string {
	open := strings.IndexByte(columnType, '(')
	close := strings.LastIndexByte(columnType, ')')
	if open < 0 || close <= open {
		return nil
	}
	body := columnType[open+1 : close]
	var out []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case !in && ch == '\'':
			in = true
			cur.Reset()
		case in && ch == '\'' && i+1 < len(body) && body[i+1] == '\'':
			cur.WriteByte('\'')
			i++
		case in && ch == '\\' && i+1 < len(body):
			cur.WriteByte(body[i+1])
			i++
		case in && ch == '\'':
			in = false
			out = append(out, cur.String())
		case in:
			cur.WriteByte(ch)
		}
	}
	return out
}

// Triggers lists the triggers defined on the table.
func Triggers(ctx context.Context, db *sql.DB, schemaName, table string) ([]string, error) {
	return strings1(ctx, db, `SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
		WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? ORDER BY TRIGGER_NAME`, schemaName, table)
}

// ForeignKeys lists constraints where the table is the child and those where it is the parent.
func ForeignKeys(ctx context.Context, db *sql.DB, schemaName, table string) (child, parent []string, err error) {
	child, err = strings1(ctx, db, `SELECT DISTINCT CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY 1`, schemaName, table)
	if err != nil {
		return nil, nil, err
	}
	parent, err = strings1(ctx, db, `SELECT DISTINCT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME, ' (', CONSTRAINT_NAME, ')')
		FROM information_schema.KEY_COLUMN_USAGE
		WHERE REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ? ORDER BY 1`, schemaName, table)
	return child, parent, err
}

func strings1(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query information_schema: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Trigger is a trigger's definition, as information_schema.TRIGGERS holds it.
type Trigger struct {
	Name    string
	Timing  string // BEFORE, AFTER
	Event   string // INSERT, UPDATE, DELETE
	Order   int    // among the table's triggers of the same timing and event
	Body    string // the statement after FOR EACH ROW
	Definer string // user@host
	SQLMode string
}

// TriggerDefinitions reads the table's triggers in the order they fire.
func TriggerDefinitions(ctx context.Context, db *sql.DB, schemaName, table string) ([]Trigger, error) {
	rows, err := db.QueryContext(ctx, `SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE
		FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?
		ORDER BY ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`, schemaName, table)
	if err != nil {
		return nil, fmt.Errorf("read the triggers of %s.%s: %w", schemaName, table, err)
	}
	defer rows.Close()
	var out []Trigger
	for rows.Next() {
		var t Trigger
		if err := rows.Scan(&t.Name, &t.Timing, &t.Event, &t.Order, &t.Body, &t.Definer, &t.SQLMode); err != nil {
			return nil, fmt.Errorf("read the triggers of %s.%s: %w", schemaName, table, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
