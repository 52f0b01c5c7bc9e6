package applier_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/applier"
	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

var serverIDs atomic.Uint32

func init() { serverIDs.Store(2000) }

type env struct {
	raw  *sql.DB // plain pool on the primary
	db   *sql.DB // ghost's session settings on the primary
	name string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	raw, name := topotest.NewDatabase(t, topo)
	db := topotest.GhostPool(t, topo, name)
	return &env{raw: raw, db: db, name: name}
}

func (e *env) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.raw.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// ghost creates _t_gho like t, alters it, and copies t's rows into it; the copy is
// the row copy's job, done here by the server.
func (e *env) ghost(t *testing.T, alter string) {
	t.Helper()
	e.exec(t, "CREATE TABLE _t_gho LIKE t")
	if alter != "" {
		e.exec(t, "ALTER TABLE _t_gho "+alter)
	}
	cols := e.storedColumns(t, "t")
	e.exec(t, fmt.Sprintf("INSERT INTO _t_gho (%s) SELECT %s FROM t", cols, cols))
}

func (e *env) storedColumns(t *testing.T, table string) string {
	t.Helper()
	rows, err := e.raw.QueryContext(t.Context(), `SELECT COLUMN_NAME FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION`, e.name, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		out = append(out, dbconn.QuoteIdent(c))
	}
	return strings.Join(out, ", ")
}

// newApplier builds the applier the way the migration does, pairing columns by name.
func (e *env) newApplier(t *testing.T, skip ...func(key []any) bool) *applier.Applier {
	t.Helper()
	orig, err := schema.Read(t.Context(), e.db, e.name, "t")
	if err != nil {
		t.Fatal(err)
	}
	ghost, err := schema.Read(t.Context(), e.db, e.name, "_t_gho")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range orig.Columns {
		if _, ok := ghost.Column(c.Name); ok {
			names[strings.ToLower(c.Name)] = c.Name
		}
	}
	m, err := schema.NewMapping(orig, ghost, names)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []applier.Pair
	for _, p := range m.Pairs {
		pairs = append(pairs, applier.Pair{Orig: p.Orig, Ghost: p.Ghost.Name})
	}
	cfg := applier.Config{DB: e.db, Ghost: sqlgen.Table{Schema: e.name, Name: "_t_gho"},
		OrigColumns: orig.Columns, Pairs: pairs, Key: m.KeyColumns, RowsPerStatement: 3}
	if len(skip) > 0 {
		cfg.Skip = skip[0]
	}
	return applier.New(cfg)
}

// capture runs fn (the application's writes) and returns the changes of t that the
// replica's binlog holds for them, per transaction.
func (e *env) capture(t *testing.T, fn func()) [][]binlog.Change {
	t.Helper()
	e.exec(t, "CREATE TABLE IF NOT EXISTS fence (id INT PRIMARY KEY)")
	rdb, err := topo.Replica.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	info, err := dbconn.Inspect(t.Context(), rdb)
	if err != nil {
		t.Fatal(err)
	}
	start, err := binlog.CurrentPosition(t.Context(), rdb, info)
	if err != nil {
		t.Fatal(err)
	}
	fn()
	e.exec(t, "INSERT INTO fence VALUES (1)")
	r := binlog.NewReader(binlog.Config{
		Host: topo.Replica.Host, Port: topo.Replica.Port, User: topo.Replica.User, Password: topo.Replica.Password,
		Flavor: info.Flavor, ServerID: serverIDs.Add(1),
		Watch: func(s, tb string) bool { return s == e.name && (tb == "t" || tb == "fence") },
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out := make(chan binlog.Transaction, 1000)
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, start, out) }()
	var txs [][]binlog.Change
	for {
		select {
		case tx := <-out:
			if tx.Changes[0].Table == "fence" {
				cancel()
				<-done
				return txs
			}
			txs = append(txs, tx.Changes)
		case err := <-done:
			t.Fatalf("reader ended: %v", err)
		}
	}
}

