package schema_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// mapping reads t and its ghost (CREATE TABLE LIKE + alter) and pairs columns by name.
func mapping(t *testing.T, db *sql.DB, dbName, create, alter string, policy ...schema.KeyPolicy) (*schema.Mapping, error) {
	t.Helper()
	exec(t, db, create, "CREATE TABLE _t_gho LIKE t")
	if alter != "" {
		exec(t, db, "ALTER TABLE _t_gho "+alter)
	}
	ctx := t.Context()
	orig, err := schema.Read(ctx, db, dbName, "t")
	if err != nil {
		t.Fatal(err)
	}
	ghost, err := schema.Read(ctx, db, dbName, "_t_gho")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range orig.Columns {
		if _, ok := ghost.Column(c.Name); ok {
			names[strings.ToLower(c.Name)] = c.Name
		}
	}
	if len(policy) > 0 {
		return schema.NewMappingWith(orig, ghost, names, policy[0])
	}
	return schema.NewMapping(orig, ghost, names)
}

func TestSharedKeyChoice(t *testing.T) {
	cases := []struct {
		name    string
		create  string
		alter   string
		wantKey string
		wantCol []string
		wantErr string // exact error text when the key is refused
		// nullable: --allow-nullable-unique-key
		nullable bool
	}{
		{
			name:    "primary preferred over a narrower unique",
			create:  "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, u INT NOT NULL, PRIMARY KEY (a, b), UNIQUE KEY u_uidx (u))",
			wantKey: "PRIMARY", wantCol: []string{"a", "b"},
		},
		{
			name:    "not null unique used without primary",
			create:  "CREATE TABLE t (n INT NULL, u VARCHAR(20) NOT NULL, v INT, UNIQUE KEY n_uidx (n), UNIQUE KEY u_uidx (u))",
			alter:   "ADD COLUMN w INT",
			wantKey: "u_uidx", wantCol: []string{"u"},
		},
		{
			name:    "integer unique preferred among not null uniques",
			create:  "CREATE TABLE t (s VARCHAR(20) NOT NULL, i BIGINT NOT NULL, UNIQUE KEY a_s (s), UNIQUE KEY b_i (i))",
			wantKey: "b_i", wantCol: []string{"i"},
		},
		{
			name:    "nullable unique refused",
			create:  "CREATE TABLE t (u INT NULL, v INT, UNIQUE KEY u_uidx (u))",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (u_uidx: a column allows NULL); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again (or, when the key's columns hold no NULL, pass --allow-nullable-unique-key)",
		},
		{
			name:     "nullable unique allowed",
			create:   "CREATE TABLE t (u INT NULL, v INT, UNIQUE KEY u_uidx (u))",
			nullable: true,
			wantKey:  "u_uidx", wantCol: []string{"u"},
		},
		{
			name:     "not null unique preferred to a narrower nullable one",
			create:   "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, n INT NULL, UNIQUE KEY ab_uidx (a, b), UNIQUE KEY n_uidx (n))",
			nullable: true,
			wantKey:  "ab_uidx", wantCol: []string{"a", "b"},
		},
		{
			name:    "no key at all",
			create:  "CREATE TABLE t (a INT, b INT, KEY a_idx (a))",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows; add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "type change of the key column refused with the reason",
			create:  "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT) DEFAULT CHARSET=utf8mb4",
			alter:   "MODIFY id VARCHAR(20) NOT NULL",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: the ALTER changes how column id compares (int(11) to varchar(20) utf8mb4_general_ci)); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "collation change of the key column refused, other key used",
			create:  "CREATE TABLE t (s VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, i INT NOT NULL, UNIQUE KEY i_uidx (i))",
			alter:   "MODIFY s VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
			wantKey: "i_uidx", wantCol: []string{"i"},
		},
		{
			name:    "integer widening keeps the key",
			create:  "CREATE TABLE t (id INT UNSIGNED NOT NULL PRIMARY KEY, v INT)",
			alter:   "MODIFY id BIGINT UNSIGNED NOT NULL",
			wantKey: "PRIMARY", wantCol: []string{"id"},
		},
		{
			name:    "signedness change refused",
			create:  "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)",
			alter:   "MODIFY id INT UNSIGNED NOT NULL",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: the ALTER changes how column id compares (int(11) to int(10) unsigned)); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "prefix unique refused",
			create:  "CREATE TABLE t (s VARCHAR(100) NOT NULL, UNIQUE KEY s_uidx (s(10)))",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (s_uidx: indexes a column prefix or an expression); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "enum column in the primary key",
			create:  "CREATE TABLE t (e ENUM('b','a','c') NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (e, id))",
			alter:   "ADD COLUMN w INT",
			wantKey: "PRIMARY", wantCol: []string{"e", "id"},
		},
		{
			name:    "bit column in the primary key",
			create:  "CREATE TABLE t (b BIT(12) NOT NULL, v INT, PRIMARY KEY (b))",
			alter:   "ADD COLUMN w INT",
			wantKey: "PRIMARY", wantCol: []string{"b"},
		},
		{
			name:    "enum key keeps its members' indexes when a member is appended",
			create:  "CREATE TABLE t (e ENUM('b','a') NOT NULL, id INT NOT NULL, PRIMARY KEY (e, id))",
			alter:   "MODIFY e ENUM('b','a','c') CHARACTER SET latin1 NOT NULL",
			wantKey: "PRIMARY", wantCol: []string{"e", "id"},
		},
		{
			name:    "enum key refused when members are reordered",
			create:  "CREATE TABLE t (e ENUM('b','a') NOT NULL, id INT NOT NULL, PRIMARY KEY (e, id))",
			alter:   "MODIFY e ENUM('a','b') NOT NULL",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: the ALTER changes the member indexes of ENUM column e (enum('b','a') to enum('a','b')); only appending members keeps them); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "bit key widened",
			create:  "CREATE TABLE t (b BIT(12) NOT NULL PRIMARY KEY)",
			alter:   "MODIFY b BIT(20) NOT NULL",
			wantKey: "PRIMARY", wantCol: []string{"b"},
		},
		{
			name:    "set key refused",
			create:  "CREATE TABLE t (s SET('x','y') NOT NULL PRIMARY KEY)",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: column s has type set, which does not order the same way it compares); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "changed primary key, shared unique key used",
			create:  "CREATE TABLE t (id INT NOT NULL, u VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (id), UNIQUE KEY u_uidx (u))",
			alter:   "DROP PRIMARY KEY, ADD PRIMARY KEY (id, u)",
			wantKey: "u_uidx", wantCol: []string{"u"},
		},
		{
			name:    "primary key moved onto a unique key's columns, that key used",
			create:  "CREATE TABLE t (id INT NOT NULL, u INT NOT NULL, PRIMARY KEY (id), UNIQUE KEY u_uidx (u))",
			alter:   "DROP PRIMARY KEY, DROP KEY u_uidx, ADD PRIMARY KEY (u)",
			wantKey: "u_uidx", wantCol: []string{"u"},
		},
		{
			name:    "changed primary key, the narrowest integer shared unique key used",
			create:  "CREATE TABLE t (id INT NOT NULL, a INT NOT NULL, b INT NOT NULL, s VARCHAR(10) NOT NULL, i BIGINT NOT NULL, PRIMARY KEY (id), UNIQUE KEY a_ab (a, b), UNIQUE KEY b_s (s), UNIQUE KEY c_i (i))",
			alter:   "DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)",
			wantKey: "c_i", wantCol: []string{"i"},
		},
		{
			name:    "changed primary key and unique key, none shared",
			create:  "CREATE TABLE t (id INT NOT NULL, u INT NOT NULL, PRIMARY KEY (id), UNIQUE KEY u_uidx (u))",
			alter:   "DROP PRIMARY KEY, DROP KEY u_uidx, ADD PRIMARY KEY (id, u)",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: the ALTER removes it or changes its columns; u_uidx: the ALTER removes it or changes its columns); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
		{
			name:    "dropped primary key refused",
			create:  "CREATE TABLE t (id INT NOT NULL, v INT, PRIMARY KEY (id))",
			alter:   "DROP PRIMARY KEY, ADD UNIQUE KEY v_uidx (v)",
			wantErr: "table DB.t has no unique key that ghost can use to copy rows (PRIMARY: the ALTER removes it or changes its columns); add a PRIMARY KEY or a UNIQUE key on NOT NULL columns that the ALTER keeps as it is, then run again",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, name := topotest.NewDatabase(t, topo)
			m, err := mapping(t, db, name, tc.create, tc.alter, schema.KeyPolicy{AllowNullable: tc.nullable})
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("key %s chosen, want refusal %q", m.Key.Name, tc.wantErr)
				}
				want := strings.ReplaceAll(tc.wantErr, "DB", name)
				if err.Error() != want {
					t.Fatalf("error\n got %q\nwant %q", err.Error(), want)
				}
				if _, ok := hint.As(err); !ok {
					t.Errorf("error %v carries no hint", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Key.Name != tc.wantKey || strings.Join(m.Key.Columns, ",") != strings.Join(tc.wantCol, ",") {
				t.Fatalf("key %s%v, want %s%v", m.Key.Name, m.Key.Columns, tc.wantKey, tc.wantCol)
			}
			if len(m.KeyColumns) != len(tc.wantCol) {
				t.Fatalf("KeyColumns %v", m.KeyColumns)
			}
			for i, c := range m.KeyColumns {
				if c.Name != tc.wantCol[i] || c.Nullable != m.Key.Nullable || m.Key.Nullable && !tc.nullable {
					t.Errorf("key column %d = %+v", i, c)
				}
			}
		})
	}
}

