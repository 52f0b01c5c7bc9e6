package copier_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

type env struct {
	db   *sql.DB // ghost's own session settings, on the test database
	raw  *sql.DB // the test's plain pool
	name string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	raw, name := topotest.NewDatabase(t, topo)
	db := topotest.GhostPool(t, topo, name)
	return &env{db: db, raw: raw, name: name}
}

func (e *env) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.raw.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func keyKind(c schema.Column) copier.KeyKind {
	if c.IsInteger() {
		if c.Unsigned {
			return copier.KeyUnsigned
		}
		return copier.KeySigned
	}
	if c.OrdersAsNumber() {
		return copier.KeyUnsigned
	}
	if c.IsText() || c.IsBinary() {
		return copier.KeyBytes
	}
	return copier.KeyText
}

// config builds a copier from t to _t_gho (created LIKE t) the way the migration does.
func (e *env) config(t *testing.T, chunkSize func() int64) (copier.Config, []sqlgen.Col, string) {
	t.Helper()
	e.exec(t, "CREATE TABLE _t_gho LIKE t")
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
		names[strings.ToLower(c.Name)] = c.Name
	}
	m, err := schema.NewMapping(orig, ghost, names)
	if err != nil {
		t.Fatal(err)
	}
	cfg := copier.Config{
		DB: e.db, Orig: sqlgen.Table{Schema: e.name, Name: "t"}, Ghost: sqlgen.Table{Schema: e.name, Name: "_t_gho"},
		Index: m.Key.Name, ChunkSize: chunkSize,
	}
	for _, c := range m.KeyColumns {
		cs, coll, cast := c.Describe()
		col := sqlgen.Col{Name: c.Name, Charset: cs, Collation: coll, Cast: cast, Number: c.OrdersAsNumber()}
		if c.DataType == "enum" {
			col.Members = len(c.Members)
		}
		cfg.Key = append(cfg.Key, col)
		cfg.KeyKinds = append(cfg.KeyKinds, keyKind(c))
	}
	for _, p := range m.Pairs {
		cfg.OrigCols = append(cfg.OrigCols, sqlgen.Col{Name: p.Orig.Name})
		cfg.GhostCols = append(cfg.GhostCols, sqlgen.Col{Name: p.Ghost.Name})
	}
	var order []string
	for _, c := range m.Key.Columns {
		order = append(order, dbconn.QuoteIdent(c))
	}
	return cfg, cfg.Key, strings.Join(order, ", ")
}

// dump renders every row of a table, every column as HEX, in key order.
func (e *env) dump(t *testing.T, table, orderBy string) []string {
	t.Helper()
	var exprs []string
	for _, c := range topotest.Strings(t.Context(), t, e.raw, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", e.name, table) {
		exprs = append(exprs, fmt.Sprintf("IFNULL(HEX(%s), 'NULL')", dbconn.QuoteIdent(c)))
	}
	return topotest.Strings(t.Context(), t, e.raw, fmt.Sprintf("SELECT CONCAT_WS('|', %s) FROM %s ORDER BY %s", strings.Join(exprs, ", "), dbconn.QuoteIdent(table), orderBy))
}

func (e *env) sameTables(t *testing.T, orderBy string) {
	t.Helper()
	o, g := e.dump(t, "t", orderBy), e.dump(t, "_t_gho", orderBy)
	if len(o) != len(g) {
		t.Fatalf("original has %d rows, ghost %d", len(o), len(g))
	}
	for i := range o {
		if o[i] != g[i] {
			t.Fatalf("row %d differs:\n orig  %s\n ghost %s", i, o[i], g[i])
		}
	}
}