// dump renders every row of a table as HEX per column, by primary key.
func (e *env) dump(t *testing.T, table string) []string {
	t.Helper()
	cols := strings.Split(e.storedColumns(t, table), ", ")
	var exprs []string
	for _, c := range cols {
		exprs = append(exprs, fmt.Sprintf("IFNULL(HEX(%s), 'NULL')", c))
	}
	return topotest.Strings(t.Context(), t, e.raw, fmt.Sprintf("SELECT CONCAT_WS('|', %s) FROM %s ORDER BY 1", strings.Join(exprs, ", "), table))
}

// expect builds the table the ALTER should give: t's rows altered by the server.
func (e *env) expect(t *testing.T, alter string) {
	t.Helper()
	e.exec(t, "DROP TABLE IF EXISTS expected", "CREATE TABLE expected LIKE t", "INSERT INTO expected SELECT * FROM t")
	if alter != "" {
		e.exec(t, "ALTER TABLE expected "+alter)
	}
}

func (e *env) same(t *testing.T, want, got string) {
	t.Helper()
	w, g := e.dump(t, want), e.dump(t, got)
	if len(w) != len(g) {
		t.Errorf("%s has %d rows, %s %d", want, len(w), got, len(g))
	}
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			t.Errorf("row %d differs:\n %-8s %s\n %-8s %s", i, want, w[i], got, g[i])
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

const typesTable = `CREATE TABLE t (
  id INT NOT NULL PRIMARY KEY,
  u_ti TINYINT UNSIGNED, u_si SMALLINT UNSIGNED, u_mi MEDIUMINT UNSIGNED, u_i INT UNSIGNED, u_bi BIGINT UNSIGNED,
  s_ti TINYINT, s_mi MEDIUMINT, s_bi BIGINT,
  bin BINARY(8), vb VARBINARY(16), blb BLOB,
  lat VARCHAR(30) CHARACTER SET latin1, u8 VARCHAR(30) CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4,
  dt DATETIME(6), ts TIMESTAMP(6) NULL, d DATE, tm TIME(3), y YEAR,
  dc DECIMAL(30,10), bits BIT(10), b64 BIT(64),
  e ENUM('a','b','c'), st SET('x','y','z'), j JSON,
  f FLOAT, dbl DOUBLE, n INT NULL,
  g BIGINT AS (id * 2) VIRTUAL
) DEFAULT CHARSET=utf8mb4`

// The ALTER of the ghost table: a charset conversion, reordered ENUM and SET members,
// a new column with a default.
const typesAlter = "MODIFY lat VARCHAR(30) CHARACTER SET utf8mb4, MODIFY e ENUM('c','b','a','d'), MODIFY st SET('z','y','x'), ADD COLUMN extra INT NOT NULL DEFAULT 7"

const maxRow = `(%d, 255, 65535, 16777215, 4294967295, 18446744073709551615, 127, 8388607, 9223372036854775807,
  X'FF00000000000000', X'00FF0000', X'0000', _utf8mb4'café ÿ', _utf8mb4'😀 ü 中', REPEAT(_utf8mb4'ß', 300),
  '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '9999-12-31', '838:59:59.000', 2155,
  '99999999999999999999.9999999999', b'1111111111', X'FFFFFFFFFFFFFFFF',
  'c', 'x,y,z', '{"k": [1, 2.5, "s", null, {"n": -1}]}', 3.40282e38, 1.7976931348623157e308, -2147483648)`

const minRow = `(%d, 0, 0, 0, 0, 0, -128, -8388608, -9223372036854775808,
  X'0000000000000000', X'00', '', '', '', '',
  '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '1000-01-01', '-838:59:59.000', 1901,
  '-99999999999999999999.9999999999', b'0', b'0',
  'a', '', '[]', -1.17549435e-38, -2.2250738585072014e-308, 0)`

const nullRow = `(%d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`

const midRow = `(%d, 128, 32768, 8388608, 2147483648, 9223372036854775808, -1, -1, -1,
  X'0102030000000000', X'0102030000', X'00010000', _utf8mb4'Ünïcödé', _utf8mb4'naïve', 'text',
  '2024-02-29 12:34:56.000001', '2024-02-29 12:34:56.500000', '2024-02-29', '-00:00:00.001', 0,
  '0.0000000001', b'1000000000', X'8000000000000000',
  'b', 'y', '"just a string"', 0.1, 0.1, 42)`

func row(tmpl string, id int) string { return fmt.Sprintf(tmpl, id) }

func typesInsert(tmpl string, id int) string {
	return "INSERT INTO t (id, u_ti, u_si, u_mi, u_i, u_bi, s_ti, s_mi, s_bi, bin, vb, blb, lat, u8, tx, dt, ts, d, tm, y, dc, bits, b64, e, st, j, f, dbl, n) VALUES " + row(tmpl, id)
}

// TestApplyTypesAndChanges replays every kind of change of a table with every type:
// the ghost table (altered: charset conversion, reordered ENUM/SET, new column) must
// end up exactly as the server's own ALTER of the original, for one batch and for
// one change per batch.
func TestApplyTypesAndChanges(t *testing.T) {
	for _, mode := range []string{"one batch", "one change per batch", "one transaction per batch"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			e.exec(t, typesTable,
				typesInsert(maxRow, 1), typesInsert(minRow, 2), typesInsert(nullRow, 3), typesInsert(midRow, 4),
				typesInsert(midRow, 5), typesInsert(maxRow, 9))
			e.ghost(t, typesAlter)
			a := e.newApplier(t)
			txs := e.capture(t, func() {
				conn, err := e.raw.Conn(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				for _, q := range []string{
					// TIMESTAMP values written in another zone, zero dates allowed (the
					// minimum row's TIMESTAMP falls below the range there and becomes zero).
					"SET time_zone = '+05:00', sql_mode = ''",
					typesInsert(midRow, 6),
					typesInsert(minRow, 7),
					typesInsert(nullRow, 8),
					"UPDATE t SET dt = '0000-00-00 00:00:00', d = '0000-00-00', ts = '2001-02-03 04:05:06.7' WHERE id = 8",
					"BEGIN",
					"UPDATE t SET u_bi = 18446744073709551614, lat = _utf8mb4'Ærø', e = 'a', st = 'z,x', j = '{}', ts = NOW(6) WHERE id = 1",
					"DELETE FROM t WHERE id = 2",
					"UPDATE t SET id = 100 WHERE id = 3", // the key moves
					"DELETE FROM t WHERE id = 4",         // delete, then the same key again
					typesInsert(maxRow, 4),
					"COMMIT",
					"UPDATE t SET u_i = u_i - 1, s_bi = 0, bin = X'01' WHERE id IN (5, 6)",
					"UPDATE t SET id = 2 WHERE id = 7",   // onto a key deleted in this batch
					"UPDATE t SET id = 7 WHERE id = 9",   // onto the key that just moved away
					"UPDATE t SET id = 9 WHERE id = 100", // a key moved twice
					"DELETE FROM t WHERE id = 6",
					typesInsert(nullRow, 6),
					"UPDATE t SET n = 1 WHERE id = 6",
					"UPDATE t SET id = id + 1000 ORDER BY id DESC", // every key moves, one statement
					"UPDATE t SET id = id - 1000 ORDER BY id",
				} {
					if _, err := conn.ExecContext(t.Context(), q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
			})
			var all []binlog.Change
			for _, tx := range txs {
				all = append(all, tx...)
			}
			if len(all) < 30 {
				t.Fatalf("only %d changes captured", len(all))
			}
			switch mode {
			case "one batch":
				if err := a.Apply(t.Context(), all); err != nil {
					t.Fatal(err)
				}
			case "one change per batch":
				for _, c := range all {
					if err := a.Apply(t.Context(), []binlog.Change{c}); err != nil {
						t.Fatal(err)
					}
				}
			default:
				for _, tx := range txs {
					if err := a.Apply(t.Context(), tx); err != nil {
						t.Fatal(err)
					}
				}
			}
			e.expect(t, typesAlter)
			e.same(t, "expected", "_t_gho")
			// Applying the same batch again changes nothing.
			if err := a.Apply(t.Context(), all); err != nil {
				t.Fatal(err)
			}
			e.same(t, "expected", "_t_gho")
		})
	}
}

// TestApplyTextKey replays key changes on a case- and accent-insensitive key, where
// the stored value changes but the key compares equal, or moves to a key that
// compares equal to a deleted one.
func TestApplyTextKey(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, c CHAR(3) CHARACTER SET latin1 NOT NULL, v INT, PRIMARY KEY (k, c))",
		"INSERT INTO t VALUES ('abc', 'x', 1), ('Straße', 'y', 2), ('e', 'z', 3), ('pad', 'p', 4), ('', '', 5)")
	e.ghost(t, "ADD COLUMN w INT NULL")
	a := e.newApplier(t)
	txs := e.capture(t, func() {
		e.exec(t,
			"UPDATE t SET k = 'ABC' WHERE k = 'abc'", // same key, other case
			"UPDATE t SET v = 10 WHERE k = 'abc'",
			"UPDATE t SET k = 'STRASSE' WHERE k = 'straße'",
			"DELETE FROM t WHERE k = 'e'",
			"INSERT INTO t VALUES ('É', 'z', 30)", // equal to the deleted 'e'
			"UPDATE t SET k = 'pad ' WHERE k = 'pad'",
			"UPDATE t SET c = 'Y' WHERE c = 'y'",
			"UPDATE t SET k = 'empty' WHERE k = ''",
			"INSERT INTO t VALUES ('', '', 50)",
		)
	})
	var all []binlog.Change
	for _, tx := range txs {
		all = append(all, tx...)
	}
	if err := a.Apply(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	e.expect(t, "ADD COLUMN w INT NULL")
	e.same(t, "expected", "_t_gho")
}

// TestApplyDuplicateOnNewUnique: a write that breaks a UNIQUE key the ALTER adds fails
// the batch with the hint, and nothing of the batch is applied.
func TestApplyDuplicateOnNewUnique(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, u INT NOT NULL)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_10")
	e.ghost(t, "ADD UNIQUE KEY u_uidx (u)")
	a := e.newApplier(t)
	before := e.dump(t, "_t_gho")
	txs := e.capture(t, func() {
		e.exec(t, "DELETE FROM t WHERE id = 1", "INSERT INTO t VALUES (11, 11)", "INSERT INTO t VALUES (12, 5)")
	})
	var all []binlog.Change
	for _, tx := range txs {
		all = append(all, tx...)
	}
	err := a.Apply(t.Context(), all)
	if err == nil {
		t.Fatal("Apply succeeded over a duplicate on the new unique key")
	}
	h, ok := hint.As(err)
	if !ok {
		t.Fatalf("error without hint: %v", err)
	}
	wantMsg := fmt.Sprintf("applying writes to `%s`.`_t_gho` failed: Error 1062 (23000): Duplicate entry '5' for key 'u_uidx'", e.name)
	wantHint := "a unique key the ALTER adds is violated by rows the application wrote during the migration; remove the duplicates or drop the new UNIQUE key, then run again"
	if h.Msg != wantMsg || h.Hint != wantHint {
		t.Fatalf("error\n got %q / %q\nwant %q / %q", h.Msg, h.Hint, wantMsg, wantHint)
	}
	if got := e.dump(t, "_t_gho"); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Fatalf("the failed batch changed the ghost table:\n%v", got)
	}
}