func TestReadTable(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	ctx := context.Background()
	exec(t, db, `CREATE TABLE t (
		id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
		b BINARY(4) NOT NULL,
		l VARCHAR(10) CHARACTER SET latin1 NULL,
		e ENUM('x','y','it''s') NOT NULL DEFAULT 'x',
		g INT AS (id * 2) VIRTUAL,
		PRIMARY KEY (id), KEY l_idx (l(3))
	) AUTO_INCREMENT=42`)
	tab, err := schema.Read(ctx, db, name, "t")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Engine != "InnoDB" || tab.AutoIncrement != 42 {
		t.Errorf("engine %q auto_increment %d", tab.Engine, tab.AutoIncrement)
	}
	want := []string{"id", "b", "l", "e", "g"}
	if got := strings.Join(tab.ColumnNames(), ","); got != strings.Join(want, ",") {
		t.Fatalf("columns %s", got)
	}
	id, _ := tab.Column("ID")
	if !id.Unsigned || id.Nullable || id.Ordinal != 1 || id.DataType != "bigint" {
		t.Errorf("id = %+v", id)
	}
	b, _ := tab.Column("b")
	if b.MaxLength != 4 || !b.IsBinary() || b.IsText() {
		t.Errorf("b = %+v", b)
	}
	l, _ := tab.Column("l")
	if l.Charset != "latin1" || !l.IsText() || !l.Nullable {
		t.Errorf("l = %+v", l)
	}
	e, _ := tab.Column("e")
	if strings.Join(e.Members, "|") != "x|y|it's" {
		t.Errorf("enum members %q", e.Members)
	}
	g, _ := tab.Column("g")
	if !g.Virtual || !g.Generated {
		t.Errorf("g = %+v", g)
	}
	k, ok := tab.Key("l_idx")
	if !ok || k.Unique || !k.Prefixed || !k.Nullable {
		t.Errorf("l_idx = %+v", k)
	}
	if _, err := schema.Read(ctx, db, name, "missing"); !errors.Is(err, schema.ErrNotFound) {
		t.Errorf("missing table: %v", err)
	}
}

