package dbconn_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

func config(database string) dbconn.Config {
	p := topo.Primary
	return dbconn.Config{Host: p.Host, Port: p.Port, User: p.User, Password: p.Password, Database: database}
}

func open(t *testing.T, c dbconn.Config) *sql.DB {
	t.Helper()
	db, err := dbconn.Open(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSessionSettings: every pooled session has ghost's sql_mode, UTC and the timeouts.
func TestSessionSettings(t *testing.T) {
	_, name := topotest.NewDatabase(t, topo)
	c := config(name)
	c.LockWaitTimeout = 1500 * time.Millisecond // rounds up to whole seconds
	c.InnoDBLockWaitTimeout = 3 * time.Second
	db := open(t, c)
	for i := 0; i < 3; i++ { // several sessions of the pool
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode, tz, dbName string
		var lock, innodb int
		if err := conn.QueryRowContext(t.Context(), "SELECT @@SESSION.sql_mode, @@SESSION.time_zone, DATABASE(), @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout").
			Scan(&mode, &tz, &dbName, &lock, &innodb); err != nil {
			t.Fatal(err)
		}
		if !sameModes(mode, dbconn.SessionSQLMode) || tz != "+00:00" || dbName != name || lock != 2 || innodb != 3 {
			t.Errorf("session %d: sql_mode %q time_zone %q database %q lock_wait_timeout %d innodb_lock_wait_timeout %d", i, mode, tz, dbName, lock, innodb)
		}
	}
	// Strict: a value that does not fit is an error, not a truncation; zero dates pass.
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (s VARCHAR(2), d DATETIME, id INT AUTO_INCREMENT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	_, err := db.ExecContext(t.Context(), "INSERT INTO t (s) VALUES ('abc')")
	if dbconn.Number(err) != dbconn.ErrDataTooLong || !dbconn.DataLoss(err) || dbconn.Retryable(err) {
		t.Errorf("too long value: %v (DataLoss %v, Retryable %v)", err, dbconn.DataLoss(err), dbconn.Retryable(err))
	}
	if _, err := db.ExecContext(t.Context(), "INSERT INTO t (s, d, id) VALUES ('ab', '0000-00-00 00:00:00', 0)"); err != nil {
		t.Fatalf("zero date and AUTO_INCREMENT 0: %v", err)
	}
	var id int
	db.QueryRowContext(t.Context(), "SELECT id FROM t").Scan(&id)
	if id != 0 {
		t.Errorf("AUTO_INCREMENT column holds %d, want the 0 written (NO_AUTO_VALUE_ON_ZERO)", id)
	}
	// Raw bytes in any charset survive as parameters.
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE b (l VARCHAR(10) CHARACTER SET latin1, v VARBINARY(10))"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), "INSERT INTO b VALUES (CONVERT(? USING latin1), ?)", []byte("caf\xe9"), []byte("\x00\xff\x00")); err != nil {
		t.Fatal(err)
	}
	var l, v string
	db.QueryRowContext(t.Context(), "SELECT HEX(l), HEX(v) FROM b").Scan(&l, &v)
	if l != "636166E9" || v != "00FF00" {
		t.Errorf("stored %s %s", l, v)
	}
}

// TestErrorClasses classifies real server errors by number.
func TestErrorClasses(t *testing.T) {
	_, name := topotest.NewDatabase(t, topo)
	c := config(name)
	c.InnoDBLockWaitTimeout = time.Second
	db := open(t, c)
	other := open(t, config(name))
	ctx := t.Context()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1, 1)"); err != nil {
		t.Fatal(err)
	}

	_, dup := db.ExecContext(ctx, "INSERT INTO t VALUES (1, 2)")
	_, null := db.ExecContext(ctx, "INSERT INTO t VALUES (2, NULL)")
	_, missing := db.ExecContext(ctx, "SELECT * FROM nope")
	_, parse := db.ExecContext(ctx, "SELEKT 1")

	// A row lock held elsewhere: lock wait timeout.
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE t SET n = 5 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	_, lockWait := db.ExecContext(ctx, "UPDATE t SET n = 6 WHERE id = 1")
	tx.Rollback()

	// A query killed by another session.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := dbconn.ConnectionID(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		other.ExecContext(context.Background(), fmt.Sprintf("KILL QUERY %d", id))
	}()
	_, killedQuery := conn.ExecContext(ctx, "SELECT SLEEP(10)")
	if killedQuery == nil { // SLEEP returns 1 when interrupted, without an error
		var r int
		conn.QueryRowContext(ctx, "SELECT 1").Scan(&r)
		go func() {
			time.Sleep(200 * time.Millisecond)
			other.ExecContext(context.Background(), fmt.Sprintf("KILL QUERY %d", id))
		}()
		_, killedQuery = conn.ExecContext(ctx, "SELECT COUNT(*) FROM seq_1_to_1000000000")
	}
	// A connection killed by another session.
	if _, err := other.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil {
		t.Fatal(err)
	}
	_, killedConn := conn.ExecContext(ctx, "SELECT 1")
	conn.Close()

	cases := []struct {
		name      string
		err       error
		number    uint16
		retryable bool
		dataLoss  bool
	}{
		{"duplicate", dup, dbconn.ErrDupEntry, false, true},
		{"null", null, dbconn.ErrBadNull, false, true},
		{"missing table", missing, dbconn.ErrNoSuchTable, false, false},
		{"parse", parse, dbconn.ErrParse, false, false},
		{"lock wait", lockWait, dbconn.ErrLockWaitTimeout, true, false},
		{"killed query", killedQuery, dbconn.ErrQueryInterrupted, true, false},
		{"killed connection", killedConn, 0, true, false},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if dbconn.Number(c.err) != c.number || dbconn.Retryable(c.err) != c.retryable || dbconn.DataLoss(c.err) != c.dataLoss {
			t.Errorf("%s: %v: number %d retryable %v data loss %v; want %d %v %v", c.name, c.err,
				dbconn.Number(c.err), dbconn.Retryable(c.err), dbconn.DataLoss(c.err), c.number, c.retryable, c.dataLoss)
		}
		wrapped := fmt.Errorf("op: %w", c.err)
		if dbconn.Number(wrapped) != c.number || !dbconn.Is(wrapped, c.number) && c.number != 0 {
			t.Errorf("%s: classification lost through wrapping", c.name)
		}
	}
	if dbconn.Retryable(nil) || dbconn.Is(nil, dbconn.ErrDupEntry) || dbconn.Number(errors.New("x")) != 0 {
		t.Error("nil or plain errors classified")
	}
	// The pool recovers from the killed connection.
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("pool after a killed connection: %v", err)
	}
}