func (e *env) count(t *testing.T, key []sqlgen.Col, index string, b sqlgen.Bounds) int64 {
	t.Helper()
	where, args := b.Where(key)
	var n int64
	q := fmt.Sprintf("SELECT COUNT(*) FROM t FORCE INDEX (%s) WHERE %s", dbconn.QuoteIdent(index), where)
	if err := e.db.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestChunksCoverTable(t *testing.T) {
	type sizes []int64
	cases := []struct {
		name   string
		create string
		fill   []string
		sizes  sizes // chunk sizes, used in turn (a changing size), the last repeated
	}{
		{
			name:   "integer key",
			create: "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20))",
			fill:   []string{"INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_1000"},
			sizes:  sizes{7},
		},
		{
			name:   "negative keys, sparse",
			create: "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t SELECT CAST(seq AS SIGNED) * 37 - 9000, seq FROM seq_1_to_500", "INSERT INTO t VALUES (-9223372036854775808, 0), (9223372036854775807, 0)"},
			sizes:  sizes{13},
		},
		{
			name:   "unsigned key at the limits",
			create: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t SELECT seq, seq FROM seq_0_to_99", "INSERT INTO t VALUES (18446744073709551615, 1), (9223372036854775808, 2), (9223372036854775807, 3)"},
			sizes:  sizes{10},
		},
		{
			// Case-insensitive: byte order (upper before lower) is not the key's order.
			name:   "varchar ci key",
			create: "CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT)",
			fill: []string{
				"INSERT INTO t SELECT CONCAT(IF(seq % 2, UPPER(CHAR(97 + seq % 26)), CHAR(97 + seq % 26)), LPAD(seq, 4, '0')), seq FROM seq_1_to_600",
				"INSERT INTO t VALUES ('Ärger', 1), ('zebra', 2), ('Zulu', 3), ('éclair', 4), ('😀', 5), ('', 6)",
			},
			sizes: sizes{9},
		},
		{
			name:   "latin1 key",
			create: "CREATE TABLE t (k VARCHAR(20) CHARACTER SET latin1 NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t SELECT CONCAT(CHAR(64 + seq % 60 USING latin1), seq), seq FROM seq_1_to_300", "INSERT INTO t VALUES (_utf8mb4'Ümlaut', 1), (_utf8mb4'ñ', 2)"},
			sizes:  sizes{11},
		},
		{
			name:   "composite key",
			create: "CREATE TABLE t (a INT NOT NULL, b VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, c INT NOT NULL, v INT, PRIMARY KEY (a, b, c))",
			fill:   []string{"INSERT INTO t SELECT CAST(seq AS SIGNED) % 7 - 3, IF((seq DIV 5) % 2, UPPER(CHAR(97 + seq % 5)), CHAR(97 + seq % 5)), seq DIV 35, seq FROM seq_1_to_700"},
			sizes:  sizes{5},
		},
		{
			name:   "decimal key",
			create: "CREATE TABLE t (d DECIMAL(12,3) NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t SELECT (CAST(seq AS SIGNED) - 250) / 7, seq FROM seq_1_to_500"},
			sizes:  sizes{17},
		},
		{
			name:   "datetime key",
			create: "CREATE TABLE t (d DATETIME(6) NOT NULL, v INT, UNIQUE KEY d_uidx (d))",
			fill:   []string{"INSERT INTO t SELECT '2020-01-01' + INTERVAL seq * 1001 MICROSECOND + INTERVAL seq HOUR, seq FROM seq_1_to_400"},
			sizes:  sizes{23},
		},
		{
			// Members out of alphabetical order: the key orders by member index. Index 0
			// (the error value '') sorts first.
			name:   "enum key",
			create: "CREATE TABLE t (e ENUM('red','green','blue','orange') NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (e, id))",
			fill: []string{
				"INSERT INTO t SELECT ELT(1 + seq % 4, 'red', 'green', 'blue', 'orange'), seq, seq FROM seq_1_to_600",
				"SET STATEMENT sql_mode='' FOR INSERT INTO t VALUES ('bogus', 1, 1), ('bogus', 2, 2)",
			},
			sizes: sizes{7},
		},
		{
			name:   "enum key alone, chunks across members",
			create: "CREATE TABLE t (e ENUM('z','y','x','w','v','u') NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t VALUES ('u', 1), ('x', 2), ('z', 3), ('w', 4), ('v', 5), ('y', 6)"},
			sizes:  sizes{1, 2},
		},
		{
			name:   "bit key at the limits",
			create: "CREATE TABLE t (b BIT(64) NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (b, id))",
			fill: []string{
				"INSERT INTO t SELECT CAST(seq % 9 AS UNSIGNED) * 2049638230412172401, seq, seq FROM seq_1_to_500",
				"INSERT INTO t VALUES (0, 0, 0), (9223372036854775807, 0, 0), (9223372036854775808, 0, 0), (18446744073709551615, 0, 0)",
			},
			sizes: sizes{11},
		},
		{
			name:   "chunk size changed mid-run",
			create: "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t SELECT seq, seq FROM seq_1_to_1000"},
			sizes:  sizes{1, 100, 3, 250, 1, 2, 64, 1000},
		},
		{
			name:   "single row",
			create: "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)",
			fill:   []string{"INSERT INTO t VALUES (5, 5)"},
			sizes:  sizes{100},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.exec(t, tc.create)
			e.exec(t, tc.fill...)
			var next atomic.Int64
			size := func() int64 {
				i := int(next.Load())
				if i >= len(tc.sizes) {
					i = len(tc.sizes) - 1
				}
				return tc.sizes[i]
			}
			cfg, key, order := e.config(t, size)
			c := copier.New(cfg)
			if err := c.Prepare(t.Context()); err != nil {
				t.Fatal(err)
			}
			if c.Empty() {
				t.Fatal("Empty on a filled table")
			}
			var total int64
			if err := e.raw.QueryRow("SELECT COUNT(*) FROM t").Scan(&total); err != nil {
				t.Fatal(err)
			}
			var chunks []copier.Chunk
			var sum int64
			for {
				want := size()
				ch, ok, err := c.Next(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				next.Add(1)
				if ch.Seq != int64(len(chunks)+1) {
					t.Errorf("chunk seq %d, want %d", ch.Seq, len(chunks)+1)
				}
				if len(chunks) == 0 {
					if ch.Bounds.Lower == nil || !ch.Bounds.LowerInclusive {
						t.Fatalf("first chunk %+v does not start at the first key, inclusive", ch.Bounds)
					}
				} else {
					prev := chunks[len(chunks)-1]
					if prev.Last {
						t.Fatalf("chunk after the last one: %+v", ch)
					}
					if ch.Bounds.LowerInclusive || !reflect.DeepEqual(ch.Bounds.Lower, prev.Bounds.Upper) {
						t.Fatalf("chunk %d starts at %v (inclusive %v), previous ended at %v", ch.Seq, ch.Bounds.Lower, ch.Bounds.LowerInclusive, prev.Bounds.Upper)
					}
				}
				n := e.count(t, key, cfg.Index, ch.Bounds)
				// Only the last chunk may be short (even empty, when the table's
				// row count is a multiple of the chunk size).
				if n > want || (!ch.Last && n != want) {
					t.Fatalf("chunk %d holds %d rows, chunk size %d, last %v", ch.Seq, n, want, ch.Last)
				}
				sum += n
				copied, err := c.Copy(t.Context(), ch)
				if err != nil {
					t.Fatal(err)
				}
				if copied != n {
					t.Fatalf("chunk %d: Copy says %d rows, the range holds %d", ch.Seq, copied, n)
				}
				chunks = append(chunks, ch)
			}
			if len(chunks) == 0 || !chunks[len(chunks)-1].Last {
				t.Fatalf("no last chunk among %d", len(chunks))
			}
			if sum != total {
				t.Fatalf("chunks hold %d rows, the table %d (overlap or gap)", sum, total)
			}
			if c.Copied() != total || c.Chunks() != int64(len(chunks)) {
				t.Fatalf("Copied %d Chunks %d, want %d and %d", c.Copied(), c.Chunks(), total, len(chunks))
			}
			if _, ok, _ := c.Next(t.Context()); ok {
				t.Fatal("Next after the last chunk")
			}
			e.sameTables(t, order)
			t.Logf("%d rows in %d chunks", total, len(chunks))
		})
	}
}