// TestIntegerTypes: the server's names for every integer type, however the DDL spells
// it, are the ones IntegerBits knows, and the types that hold numbers without being
// integers are not.
func TestIntegerTypes(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, `CREATE TABLE t (
		ti TINYINT, bo BOOL, si SMALLINT UNSIGNED, mi MEDIUMINT, i INT, ig INTEGER UNSIGNED, bi BIGINT,
		bt BIT(8), de DECIMAL(10,0), y YEAR, f FLOAT, c CHAR(3)
	)`)
	tab, err := schema.Read(t.Context(), db, name, "t")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"ti": 8, "bo": 8, "si": 16, "mi": 24, "i": 32, "ig": 32, "bi": 64,
		"bt": 0, "de": 0, "y": 0, "f": 0, "c": 0}
	for _, c := range tab.Columns {
		bits, ok := want[c.Name]
		if !ok {
			t.Fatalf("unexpected column %s", c.Name)
		}
		if got := schema.IntegerBits(c.DataType); got != bits || c.IsInteger() != (bits > 0) {
			t.Errorf("%s (%s): IntegerBits %d, IsInteger %v; want %d", c.Name, c.DataType, got, c.IsInteger(), bits)
		}
	}
	if schema.IntegerBits("integer") != 32 || schema.IntegerBits("") != 0 {
		t.Error("the DDL synonym integer or an empty type is misread")
	}
}
