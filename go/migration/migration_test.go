package migration_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/migration"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"github.com/sirupsen/logrus"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

var serverIDs atomic.Uint32

func init() {
	serverIDs.Store(3000)
	migration.SetTestTopology(&topo)
}

// syncBuffer collects status lines and logs written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run is one in-process migration through the replica, as `ghost --host <replica>` does.
type run struct {
	cfg    config.Config
	status syncBuffer
	logs   syncBuffer
}

func newRun(database, table, alter string) *run {
	cfg := config.Defaults()
	cfg.Host, cfg.Port = topo.Replica.Host, topo.Replica.Port
	cfg.User, cfg.Password = topo.Replica.User, topo.Replica.Password
	cfg.Database, cfg.Table, cfg.Alter = database, table, alter
	cfg.ReplicaServerID = serverIDs.Add(1)
	cfg.ThrottleAdditionalFlagFile = ""
	return &run{cfg: cfg}
}

func (r *run) Run(ctx context.Context) error {
	log := logrus.New()
	log.SetOutput(&r.logs)
	log.SetLevel(logrus.InfoLevel)
	log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: "15:04:05.000"})
	return migration.New(r.cfg, logrus.NewEntry(log), &r.status).Run(ctx)
}

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// tables lists the tables of a database.
func tables(t *testing.T, db *sql.DB, name string) []string {
	t.Helper()
	rows, err := db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY BINARY TABLE_NAME", name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func showCreate(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var n, s string
	if err := db.QueryRow("SHOW CREATE TABLE "+dbconn.QuoteIdent(table)).Scan(&n, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

var autoInc = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// normalCreate is SHOW CREATE TABLE with the name replaced and AUTO_INCREMENT dropped.
func normalCreate(t *testing.T, db *sql.DB, table string) string {
	s := showCreate(t, db, table)
	s = strings.Replace(s, "CREATE TABLE "+dbconn.QuoteIdent(table), "CREATE TABLE `T`", 1)
	return autoInc.ReplaceAllString(s, "")
}

func checksum(t *testing.T, db *sql.DB, table string) int64 {
	t.Helper()
	var n string
	var c sql.NullInt64
	if err := db.QueryRow("CHECKSUM TABLE "+dbconn.QuoteIdent(table)+" EXTENDED").Scan(&n, &c); err != nil {
		t.Fatal(err)
	}
	return c.Int64
}

// rowHashes returns id -> MD5 of every column's HEX, for the columns given.
func rowHashes(t *testing.T, db *sql.DB, table string, cols []string) (ids []int64, hashes map[int64]string) {
	t.Helper()
	var exprs []string
	for _, c := range cols {
		exprs = append(exprs, fmt.Sprintf("IFNULL(HEX(%s), 'NULL')", dbconn.QuoteIdent(c)))
	}
	rows, err := db.Query(fmt.Sprintf("SELECT id, MD5(CONCAT_WS('|', %s)) FROM %s ORDER BY id", strings.Join(exprs, ", "), dbconn.QuoteIdent(table)))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	hashes = map[int64]string{}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		hashes[id] = h
	}
	return ids, hashes
}

func columns(t *testing.T, db *sql.DB, name, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", name, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		out = append(out, c)
	}
	return out
}

func rowText(t *testing.T, db *sql.DB, table string, cols []string, id int64) string {
	var exprs []string
	for _, c := range cols {
		exprs = append(exprs, fmt.Sprintf("CONCAT('%s=', IFNULL(HEX(%s), 'NULL'))", c, dbconn.QuoteIdent(c)))
	}
	var s sql.NullString
	db.QueryRow(fmt.Sprintf("SELECT CONCAT_WS(' ', %s) FROM %s WHERE id = ?", strings.Join(exprs, ", "), dbconn.QuoteIdent(table)), id).Scan(&s)
	if !s.Valid {
		return "(no row)"
	}
	return s.String
}