// TestNumberKeyRangesUseIndex: the statements of a chunk in the middle of a table keyed
// by an ENUM or a BIT scan a range of the key's index, not the whole index or table.
// (MariaDB reads the whole index for < and > on an ENUM, hence the member lists.)
func TestNumberKeyRangesUseIndex(t *testing.T) {
	cases := []struct{ name, create, fill string }{
		{"enum", "CREATE TABLE t (e ENUM('red','green','blue','orange') NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (e, id))",
			"INSERT INTO t SELECT ELT(1 + seq % 4, 'red', 'green', 'blue', 'orange'), seq, seq FROM seq_1_to_8000"},
		{"bit", "CREATE TABLE t (b BIT(20) NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (b, id))",
			"INSERT INTO t SELECT seq % 1000, seq, seq FROM seq_1_to_8000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.exec(t, tc.create, tc.fill, "ANALYZE TABLE t")
			cfg, key, _ := e.config(t, func() int64 { return 100 })
			e.exec(t, "INSERT INTO _t_gho SELECT * FROM t", "ANALYZE TABLE _t_gho")
			c := copier.New(cfg)
			if err := c.Prepare(t.Context()); err != nil {
				t.Fatal(err)
			}
			var ch copier.Chunk
			for range 30 { // a chunk where the lower and upper bounds are both mid-table
				var ok bool
				var err error
				if ch, ok, err = c.Next(t.Context()); err != nil || !ok {
					t.Fatalf("Next: %v %v", ok, err)
				}
			}
			orig := sqlgen.Table{Schema: e.name, Name: "t"}
			gho := sqlgen.Table{Schema: e.name, Name: "_t_gho"}
			// The last key, as the copier reads it.
			var last [2]uint64
			if err := e.db.QueryRowContext(t.Context(), sqlgen.KeyEdge(orig, cfg.Index, key, true)).Scan(&last[0], &last[1]); err != nil {
				t.Fatal(err)
			}
			next, nextArgs := sqlgen.ChunkEnd(orig, cfg.Index, key, sqlgen.Bounds{Lower: ch.Bounds.Upper, Upper: []any{last[0], last[1]}}, 100)
			del, delArgs := sqlgen.DeleteRange(gho, key, ch.Bounds)
			cp, cpArgs := sqlgen.CopyRange(orig, gho, cfg.Index, cfg.OrigCols, cfg.GhostCols, key, ch.Bounds)
			for _, st := range []struct {
				q    string
				args []any
			}{{next, nextArgs}, {del, delArgs}, {cp, cpArgs}} {
				rows, err := e.db.QueryContext(t.Context(), "EXPLAIN "+st.q, st.args...)
				if err != nil {
					t.Fatalf("EXPLAIN %s: %v", st.q, err)
				}
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]sql.NullString, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					if err := rows.Scan(ptrs...); err != nil {
						t.Fatal(err)
					}
					row := map[string]string{}
					for i, c := range cols {
						row[c] = vals[i].String
					}
					if row["table"] == "_t_gho" && strings.HasPrefix(st.q, "INSERT") {
						continue // the insert target
					}
					if row["type"] != "range" || row["key"] != "PRIMARY" {
						t.Errorf("%s %v\nscans %s via %q (%s rows), want a range of PRIMARY", st.q, st.args, row["type"], row["key"], row["rows"])
					}
				}
				rows.Close()
			}
		})
	}
}