// TestApplyBinaryKey: BINARY values lose their trailing zero bytes in the binlog; as a
// key they must be padded again, or the applier's deletes find nothing.
func TestApplyBinaryKey(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (k BINARY(4) NOT NULL PRIMARY KEY, v INT)",
		"INSERT INTO t VALUES (X'01000000', 1), (X'00000000', 2), (X'01020000', 3), (X'FF', 4)")
	e.ghost(t, "")
	a := e.newApplier(t)
	txs := e.capture(t, func() {
		e.exec(t,
			"UPDATE t SET k = X'02' WHERE k = X'01000000'",
			"DELETE FROM t WHERE k = X'00000000'",
			"UPDATE t SET v = 30 WHERE k = X'01020000'",
			"INSERT INTO t VALUES (X'00', 5)",
			"DELETE FROM t WHERE k = X'FF000000'",
			"INSERT INTO t VALUES (X'FF000000', 6)",
		)
	})
	for _, tx := range txs {
		if err := a.Apply(t.Context(), tx); err != nil {
			t.Fatal(err)
		}
	}
	e.expect(t, "")
	e.same(t, "expected", "_t_gho")
}

// TestApplySkip: changes of keys the copy has not reached are left out, key by key: a row
// moving from such a key to a copied one is inserted, the copied keys get every change.
func TestApplySkip(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)",
		"INSERT INTO t SELECT seq, seq FROM seq_1_to_6")
	e.ghost(t, "ENGINE=InnoDB")
	ahead := func(key []any) bool { id, ok := key[0].(int32); return ok && id >= 4 && id <= 6 }
	a := e.newApplier(t, ahead)
	txs := e.capture(t, func() {
		e.exec(t, "UPDATE t SET v = v + 100", "DELETE FROM t WHERE id = 2", "UPDATE t SET id = 50 WHERE id = 5", "INSERT INTO t VALUES (7, 7)")
	})
	var all []binlog.Change
	for _, tx := range txs {
		all = append(all, tx...)
	}
	if err := a.Apply(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(topotest.Strings(t.Context(), t, e.db, "SELECT CONCAT(id, '=', v) FROM _t_gho ORDER BY id"), " ")
	if want := "1=101 3=103 4=4 5=5 6=6 7=7 50=105"; got != want {
		t.Errorf("ghost rows %q; want %q", got, want)
	}
	if a.Skipped() != 4 {
		t.Errorf("skipped %d changes; want 4 (updates of 4, 5, 6 and the old key 5)", a.Skipped())
	}
}

