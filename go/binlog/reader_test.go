package binlog_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"github.com/shopspring/decimal"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

// Readers read the replica's binlog, as ghost does in production: writes go to the
// primary and reach the reader through replication and log_slave_updates.

var serverIDs atomic.Uint32

func init() { serverIDs.Store(1000) }

type env struct {
	db   *sql.DB // primary, on the test database
	name string
	rdb  *sql.DB // replica, no database
	info dbconn.ServerInfo
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, name := topotest.NewDatabase(t, topo)
	rdb, err := topo.Replica.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	info, err := dbconn.Inspect(t.Context(), rdb)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, name: name, rdb: rdb, info: info}
}

func (e *env) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// tx runs statements in one transaction on the primary.
func (e *env) tx(t *testing.T, stmts ...string) {
	t.Helper()
	tx, err := e.db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(t.Context(), q); err != nil {
			tx.Rollback()
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// position is the replica's binlog position once it has everything written so far.
func (e *env) position(t *testing.T) binlog.Position {
	t.Helper()
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	p, err := binlog.CurrentPosition(t.Context(), e.rdb, e.info)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type running struct {
	r      *binlog.Reader
	out    chan binlog.Transaction
	done   chan error
	cancel context.CancelFunc
}

// start runs a reader on the replica watching the test database's table t.
func (e *env) start(t *testing.T, from binlog.Position, mod func(*binlog.Config)) *running {
	t.Helper()
	cfg := binlog.Config{
		Host: topo.Replica.Host, Port: topo.Replica.Port, User: topo.Replica.User, Password: topo.Replica.Password,
		Flavor:         e.info.Flavor,
		ServerID:       serverIDs.Add(1),
		Watch:          func(s, tb string) bool { return s == e.name && tb == "t" },
		ReconnectDelay: 20 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{r: binlog.NewReader(cfg), out: make(chan binlog.Transaction, 10000), done: make(chan error, 1), cancel: cancel}
	go func() { r.done <- r.r.Run(ctx, from, r.out) }()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func (r *running) next(t *testing.T) binlog.Transaction {
	t.Helper()
	select {
	case tx := <-r.out:
		return tx
	case err := <-r.done:
		t.Fatalf("reader ended: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no transaction within 20s")
	}
	return binlog.Transaction{}
}

// none asserts that nothing more arrives for a while.
func (r *running) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case tx := <-r.out:
		t.Fatalf("unexpected transaction %+v", tx)
	case err := <-r.done:
		t.Fatalf("reader ended: %v", err)
	case <-time.After(d):
	}
}

// norm makes decoded values comparable with reflect.DeepEqual.
func norm(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		if d, ok := v.(decimal.Decimal); ok {
			out[i] = "decimal:" + d.String()
			continue
		}
		out[i] = v
	}
	return out
}

func sameRow(t *testing.T, what string, got, want []any) {
	t.Helper()
	g, w := norm(got), norm(want)
	if len(g) != len(w) {
		t.Fatalf("%s: %d values, want %d: %#v", what, len(g), len(w), g)
	}
	for i := range g {
		if !reflect.DeepEqual(g[i], w[i]) {
			t.Errorf("%s: column %d = %T %#v, want %T %#v", what, i+1, g[i], g[i], w[i], w[i])
		}
	}
}

const typesTable = `CREATE TABLE t (
  id INT NOT NULL PRIMARY KEY,
  u_ti TINYINT UNSIGNED, u_si SMALLINT UNSIGNED, u_mi MEDIUMINT UNSIGNED, u_i INT UNSIGNED, u_bi BIGINT UNSIGNED,
  s_bi BIGINT,
  bin BINARY(8), vb VARBINARY(16),
  lat VARCHAR(20) CHARACTER SET latin1,
  u8 VARCHAR(20) CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4,
  dt DATETIME(6), ts TIMESTAMP(6) NULL, d DATE, tm TIME(3),
  dc DECIMAL(20,6), bits BIT(10), e ENUM('a','b','c'), st SET('x','y','z'), j JSON, n INT NULL
)`

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestReaderValues checks every value as the reader hands it on. The row image
// decoder's forms are the contract with the applier: MariaDB logs no signedness, so
// unsigned values arrive as the same bits in a signed type; BINARY arrives with its
// trailing zero bytes stripped; latin1 text arrives as its latin1 bytes; ENUM and SET
// arrive as member index and bitmask; TIMESTAMP in UTC; JSON as text.
func TestReaderValues(t *testing.T) {
	e := newEnv(t)
	e.exec(t, typesTable, "CREATE TABLE other (id INT PRIMARY KEY)")
	r := e.start(t, e.position(t), nil)

	conn, err := e.db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		// TIMESTAMP is written in +05:00 and must come back in UTC.
		"SET time_zone = '+05:00'",
		`INSERT INTO t VALUES (1, 255, 65535, 16777215, 4294967295, 18446744073709551615, -9223372036854775808,
		  X'0102000000000000', X'00FF0000', _utf8mb4'café', _utf8mb4'😀 ü', 'long text',
		  '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.654321', '2024-02-29', '-12:34:56.789',
		  '-12345678901234.123456', b'1010000001', 'c', 'x,z', '{"a": [1, 2.5, "x"]}', NULL)`,
		"INSERT INTO t (id) VALUES (2)",
		`UPDATE t SET u_ti = 128, u_i = 2147483648, u_bi = 9223372036854775808, bin = X'00', vb = '',
		  lat = _utf8mb4'naïve', u8 = NULL, dt = '1000-01-01 00:00:00.000001', ts = '1970-01-01 05:00:01.000000',
		  dc = '0.000001', bits = b'0', e = 'a', st = '', j = '[]', n = -1 WHERE id = 1`,
		"DELETE FROM t WHERE id = 1",
	} {
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	first := []any{int32(1), int8(-1), int16(-1), int32(-1), int32(-1), int64(-1), int64(math.MinInt64),
		"\x01\x02", "\x00\xff\x00\x00", "caf\xe9", "😀 ü", []byte("long text"),
		"2024-02-29 23:59:59.123456", "2024-02-29 18:59:59.654321", "2024-02-29", "-12:34:56.789",
		dec("-12345678901234.123456"), int64(641), int64(3), int64(5), []byte(`{"a": [1, 2.5, "x"]}`), nil}
	nulls := []any{int32(2), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}
	updated := []any{int32(1), int8(-128), int16(-1), int32(-1), int32(math.MinInt32), int64(math.MinInt64), int64(math.MinInt64),
		"", "", "na\xefve", nil, []byte("long text"),
		"1000-01-01 00:00:00.000001", "1970-01-01 00:00:01.000000", "2024-02-29", "-12:34:56.789",
		dec("0.000001"), int64(0), int64(1), int64(0), []byte(`[]`), int32(-1)}

	want := []struct {
		action        binlog.Action
		before, after []any
	}{
		{binlog.Insert, nil, first},
		{binlog.Insert, nil, nulls},
		{binlog.Update, first, updated},
		{binlog.Delete, updated, nil},
	}
	for i, w := range want {
		tx := r.next(t)
		if len(tx.Changes) != 1 {
			t.Fatalf("transaction %d has %d changes, want 1: %+v", i, len(tx.Changes), tx.Changes)
		}
		c := tx.Changes[0]
		if c.Action != w.action || c.Schema != e.name || c.Table != "t" {
			t.Fatalf("transaction %d: %s on %s.%s, want %s on %s.t", i, c.Action, c.Schema, c.Table, w.action, e.name)
		}
		if w.before == nil && c.Before != nil || w.after == nil && c.After != nil {
			t.Errorf("transaction %d: unexpected image before=%v after=%v", i, c.Before, c.After)
		}
		if w.before != nil {
			sameRow(t, fmt.Sprintf("%s before", w.action), c.Before, w.before)
		}
		if w.after != nil {
			sameRow(t, fmt.Sprintf("%s after", w.action), c.After, w.after)
		}
	}
	r.none(t, 300*time.Millisecond)
}

func ids(tx binlog.Transaction) string {
	var parts []string
	for _, c := range tx.Changes {
		img := c.After
		if c.Action == binlog.Delete {
			img = c.Before
		}
		s := fmt.Sprintf("%s:%v", c.Action, img[0])
		if c.Action == binlog.Update {
			s = fmt.Sprintf("update:%v>%v", c.Before[0], c.After[0])
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// TestReaderTransactions checks that changes come as whole committed transactions in
// commit order, without other tables' changes, without rolled back work, and that
// positions and GTIDs advance.
func TestReaderTransactions(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", "CREATE TABLE other (id INT PRIMARY KEY)")
	start := e.position(t)
	r := e.start(t, start, nil)

	e.tx(t, "INSERT INTO t VALUES (1, 'a'), (2, 'b')", "INSERT INTO other VALUES (1)", "INSERT INTO t VALUES (3, 'c')")
	e.tx(t, "INSERT INTO other VALUES (2)", "UPDATE other SET id = 3 WHERE id = 2") // nothing of t: not handed on
	// A rolled back transaction is never logged.
	tx, err := e.db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(t.Context(), "INSERT INTO t VALUES (99, 'x')"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	e.tx(t, "UPDATE t SET v = 'B' WHERE id = 2", "DELETE FROM t WHERE id = 1", "UPDATE t SET id = 30 WHERE id = 3", "INSERT INTO t VALUES (1, 'again')")
	e.exec(t, "UPDATE t SET v = CONCAT(v, '!')") // one statement, three rows
	e.exec(t, "DELETE FROM other")

	want := []string{
		"insert:1 insert:2 insert:3",
		"update:2>2 delete:1 update:3>30 insert:1",
		"update:1>1 update:2>2 update:30>30",
	}
	gtid := regexp.MustCompile(`^0-1-(\d+)$`)
	prev := start
	prevSeq := -1
	for i, w := range want {
		tx := r.next(t)
		if got := ids(tx); got != w {
			t.Fatalf("transaction %d = %q, want %q", i, got, w)
		}
		if tx.End.Compare(prev) <= 0 {
			t.Errorf("transaction %d ends at %s, not after %s", i, tx.End, prev)
		}
		prev = tx.End
		m := gtid.FindStringSubmatch(tx.GTID)
		if m == nil {
			t.Fatalf("transaction %d GTID %q, want 0-1-<seq> (the primary's)", i, tx.GTID)
		}
		var seq int
		fmt.Sscan(m[1], &seq)
		if seq <= prevSeq {
			t.Errorf("GTID %s does not advance", tx.GTID)
		}
		prevSeq = seq
		if time.Since(tx.Timestamp) > time.Minute || time.Since(tx.Timestamp) < -time.Minute {
			t.Errorf("transaction timestamp %s", tx.Timestamp)
		}
	}
	r.none(t, 300*time.Millisecond)
	// Everything up to the last (unwatched) transaction was read.
	end := e.position(t)
	deadline := time.Now().Add(5 * time.Second)
	for r.r.Position() != end && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := r.r.Position(); got != end {
		t.Errorf("reader position %s, want %s", got, end)
	}
}

// TestReaderDDL checks that statements the caller watches are handed on as DDL
// changes, each its own transaction, and others are not.
func TestReaderDDL(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE other (id INT PRIMARY KEY)")
	r := e.start(t, e.position(t), func(c *binlog.Config) {
		c.WatchStatement = func(schema, q string) bool { return strings.Contains(q, "TABLE t ") || strings.Contains(q, "`t`") }
	})
	e.exec(t, "ALTER TABLE other ADD COLUMN x INT",
		"INSERT INTO t VALUES (1)",
		"ALTER TABLE t ADD COLUMN v INT",
		"INSERT INTO t VALUES (2, 20)",
		"RENAME TABLE `t` TO `t2`")
	if got := ids(r.next(t)); got != "insert:1" {
		t.Fatalf("first transaction %q", got)
	}
	tx := r.next(t)
	if len(tx.Changes) != 1 || tx.Changes[0].Action != binlog.DDL || tx.Changes[0].Query != "ALTER TABLE t ADD COLUMN v INT" || tx.Changes[0].Schema != e.name {
		t.Fatalf("DDL transaction %+v", tx.Changes)
	}
	tx = r.next(t)
	if got := ids(tx); got != "insert:2" || len(tx.Changes[0].After) != 2 {
		t.Fatalf("insert after the ALTER: %q %v", got, tx.Changes)
	}
	tx = r.next(t)
	if len(tx.Changes) != 1 || tx.Changes[0].Action != binlog.DDL || tx.Changes[0].Query != "RENAME TABLE `t` TO `t2`" {
		t.Fatalf("rename transaction %+v", tx.Changes)
	}
	r.none(t, 300*time.Millisecond)
}

// TestReaderFlushBinaryLogs checks that rotation mid-stream loses and repeats nothing.
func TestReaderFlushBinaryLogs(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT PRIMARY KEY)")
	start := e.position(t)
	r := e.start(t, start, nil)
	for i := 1; i <= 30; i++ {
		e.exec(t, fmt.Sprintf("INSERT INTO t VALUES (%d)", i))
		if i%10 == 0 {
			if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			if _, err := e.rdb.ExecContext(t.Context(), "FLUSH BINARY LOGS"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 1; i <= 30; i++ {
		if got, want := ids(r.next(t)), fmt.Sprintf("insert:%d", i); got != want {
			t.Fatalf("transaction %d = %q, want %q", i, got, want)
		}
	}
	r.none(t, 300*time.Millisecond)
	end := e.position(t)
	if end.File <= start.File {
		t.Fatalf("binlog did not rotate: %s -> %s", start, end)
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.r.Position().File != end.File && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := r.r.Position(); got.File != end.File {
		t.Errorf("reader at %s, want file %s", got, end.File)
	}
}

// dumpThreads lists the binlog dump connections of the ghost user on the replica.
func dumpThreads(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT ID FROM information_schema.PROCESSLIST
		WHERE COMMAND LIKE 'Binlog Dump%' AND USER = ?`, topo.Replica.User)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// TestReaderReconnectAfterKill kills the reader's dump connection on the server, again
// and again while transactions stream, and checks that the reader resumes at the last
// complete transaction: every transaction arrives exactly once, whole and in order.
func TestReaderReconnectAfterKill(t *testing.T) {
	e := newEnv(t)
	e.exec(t, "CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(200))")
	r := e.start(t, e.position(t), nil)

	// Transaction bigTx is large (about 4 MB), and its dump connection is killed right
	// after it reaches the replica, so the reader is most likely cut off inside it.
	const txs, bigTx = 200, 100
	size := func(i int) int {
		if i == bigTx {
			return 20000
		}
		return 50
	}
	first := func(i int) int { // first id of transaction i
		n := 0
		for j := 0; j < i; j++ {
			n += size(j)
		}
		return n
	}
	pad := strings.Repeat("p", 200)
	writeErr := make(chan error, 1)
	bigDone := make(chan struct{})
	go func() {
		for i := 0; i < txs; i++ {
			var vals []string
			for j := 0; j < size(i); j++ {
				vals = append(vals, fmt.Sprintf("(%d, '%s')", first(i)+j, pad))
			}
			if _, err := e.db.Exec("INSERT INTO t VALUES " + strings.Join(vals, ", ")); err != nil {
				writeErr <- err
				return
			}
			if i == bigTx {
				close(bigDone)
			}
			time.Sleep(2 * time.Millisecond)
		}
		writeErr <- nil
	}()

	kills := 0
	seen := map[int64]bool{}
	kill := func() {
		for _, id := range dumpThreads(t, e.rdb) {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, err := e.rdb.ExecContext(t.Context(), fmt.Sprintf("KILL %d", id)); err == nil {
				kills++
			}
		}
	}
	received := 0
	deadline := time.Now().Add(60 * time.Second)
	writerDone := false
	for received < txs {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d transactions within 60s", received, txs)
		}
		// Kill every dump thread seen, about every 20 transactions.
		if received%20 == 10 || (writerDone && kills < 5) {
			kill()
		}
		select {
		case <-bigDone:
			bigDone = nil
			if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			kill()
		case err := <-writeErr:
			if err != nil {
				t.Fatal(err)
			}
			writerDone = true
		default:
		}
		var tx binlog.Transaction
		select {
		case tx = <-r.out:
		case err := <-r.done:
			t.Fatalf("reader ended after %d kills: %v", kills, err)
		case <-time.After(50 * time.Millisecond):
			continue
		}
		if len(tx.Changes) != size(received) {
			t.Fatalf("transaction %d has %d changes, want %d (a partial or merged transaction)", received, len(tx.Changes), size(received))
		}
		for j, c := range tx.Changes {
			if want := int32(first(received) + j); c.Action != binlog.Insert || c.After[0] != want {
				t.Fatalf("transaction %d change %d = %s %v, want insert %d (lost or repeated)", received, j, c.Action, c.After[0], want)
			}
		}
		received++
	}
	if kills < 3 {
		t.Fatalf("only %d dump connections killed; the test proves nothing", kills)
	}
	r.none(t, 500*time.Millisecond)
	// The reader is connected again on a new dump thread.
	var now []int64
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if now = dumpThreads(t, e.rdb); len(now) == 1 && !seen[now[0]] {
			break
		}
	}
	if len(now) != 1 || seen[now[0]] {
		t.Errorf("dump threads after the kills: %v (killed %v)", now, seen)
	}
	t.Logf("%d kills, %d transactions each received once", kills, received)
}

// TestReaderPurged checks that a start position in a purged file fails at once with
// an error that says what happened and what to do.
func TestReaderPurged(t *testing.T) {
	e := newEnv(t)
	old := e.position(t)
	if _, err := e.rdb.ExecContext(t.Context(), "FLUSH BINARY LOGS"); err != nil {
		t.Fatal(err)
	}
	cur := e.position(t)
	// PURGE skips, with only a warning, a file a binlog dump thread still reads (one of
	// an earlier test may linger for a moment): purge until the file is gone.
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := e.rdb.ExecContext(t.Context(), "PURGE BINARY LOGS TO "+dbconn.QuoteString(cur.File)); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := e.rdb.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = ?", topo.Replica.User).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if !binlogListed(t, e.rdb, old.File) {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%s still listed after PURGE BINARY LOGS TO %s (%d dump threads)", old.File, cur.File, n)
		}
	}
	r := e.start(t, old, nil)
	var err error
	select {
	case err = <-r.done:
		r.done <- err // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("reader still running 10s after starting in a purged binlog")
	}
	if err == nil {
		t.Fatal("Run returned nil")
	}
	want := fmt.Sprintf("cannot read binary log at %s on %s:%d: binary log purged; binary logs were purged before ghost read them; keep binlogs longer (expire_logs_days / binlog_expire_logs_seconds) and run again",
		old, topo.Replica.Host, topo.Replica.Port)
	if err.Error() != want {
		t.Errorf("error\n got %q\nwant %q", err, want)
	}
	if _, ok := hint.As(err); !ok {
		t.Errorf("error %v carries no hint", err)
	}
	if !errors.Is(err, binlog.ErrPurged) {
		t.Errorf("errors.Is(err, ErrPurged) is false for %v", err)
	}
}

func binlogListed(t *testing.T, db *sql.DB, file string) bool {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "SHOW BINARY LOGS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if string(vals[0]) == file {
			return true
		}
	}
	return false
}