func TestEmptyTable(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY)")
	cfg, _, _ := e.config(t, func() int64 { return 10 })
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !c.Empty() {
		t.Fatal("Empty is false on an empty table")
	}
	if ch, ok, err := c.Next(t.Context()); ok || err != nil {
		t.Fatalf("Next on an empty table: %+v %v %v", ch, ok, err)
	}
	// Rows written after Prepare are the applier's: the copy stays empty.
	e.exec(t, "INSERT INTO t VALUES (1)")
	if _, ok, _ := c.Next(t.Context()); ok {
		t.Fatal("Next returned a chunk for a row written after Prepare")
	}
	if c.Copied() != 0 || c.Chunks() != 0 {
		t.Fatalf("Copied %d Chunks %d", c.Copied(), c.Chunks())
	}
}

// TestCopyIdempotent copies every chunk, damages the ghost table, and copies the same
// chunks again: the ghost table must equal the original again, row for row.
func TestCopyIdempotent(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20), b VARBINARY(8))",
		"INSERT INTO t SELECT seq, CONCAT('v', seq), UNHEX(HEX(seq * 1000)) FROM seq_1_to_500")
	cfg, _, order := e.config(t, func() int64 { return 40 })
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	var chunks []copier.Chunk
	for {
		ch, ok, err := c.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		chunks = append(chunks, ch)
		for range 2 { // twice in a row
			if n, err := c.Copy(t.Context(), ch); err != nil || n == 0 {
				t.Fatalf("copy chunk %d: %d %v", ch.Seq, n, err)
			}
		}
	}
	e.sameTables(t, order)
	// Rows the applier wrote into the ghost table, stale or missing rows: a second
	// copy replaces the range with the original's rows.
	e.exec(t, "DELETE FROM _t_gho WHERE id % 7 = 0", "UPDATE _t_gho SET v = 'stale' WHERE id % 5 = 0",
		"UPDATE t SET v = 'new' WHERE id % 11 = 0", "DELETE FROM t WHERE id IN (3, 250, 499)")
	for _, ch := range chunks {
		if _, err := c.Copy(t.Context(), ch); err != nil {
			t.Fatal(err)
		}
	}
	e.sameTables(t, order)
}