// sameRows compares two tables row for row (every column, as bytes).
func sameRows(t *testing.T, db *sql.DB, name, a, b string) (bool, []int64) {
	t.Helper()
	cols := columns(t, db, name, a)
	if got := columns(t, db, name, b); strings.Join(got, ",") != strings.Join(cols, ",") {
		t.Fatalf("columns of %s %v, of %s %v", a, cols, b, got)
	}
	aIDs, aH := rowHashes(t, db, a, cols)
	bIDs, bH := rowHashes(t, db, b, cols)
	diffs := 0
	var bad []int64
	seen := map[int64]bool{}
	for _, id := range append(aIDs, bIDs...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		if aH[id] != bH[id] {
			diffs++
			bad = append(bad, id)
			if diffs <= 5 {
				t.Errorf("row id=%d differs:\n %s: %s\n %s: %s", id, a, rowText(t, db, a, cols, id), b, rowText(t, db, b, cols, id))
			}
		}
	}
	if diffs > 0 {
		t.Errorf("%d of %d rows differ between %s (%d rows) and %s (%d rows)", diffs, len(seen), a, len(aIDs), b, len(bIDs))
		return false, bad
	}
	if checksum(t, db, a) != checksum(t, db, b) {
		t.Errorf("CHECKSUM TABLE differs between %s and %s with equal rows", a, b)
		return false, nil
	}
	return true, nil
}

const mixedTable = `CREATE TABLE %s (
  id BIGINT NOT NULL,
  i INT NOT NULL DEFAULT 0,
  u INT UNSIGNED NOT NULL DEFAULT 0,
  ub BIGINT UNSIGNED NULL,
  sm SMALLINT NULL,
  dc DECIMAL(20,4) NULL,
  s8 VARCHAR(64) CHARACTER SET utf8mb4 NULL,
  l1 VARCHAR(64) CHARACTER SET latin1 NULL,
  vb VARBINARY(32) NULL,
  bn BINARY(6) NULL,
  dt DATETIME(6) NULL,
  ts TIMESTAMP(3) NULL,
  e ENUM('new','active','closed') NULL,
  st SET('a','b','c','d') NULL,
  j JSON NULL,
  n INT NULL,
  PRIMARY KEY (id),
  KEY i_idx (i)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

const mixedFill = `INSERT INTO t
SELECT seq,
  CAST(seq AS SIGNED) * IF(seq % 2, -7919, 7919) % 2147483647,
  (seq * 2654435761) % 4294967296,
  IF(seq % 11 = 0, NULL, IF(seq % 13 = 0, 18446744073709551615, seq * 1000003)),
  IF(seq % 5 = 0, NULL, seq % 32768),
  IF(seq % 7 = 0, NULL, (CAST(seq AS SIGNED) - 50000) * 1.2345),
  IF(seq % 9 = 0, NULL, CONCAT(_utf8mb4'név-😀-', seq)),
  IF(seq % 10 = 0, NULL, CONCAT(_utf8mb4'café-ß-', seq)),
  IF(seq % 4 = 0, NULL, UNHEX(CONCAT(HEX(seq), '0000'))),
  IF(seq % 6 = 0, NULL, UNHEX(LPAD(HEX(seq % 65536), 4, '0'))),
  '2020-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL seq MICROSECOND,
  IF(seq % 8 = 0, NULL, FROM_UNIXTIME(1500000000 + seq * 17) + INTERVAL (seq % 1000) * 1000 MICROSECOND),
  ELT(1 + seq % 4, 'new', 'active', 'closed', NULL),
  IF(seq % 3 = 0, NULL, seq % 16),
  IF(seq % 12 = 0, NULL, JSON_OBJECT('seq', seq, 'tag', CONCAT('t', seq % 17), 'f', seq / 8)),
  IF(seq % 2, NULL, seq)