func TestOpenFailures(t *testing.T) {
	c := config("")
	c.Password = "wrong"
	_, err := dbconn.Open(t.Context(), c)
	if dbconn.Number(err) != dbconn.ErrAccessDenied {
		t.Errorf("wrong password: %v", err)
	}
	if want := fmt.Sprintf("connect to %s as %q: ", c.Addr(), c.User); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
	c = config("no_such_database")
	_, err = dbconn.Open(t.Context(), c)
	if dbconn.Number(err) != dbconn.ErrUnknownDatabase {
		t.Errorf("unknown database: %v", err)
	}
	c = config("")
	c.Port = 1 // nothing listens
	c.ConnectTimeout = time.Second
	_, err = dbconn.Open(t.Context(), c)
	if err == nil || dbconn.Number(err) != 0 || !dbconn.Retryable(err) {
		t.Errorf("refused connection: %v (retryable %v)", err, dbconn.Retryable(err))
	}
}

func TestInspectAndVariables(t *testing.T) {
	db := open(t, config(""))
	info, err := dbconn.Inspect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if info.Flavor != dbconn.MariaDB || info.Port != topo.Primary.Port || info.ServerID != uint32(topo.Primary.ServerID) || info.Major < 10 {
		t.Errorf("Inspect = %+v", info)
	}
	if !strings.HasPrefix(topo.Primary.Version, fmt.Sprintf("%d.%d.%d", info.Major, info.Minor, info.Patch)) {
		t.Errorf("version %d.%d.%d, server says %s", info.Major, info.Minor, info.Patch, topo.Primary.Version)
	}
	if !info.AtLeast(info.Major, info.Minor, info.Patch) || info.AtLeast(info.Major, info.Minor+1, 0) || !info.AtLeast(5, 7, 99) {
		t.Errorf("AtLeast wrong for %+v", info)
	}
	for name, want := range map[string]string{"binlog_format": "ROW", "log_bin": "ON", "no_such_variable": ""} {
		got, err := dbconn.Variable(t.Context(), db, name)
		if err != nil || got != want {
			t.Errorf("Variable(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
}

// TestQuoting creates and reads objects whose names and values need quoting.
func TestQuoting(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	g := open(t, config(name))
	odd := "we`ird na`me ü"
	if _, err := g.ExecContext(t.Context(), "CREATE TABLE "+dbconn.QuoteTable(name, odd)+" ("+dbconn.QuoteIdent("co`l")+" INT)"); err != nil {
		t.Fatal(err)
	}
	var n string
	if err := db.QueryRow("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name).Scan(&n); err != nil || n != odd {
		t.Fatalf("table %q, %v", n, err)
	}
	for _, s := range []string{`it's`, `back\slash`, "nul\x00byte", "line\nbreak", `'; DROP TABLE x; --`} {
		var got string
		if err := g.QueryRowContext(t.Context(), "SELECT "+dbconn.QuoteString(s)).Scan(&got); err != nil || got != s {
			t.Errorf("QuoteString(%q) read back as %q, %v", s, got, err)
		}
	}
}

func sameModes(a, b string) bool {
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, p := range strings.Split(s, ",") {
			m[p] = true
		}
		return m
	}
	return fmt.Sprint(set(a)) == fmt.Sprint(set(b))
}