// TestCopyKilledChunkRetried kills the chunk's INSERT ... SELECT while it waits on a
// row lock: Copy retries it and counts the chunk once.
func TestCopyKilledChunkRetried(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_3000")
	cfg, _, order := e.config(t, func() int64 { return 5000 })
	var mu sync.Mutex
	var retries []error
	cfg.OnRetry = func(err error) {
		mu.Lock()
		retries = append(retries, err)
		mu.Unlock()
	}
	c := copier.New(cfg)
	ch := firstChunk(t, c)
	if !ch.Last {
		t.Fatalf("one chunk expected: %+v", ch)
	}

	// A transaction holds an exclusive lock on a row in the middle of the chunk: the
	// copy's shared-lock read waits for it.
	locker, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.Exec("UPDATE t SET v = -v WHERE id = 1500"); err != nil {
		t.Fatal(err)
	}

	type result struct {
		n   int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := c.Copy(context.Background(), ch)
		done <- result{n, err}
	}()
	waiting := func() int64 {
		var id int64
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			// Copying 3000 rows takes milliseconds: a copy running for 300ms waits on the lock.
			err := e.raw.QueryRow(`SELECT ID FROM information_schema.PROCESSLIST
				WHERE COMMAND = 'Query' AND INFO LIKE 'INSERT INTO %\\_t\\_gho%' AND TIME_MS > 300`).Scan(&id)
			if err == nil {
				return id
			}
		}
		rows, _ := e.raw.Query("SELECT CONCAT_WS(' | ', ID, USER, DB, COMMAND, STATE, INFO) FROM information_schema.PROCESSLIST")
		for rows.Next() {
			var s string
			rows.Scan(&s)
			t.Log(s)
		}
		rows, _ = e.raw.Query("SELECT CONCAT_WS(' | ', trx_mysql_thread_id, trx_state, trx_query) FROM information_schema.INNODB_TRX")
		for rows.Next() {
			var s string
			rows.Scan(&s)
			t.Log(s)
		}
		t.Fatal("the chunk copy was not seen waiting on the row lock")
		return 0
	}
	id := waiting()
	if _, err := e.raw.Exec(fmt.Sprintf("KILL QUERY %d", id)); err != nil {
		t.Fatal(err)
	}
	nretries := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(retries)
	}
	for end := time.Now().Add(10 * time.Second); nretries() == 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	// The retry waits on the same lock again; then the lock goes away.
	id2 := waiting()
	if n := nretries(); n != 1 {
		t.Fatalf("%d retries before the lock was released, want 1", n)
	}
	if dbconn.Number(retries[0]) != dbconn.ErrQueryInterrupted {
		t.Fatalf("retried error %v, want error %d (query interrupted)", retries[0], dbconn.ErrQueryInterrupted)
	}
	t.Logf("killed query on connection %d; retry on connection %d", id, id2)
	if err := locker.Rollback(); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Copy did not finish after the lock was released")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.n != 3000 || c.Copied() != 3000 || c.Chunks() != 1 {
		t.Fatalf("Copy returned %d, Copied %d, Chunks %d; want 3000, 3000, 1", r.n, c.Copied(), c.Chunks())
	}
	e.sameTables(t, order)
}