FROM seq_1_to_ROWS`

func fill(rows int) string { return strings.Replace(mixedFill, "ROWS", strconv.Itoa(rows), 1) }

// writer keeps writing to t and, in the same transaction, the same statement to
// t_twin (loadgen.Twin), as worker w of a loadgen closed loop. It owns the initial ids with
// id %% writers == w and new ids of its own range, so writers never touch each other's rows.
type writer struct {
	w     int
	conn  *sql.Conn // its own session, with time_zone +00:00
	rng   *rand.Rand
	live  []int64
	index map[int64]int
	next  int64

	history map[int64][]string // id -> committed operations, with commit times
	lastOK  time.Time
}

func (wr *writer) add(id int64) {
	wr.index[id] = len(wr.live)
	wr.live = append(wr.live, id)
}

func (wr *writer) remove(id int64) {
	i := wr.index[id]
	last := wr.live[len(wr.live)-1]
	wr.live[i] = last
	wr.index[last] = i
	wr.live = wr.live[:len(wr.live)-1]
	delete(wr.index, id)
}

func (wr *writer) pick() (int64, bool) {
	if len(wr.live) == 0 {
		return 0, false
	}
	return wr.live[wr.rng.IntN(len(wr.live))], true
}

var (
	utf8Words  = []string{"ö", "😀", "中文", "naïve", "Ωmega", "", " trailing ", "x", "ℵ"}
	latinWords = []string{"é", "ß", "Ærø", "ÿ", "plain", "", "ñ", "¿"}
)

// values returns random values for the columns writers name (never sm, which the ALTER
// drops, nor extra, which it adds).
func (wr *writer) values() []any {
	r := wr.rng
	maybe := func(v any) any {
		if r.IntN(6) == 0 {
			return nil
		}
		return v
	}
	word := func(ws []string) string {
		var b strings.Builder
		for k := r.IntN(4); k >= 0; k-- {
			b.WriteString(ws[r.IntN(len(ws))])
		}
		return b.String()
	}
	bytesOf := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		if n > 0 && r.IntN(2) == 0 {
			b[n-1] = 0 // trailing zero bytes
		}
		return b
	}
	ints := []int64{-2147483648, 2147483647, 0, -1, 1}
	i := int64(r.Int32()) - int64(r.Int32())
	if r.IntN(5) == 0 {
		i = ints[r.IntN(len(ints))]
	}
	u := uint64(r.Uint32())
	if r.IntN(5) == 0 {
		u = 4294967295
	}
	ub := r.Uint64()
	if r.IntN(5) == 0 {
		ub = 18446744073709551615
	}
	dc := fmt.Sprintf("%d.%04d", r.Int64N(2e15)-1e15, r.IntN(10000))
	dt := time.Date(1000+r.IntN(9000), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e6)*1000, time.UTC)
	ts := time.Unix(1+r.Int64N(2147483646), int64(r.IntN(1000))*1e6).UTC()
	enums := []string{"new", "active", "closed"}
	sets := []string{"", "a", "b,c", "a,b,c,d", "d"}
	json := fmt.Sprintf(`{"w": %d, "s": "%s", "a": [%d, %g, null, true]}`, wr.w, word(utf8Words), r.IntN(1000), r.Float64())
	return []any{
		i, u, maybe(ub), maybe(dc), maybe(word(utf8Words)), maybe(word(latinWords)), maybe(bytesOf(r.IntN(33))), maybe(bytesOf(6)),
		maybe(dt.Format("2006-01-02 15:04:05.000000")), maybe(ts.Format("2006-01-02 15:04:05.000")),
		maybe(enums[r.IntN(3)]), maybe(sets[r.IntN(len(sets))]), maybe(json), maybe(int64(r.Int32())),
	}
}

var writerCols = []string{"i", "u", "ub", "dc", "s8", "l1", "vb", "bn", "dt", "ts", "e", "st", "j", "n"}

// stmt is one statement of an operation; loadgen.TablePlaceholder in q stands for t, then t_twin.
type stmt struct {
	q    string
	args []any
}

// step builds the statements of one operation and what it does to the writer's ids.
func (wr *writer) note(id int64, op string) func() {
	return func() {
		wr.history[id] = append(wr.history[id], time.Now().Format("15:04:05.000")+" "+op)
	}
}

func (wr *writer) step() (stmts []stmt, apply func()) {
	r := wr.rng
	newID := func() int64 {
		wr.next++
		return 1_000_000_000 + int64(wr.w)*10_000_000 + wr.next
	}
	switch k := r.IntN(10); {
	case k < 3: // insert
		id := newID()
		vals := append([]any{id}, wr.values()...)
		return []stmt{{"INSERT INTO " + loadgen.TablePlaceholder + " (id, " + strings.Join(writerCols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(writerCols)) + ")", vals}},
			func() { wr.add(id); wr.note(id, "insert")() }
	case k < 6: // update some columns
		id, ok := wr.pick()
		if !ok {
			return nil, func() {}
		}
		vals := wr.values()
		var sets []string
		var args []any
		for c := range writerCols {
			if r.IntN(3) == 0 {
				sets = append(sets, writerCols[c]+" = ?")
				args = append(args, vals[c])
			}
		}
		if len(sets) == 0 {
			sets, args = []string{"i = i + 1"}, nil
		}
		return []stmt{{"UPDATE " + loadgen.TablePlaceholder + " SET " + strings.Join(sets, ", ") + " WHERE id = ?", append(args, id)}}, wr.note(id, "update "+strings.Join(sets, ","))
	case k < 8: // delete
		id, ok := wr.pick()
		if !ok {
			return nil, func() {}
		}
		return []stmt{{"DELETE FROM " + loadgen.TablePlaceholder + " WHERE id = ?", []any{id}}}, func() { wr.remove(id); wr.note(id, "delete")() }
	default: // the key moves
		id, ok := wr.pick()
		if !ok {
			return nil, func() {}
		}
		to := newID()
		return []stmt{{"UPDATE " + loadgen.TablePlaceholder + " SET id = ?, n = ? WHERE id = ?", []any{to, r.IntN(100), id}}}, func() {
			wr.remove(id)
			wr.add(to)
			wr.note(id, fmt.Sprintf("moved to %d", to))()
			wr.note(to, fmt.Sprintf("moved from %d", id))()
		}
	}
}

// errRollback ends a transaction that rolls back on purpose.
var errRollback = errors.New("rolled back on purpose")

// tx runs one transaction of 1-5 operations on both tables; one in ten rolls back. It is
// the loop's Op for this writer, of kind "commit" or "rollback".
// The writer's own id bookkeeping changes only when the transaction commits; within
// a transaction an operation may find its row gone, which both tables agree on.
func (wr *writer) tx(ctx context.Context) (loadgen.Kind, int64, error) {
	ops := 1
	if wr.rng.IntN(3) == 0 {
		ops = 2 + wr.rng.IntN(4)
	}
	rollback := wr.rng.IntN(10) == 0
	var applies []func()
	twin := loadgen.Twin{Table: "t", Twin: "t_twin"}
	err := loadgen.InTx(ctx, wr.conn, func(tx *sql.Tx) error {
		for o := 0; o < ops; o++ {
			stmts, apply := wr.step()
			for _, s := range stmts {
				if _, err := twin.Exec(ctx, tx, s.q, s.args...); err != nil {
					return fmt.Errorf("writer %d: %s %w", wr.w, strings.SplitN(s.q, " ", 2)[0], err)
				}
			}
			applies = append(applies, apply)
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	switch {
	case err == errRollback: // rolled back as asked, and nothing failed
		wr.lastOK = time.Now()
		return "rollback", 0, nil
	case err != nil:
		return "commit", 0, err
	}
	for _, a := range applies {
		a()
	}
	wr.lastOK = time.Now()
	return "commit", 0, nil
}

const mixedAlter = "ADD COLUMN extra INT NOT NULL DEFAULT 7, DROP COLUMN sm, MODIFY l1 VARCHAR(80) CHARACTER SET utf8mb4 NULL, " +
	"MODIFY e ENUM('new','active','closed','archived') NULL, ADD INDEX s8_idx (s8(10))"

// TestMigrateUnderLoad migrates a 100k-row table with mixed types while 8 connections
// write to it (and, in the same transactions, to a twin) for the whole run and across
// the cut-over. Afterwards the twin, altered by the server itself, must equal the
// migrated table in definition and in every byte of every row.
func TestMigrateUnderLoad(t *testing.T) {
	migrateUnderLoad(t, 1000, config.DefaultTargetChunkTime, config.CopySnapshot)
}

// TestMigrateUnderLoadLockingCopy is the same with the shared-lock copy: both copies pass the
// twin-table load test.
func TestMigrateUnderLoadLockingCopy(t *testing.T) {
	migrateUnderLoad(t, 1000, config.DefaultTargetChunkTime, config.CopyLocking)
}

// TestMigrateUnderLoadLargeChunks is the same with fixed 20000-row chunks, so that the applier's
// batches fall inside the chunk being copied most of the time. (The deadlock that made batches
// and chunks take turns was seen in script/bench at 500 writes/s on 1M rows; this lighter load
// did not reproduce it without the turns in 4 tries: it checks the result, not the deadlock.)
func TestMigrateUnderLoadLargeChunks(t *testing.T) {
	migrateUnderLoad(t, 20000, 0, config.CopySnapshot)
}

func migrateUnderLoad(t *testing.T, chunkSize int64, targetChunkTime time.Duration, copyMode string) {
	db, name := topotest.NewDatabase(t, topo)
	db.SetMaxOpenConns(32)
	const rows, writers = 100_000, 8
	exec(t, db, fmt.Sprintf(mixedTable, "t"), fmt.Sprintf(mixedTable, "t_twin"),
		fill(rows), "INSERT INTO t_twin SELECT * FROM t")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}

	ws := make([]*writer, writers)
	for w := range ws {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(t.Context(), "SET time_zone = '+00:00'"); err != nil {
			t.Fatal(err)
		}
		wr := &writer{w: w, conn: conn, rng: rand.New(rand.NewPCG(uint64(w), 42)), index: map[int64]int{}, history: map[int64][]string{}}
		for id := int64(w + 1); id <= rows; id += writers {
			wr.add(id)
		}
		ws[w] = wr
	}
	load, err := loadgen.NewLoop(loadgen.LoopConfig{Workers: writers, Pause: 5 * time.Millisecond, PauseJitter: 20 * time.Millisecond,
		OpTimeout: time.Minute, Op: func(ctx context.Context, wk *loadgen.Worker) (loadgen.Kind, int64, error) {
			return ws[wk.ID].tx(ctx)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := load.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer func() { load.Stop(); load.Wait() }()

	r := newRun(name, "t", mixedAlter)
	r.cfg.Execute = true
	r.cfg.ChunkSize = chunkSize
	r.cfg.TargetChunkTime = targetChunkTime
	r.cfg.Copy = copyMode
	started := time.Now()
	runErr := r.Run(t.Context())
	took := time.Since(started)
	finished := time.Now()
	time.Sleep(1500 * time.Millisecond) // writers keep going on the new table
	load.Stop()
	st := load.Wait().Stats
	t.Logf("migration took %s", took)
	if runErr != nil {
		t.Logf("logs:\n%s", r.logs.String())
		t.Fatalf("Run: %v", runErr)
	}

	// Writers: never a missing table; any other error is reported.
	first := load.FirstErrors()
	errs := st.Errors()
	for code, n := range errs {
		switch code {
		case loadgen.ErrDeadlock, loadgen.ErrLockWaitTimeout:
			t.Logf("writers: %d x %s, the first: %v", n, code, first[code])
		default:
			t.Errorf("writers: %d x %s, the first: %v", n, code, first[code])
		}
	}
	for _, wr := range ws {
		if !wr.lastOK.After(finished) {
			t.Errorf("writer %d committed nothing after the migration finished", wr.w)
		}
	}
	if missing := errs[loadgen.ErrNoSuchTable]; missing > 0 {
		t.Errorf("writers saw %d errors 1146 (table doesn't exist)", missing)
	}
	totals := st.Totals()
	commits, rollbacks, longest := totals["commit"].OK, totals["rollback"].OK, st.All().Max
	t.Logf("writers: %d commits, %d rollbacks, longest transaction %s", commits, rollbacks, longest)
	if commits < 500 {
		t.Errorf("only %d transactions committed during the run", commits)
	}

	// The cut-over blocked writes only briefly.
	m := regexp.MustCompile(`cut-over blocked writes for (\d+)ms`).FindStringSubmatch(r.status.String())
	if m == nil {
		t.Fatalf("no summary in the status output:\n%s", r.status.String())
	}
	blocked, _ := strconv.Atoi(m[1])
	if blocked <= 0 || blocked > 3000 {
		t.Errorf("cut-over blocked writes for %dms, want under 3s", blocked)
	}
	if longest > 4*time.Second {
		t.Errorf("a writer's transaction took %s", longest)
	}
	t.Logf("cut-over blocked writes for %dms", blocked)

	// What is left: the migrated table, the old one, the twin.
	if got := strings.Join(tables(t, db, name), ","); got != "_t_del,_t_ghk,t,t_twin" {
		t.Errorf("tables after the migration: %s", got)
	}
	exec(t, db, "ALTER TABLE t_twin "+mixedAlter)
	if a, b := normalCreate(t, db, "t"), normalCreate(t, db, "t_twin"); a != b {
		t.Fatalf("definitions differ:\n%s\n---\n%s", a, b)
	}
	if ok, bad := sameRows(t, db, name, "t", "t_twin"); !ok {
		// What the writers did to the differing rows, and where the old table has them.
		cols := columns(t, db, name, "t_twin")
		for i, id := range bad {
			if i == 10 {
				break
			}
			for _, wr := range ws {
				if h := wr.history[id]; len(h) > 0 {
					t.Logf("id %d, writer %d: %s", id, wr.w, strings.Join(h, "; "))
				}
			}
			t.Logf("id %d in _t_del: %s", id, rowText(t, db, "_t_del", cols[:len(cols)-1], id))
		}
		t.Logf("migration took %s, ended %s; logs:\n%s\nstatus:\n%s", took, finished.Format("15:04:05.000"), r.logs.String(), r.status.String())
		t.FailNow()
	}
	var n int
	db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n)
	t.Logf("%d rows identical", n)
}

// TestNoop: without --execute the ALTER is proven on a ghost table and nothing is left.
func TestNoop(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, fmt.Sprintf(mixedTable, "t"), fill(2000))
	before, sum := showCreate(t, db, "t"), checksum(t, db, "t")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := newRun(name, "t", mixedAlter)
	if err := r.Run(t.Context()); err != nil {
		t.Fatalf("noop Run: %v\n%s", err, r.logs.String())
	}
	if got := strings.Join(tables(t, db, name), ","); got != "t" {
		t.Errorf("tables after a noop run: %s", got)
	}
	if showCreate(t, db, "t") != before || checksum(t, db, "t") != sum {
		t.Error("a noop run changed the table")
	}
}

// TestCancelMidCopy cancels the run (as SIGINT does) while rows are being copied: Run
// fails, the ghost and changelog tables are gone, the original is intact.
func TestCancelMidCopy(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, fmt.Sprintf(mixedTable, "t"), fill(20000))
	before, sum := showCreate(t, db, "t"), checksum(t, db, "t")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := newRun(name, "t", mixedAlter)
	r.cfg.Execute = true
	r.cfg.ChunkSize = 100
	r.cfg.TargetChunkTime = 0 // fixed 100-row chunks...
	r.cfg.NiceRatio = 3       // ...with rests: slow enough to be caught copying
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	copying := false
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && !copying; time.Sleep(20 * time.Millisecond) {
		var n int
		if db.QueryRow("SELECT COUNT(*) FROM _t_gho").Scan(&n) == nil && n > 0 {
			copying = true
		}
		select {
		case err := <-done:
			t.Fatalf("Run ended before it was cancelled: %v", err)
		default:
		}
	}
	if !copying {
		t.Fatal("the copy did not start within 30s")
	}
	cancelled := time.Now()
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return within 30s of the cancellation")
	}
	t.Logf("Run returned %s after the cancellation: %v", time.Since(cancelled).Round(time.Millisecond), err)
	if err == nil || !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "interrupted") {
		t.Fatalf("Run after cancellation: %v, want an 'interrupted' error wrapping context.Canceled", err)
	}
	if got := strings.Join(tables(t, db, name), ","); got != "t" {
		t.Errorf("tables after a cancelled run: %s", got)
	}
	if showCreate(t, db, "t") != before || checksum(t, db, "t") != sum {
		t.Error("a cancelled run changed the table")
	}
}

// TestOwnDDLReachesReplicaLate: the replica applies ghost's own statements (CREATE
// TABLE _t_gho LIKE t, ALTER TABLE _t_gho ..., the changelog) after ghost has read its
// binlog position, as a lagging replica does. ghost must recognise them as its own,
// not as someone altering t.
func TestOwnDDLReachesReplicaLate(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_1000")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := topo.Replica.Exec(t.Context(), "STOP SLAVE SQL_THREAD"); err != nil {
		t.Fatal(err)
	}
	started := false
	startSQL := func() {
		if !started {
			started = true
			if err := topo.Replica.Exec(context.Background(), "START SLAVE SQL_THREAD"); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(func() {
		startSQL()
		topo.WaitReplicaCaughtUp(context.Background())
	})
	r := newRun(name, "t", "ADD COLUMN w INT NOT NULL DEFAULT 3")
	r.cfg.Execute = true
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	// Once the changelog exists on the primary, ghost has read its start position.
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var n int
		db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '_t_ghc'", name).Scan(&n)
		if n > 0 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("no changelog table within 20s")
		}
	}
	time.Sleep(300 * time.Millisecond)
	startSQL()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("Run did not finish within 60s")
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var w, n int
	db.QueryRow("SELECT COUNT(*), SUM(w) FROM t").Scan(&n, &w)
	if n != 1000 || w != 3000 {
		t.Errorf("migrated table has %d rows, SUM(w) %d", n, w)
	}
}