// TestApplyNumberKeys: ENUM and BIT key columns find their ghost rows by the number they
// order by (member index, BIT value), the same uint64 values the copier's bounds hold, so
// that Skip can place them among the chunks. The ENUM's error value ” is index 0.
func TestApplyNumberKeys(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (e ENUM('red','green','blue') NOT NULL, b BIT(64) NOT NULL, v INT, PRIMARY KEY (e, b))",
		"INSERT INTO t VALUES ('blue', 0, 1), ('red', 18446744073709551615, 2), ('green', 9223372036854775808, 3), ('red', 5, 4)",
		"SET STATEMENT sql_mode='' FOR INSERT INTO t VALUES ('bogus', 7, 5)")
	const alter = "MODIFY e ENUM('red','green','blue','pink') NOT NULL, ADD COLUMN w INT NULL"
	e.ghost(t, alter)
	var keys []string
	a := e.newApplier(t, func(key []any) bool {
		keys = append(keys, fmt.Sprintf("%T(%v),%T(%v)", key[0], key[0], key[1], key[1]))
		return false
	})
	txs := e.capture(t, func() {
		e.exec(t,
			"UPDATE t SET v = 20 WHERE e = 'red' AND b = 18446744073709551615",
			"UPDATE t SET e = 'blue' WHERE e = 'green'",                      // the key moves to another member
			"UPDATE t SET b = 9223372036854775807 WHERE e = 'red' AND b = 5", // and to another BIT value
			"DELETE FROM t WHERE e = 'blue' AND b = 0",
			"SET STATEMENT sql_mode='' FOR UPDATE t SET v = 50 WHERE e = 0",
			"SET STATEMENT sql_mode='' FOR INSERT INTO t VALUES ('nonsense', 8, 6)",
			"INSERT INTO t VALUES ('green', 1, 7)",
		)
	})
	for _, tx := range txs {
		if err := a.Apply(t.Context(), tx); err != nil {
			t.Fatal(err)
		}
	}
	e.expect(t, alter)
	e.same(t, "expected", "_t_gho")
	want := []string{
		"uint64(1),uint64(18446744073709551615)",                                         // update in place
		"uint64(2),uint64(9223372036854775808)", "uint64(3),uint64(9223372036854775808)", // moved member
		"uint64(1),uint64(5)", "uint64(1),uint64(9223372036854775807)", // moved BIT
		"uint64(3),uint64(0)",
		"uint64(0),uint64(7)",
		"uint64(0),uint64(8)",
		"uint64(2),uint64(1)",
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("keys given to Skip\n got %v\nwant %v", keys, want)
	}
}