// TestCopyFailureNotCounted: a chunk the server refuses (a NULL for a NOT NULL ghost
// column) is not retried and not counted, and leaves nothing in the ghost table.
func TestCopyFailureNotCounted(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NULL)", "INSERT INTO t SELECT seq, IF(seq = 77, NULL, seq) FROM seq_1_to_100")
	retried := 0
	cfg, _, _ := e.config(t, func() int64 { return 60 })
	cfg.OnRetry = func(error) { retried++ }
	e.exec(t, "ALTER TABLE _t_gho MODIFY v INT NOT NULL")
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	first, _, err := c.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.Copy(t.Context(), first); err != nil || n != 60 {
		t.Fatalf("first chunk: %d %v", n, err)
	}
	second, _, err := c.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Copy(t.Context(), second)
	if dbconn.Number(err) != dbconn.ErrBadNull {
		t.Fatalf("copy of a NULL into NOT NULL: %v, want error %d", err, dbconn.ErrBadNull)
	}
	if retried != 0 || c.Copied() != 60 || c.Chunks() != 1 {
		t.Fatalf("retried %d, Copied %d, Chunks %d; want 0, 60, 1", retried, c.Copied(), c.Chunks())
	}
	var n int
	e.raw.QueryRow("SELECT COUNT(*) FROM _t_gho").Scan(&n)
	if n != 60 {
		t.Fatalf("ghost holds %d rows, want the first chunk's 60", n)
	}
}

// TestCopyConcurrentWrites copies while another connection writes to the original and
// a stand-in applier replays those writes into the ghost table afterwards (as the
// binlog applier does): the result equals the original.
func TestCopyConcurrentWrites(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_2000")
	cfg, _, order := e.config(t, func() int64 { return 50 })
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	touched := make(chan int, 100000)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r := rand.New(rand.NewPCG(1, 2))
		for {
			select {
			case <-stop:
				return
			default:
			}
			id := 1 + r.IntN(2600)
			var q string
			switch r.IntN(3) {
			case 0:
				q = fmt.Sprintf("UPDATE t SET v = v + 1 WHERE id = %d", id)
			case 1:
				q = fmt.Sprintf("DELETE FROM t WHERE id = %d", id)
			default:
				q = fmt.Sprintf("INSERT INTO t VALUES (%d, 0) ON DUPLICATE KEY UPDATE v = -v", id)
			}
			if _, err := e.raw.Exec(q); err != nil {
				t.Error(err)
				return
			}
			touched <- id
		}
	}()
	for {
		ch, ok, err := c.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if _, err := c.Copy(t.Context(), ch); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(touched)
	// Stand-in applier: the final state of every touched key.
	for id := range touched {
		e.exec(t, fmt.Sprintf("DELETE FROM _t_gho WHERE id = %d", id), fmt.Sprintf("INSERT INTO _t_gho SELECT * FROM t WHERE id = %d", id))
	}
	e.sameTables(t, order)
}

// TestPrepareRetriesLockWait: the key range is read with a shared lock; a writer
// holding the last row makes the read time out (as a deadlock with writers at the
// table's end would fail it): Prepare retries instead of failing the migration.
func TestPrepareRetriesLockWait(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_100")
	db, err := dbconn.Open(t.Context(), dbconn.Config{Host: topo.Primary.Host, Port: topo.Primary.Port,
		User: topo.Primary.User, Password: topo.Primary.Password, Database: e.name, InnoDBLockWaitTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, _, order := e.config(t, func() int64 { return 1000 })
	cfg.DB = db
	var retried []error
	cfg.OnRetry = func(err error) { retried = append(retried, err) }
	locker, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.Exec("UPDATE t SET v = -v WHERE id = 100"); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(1500*time.Millisecond, func() { locker.Rollback() })
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if len(retried) == 0 || dbconn.Number(retried[0]) != dbconn.ErrLockWaitTimeout {
		t.Fatalf("retries %v, want a lock wait timeout retried", retried)
	}
	ch, ok, err := c.Next(t.Context())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if n, err := c.Copy(t.Context(), ch); err != nil || n != 100 {
		t.Fatalf("Copy: %d %v", n, err)
	}
	e.sameTables(t, order)
}

// TestAhead: a key is ahead of the copy from the first key until a chunk covering it is
// handed out, never before the first key or after the last, and never for a key with a
// non-integer column; the comparison takes every integer type the binlog decodes.
func TestAhead(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (a INT NOT NULL, b BIGINT UNSIGNED NOT NULL, PRIMARY KEY (a, b))",
		"INSERT INTO t SELECT seq DIV 10, seq MOD 10 FROM seq_10_to_109") // (1,0)..(10,9)
	cfg, _, _ := e.config(t, func() int64 { return 30 })
	c := copier.New(cfg)
	if c.Ahead([]any{int32(5), uint64(0)}) {
		t.Fatal("ahead before Prepare")
	}
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	check := func(when string, key []any, want bool) {
		t.Helper()
		if got := c.Ahead(key); got != want {
			t.Errorf("%s: Ahead(%v) = %v; want %v", when, key, got, want)
		}
	}
	check("prepared", []any{int32(1), uint64(0)}, true)  // the first key
	check("prepared", []any{int8(0), uint64(9)}, false)  // before it
	check("prepared", []any{int64(10), uint64(9)}, true) // the last key
	check("prepared", []any{int16(10), uint64(10)}, false)
	check("prepared", []any{int32(-3), uint64(5)}, false)
	check("prepared", []any{"5", uint64(5)}, false)   // not an integer
	if _, _, err := c.Next(t.Context()); err != nil { // (1,0)..(3,9)
		t.Fatal(err)
	}
	check("first chunk", []any{int32(3), uint64(9)}, false)
	check("first chunk", []any{int32(4), uint64(0)}, true)
	check("first chunk", []any{int32(3), uint64(1 << 63)}, true) // above (3,9) within a=3
	for {
		_, ok, err := c.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
	}
	check("all chunks", []any{int32(10), uint64(9)}, false)
	check("all chunks", []any{int32(7), uint64(7)}, false)
}

// TestAheadNeedsIntegerKey: a character key's order is the collation's, so nothing is ahead.
func TestAheadNeedsIntegerKey(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (k VARCHAR(10) NOT NULL PRIMARY KEY)", "INSERT INTO t VALUES ('a'), ('m'), ('z')")
	cfg, _, _ := e.config(t, func() int64 { return 30 })
	c := copier.New(cfg)
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	if c.Ahead([]any{[]byte("m")}) || c.Ahead([]any{"m"}) {
		t.Error("a character key reported ahead")
	}
}

// TestCopyDuplicateRetriedAfterCatchUp plays a unique value swapped between a copied row and a
// row of the chunk: the ghost table still holds the copied row's old value (its change not yet
// applied), so the chunk meets a duplicate. CatchUp, standing for the applier, applies that
// change; the chunk then succeeds. A duplicate CatchUp cannot remove fails once it repeats.
func TestCopyDuplicateRetriedAfterCatchUp(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, code INT NOT NULL, UNIQUE KEY code_uk (code))",
		"INSERT INTO t SELECT seq, seq FROM seq_1_to_100")
	cfg, _, order := e.config(t, func() int64 { return 1000 })
	// Row 1 was copied with code 1, then the application swapped codes 1 and 100 (rows 1
	// and 100); the chunk of rows 2..100 brings code 1 while the ghost's row 1 still has it.
	e.exec(t, "INSERT INTO _t_gho VALUES (1, 1)", "UPDATE t SET code = -1 WHERE id = 1",
		"UPDATE t SET code = 1 WHERE id = 100", "UPDATE t SET code = 100 WHERE id = 1")
	var catchUps, retries atomic.Int64
	cfg.CatchUp = func(ctx context.Context) error {
		catchUps.Add(1)
		_, err := e.raw.ExecContext(ctx, "UPDATE _t_gho SET code = 100 WHERE id = 1")
		return err
	}
	cfg.OnRetry = func(error) { retries.Add(1) }
	c := copier.New(cfg)
	ch := firstChunk(t, c)
	// The chunk's range starts at the smallest key; put it past row 1, as if row 1 were copied.
	ch.Bounds.Lower, ch.Bounds.LowerInclusive = []any{int64(1)}, false
	if n, err := c.Copy(t.Context(), ch); err != nil || n != 99 {
		t.Fatalf("copy after catching up: %d rows, %v; want 99, nil", n, err)
	}
	if catchUps.Load() != 1 || retries.Load() != 1 {
		t.Errorf("catch-ups %d, retries %d; want 1 and 1", catchUps.Load(), retries.Load())
	}
	e.sameTables(t, order)

	// A duplicate in the data itself: the same duplicate again after catching up ends the
	// copy at once, whatever the retries.
	e.exec(t, "DELETE FROM _t_gho WHERE id > 1", "UPDATE _t_gho SET code = 50 WHERE id = 1")
	catchUps.Store(0)
	cfg.CatchUp = func(context.Context) error { catchUps.Add(1); return nil }
	cfg.Retries = 3
	c = copier.New(cfg)
	_, err := c.Copy(t.Context(), ch)
	if !dbconn.Is(err, dbconn.ErrDupEntry) {
		t.Fatalf("copy over a real duplicate: %v; want error 1062", err)
	}
	if catchUps.Load() != 1 {
		t.Errorf("catch-ups %d; want 1 (the same duplicate after it is in the data)", catchUps.Load())
	}
	if got := e.dump(t, "_t_gho", order); len(got) != 1 {
		t.Errorf("ghost rows after the failed chunk: %q; want only row 1", got)
	}
}

// TestConsistentCopyTakesNoRowLock: with Consistent a chunk copies the committed rows past a
// row another transaction holds locked, at once, without waiting for it (the locking copy
// waits: TestCopyKilledChunkRetried). go/faults TestCopyReadsPastRowLock shows the same end to
// end, through ghost and both copies.
func TestConsistentCopyTakesNoRowLock(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_3000")
	cfg, _, _ := e.config(t, func() int64 { return 5000 })
	cfg.Consistent = true
	c := copier.New(cfg)
	ch := firstChunk(t, c)
	locker, err := e.raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.Exec("UPDATE t SET v = -v WHERE id = 1500"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n, err := c.Copy(t.Context(), ch)
	took := time.Since(start)
	if err != nil || n != 3000 {
		t.Fatalf("consistent copy past a locked row: %d rows, %v", n, err)
	}
	if took > 2*time.Second {
		t.Errorf("the consistent copy took %s: it waited for the row lock", took)
	}
	var v int
	if err := e.raw.QueryRow("SELECT v FROM _t_gho WHERE id = 1500").Scan(&v); err != nil || v != 1500 {
		t.Errorf("the locked row was copied as %d (%v), want its committed 1500", v, err)
	}
}

// firstChunk prepares the copier and hands out its first chunk.
func firstChunk(t *testing.T, c *copier.Copier) copier.Chunk {
	t.Helper()
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	ch, ok, err := c.Next(t.Context())
	if err != nil || !ok {
		t.Fatalf("first chunk: %v %v", ok, err)
	}
	return ch
}
