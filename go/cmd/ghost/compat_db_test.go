package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"github.com/ghost-osc/ghost/go/migration"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"golang.org/x/sys/unix"
)

// serverUser creates user@(127.0.0.1, localhost, %) with every privilege on one server
// only (sql_log_bin=0: it does not replicate), and drops it at cleanup.
func serverUser(t *testing.T, s *topology.Server, user, password string) {
	t.Helper()
	run := func(stmts ...string) error {
		db, err := s.Open("")
		if err != nil {
			return err
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		for _, q := range append([]string{"SET SESSION sql_log_bin = 0"}, stmts...) {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	}
	var create, drop []string
	for _, h := range []string{"127.0.0.1", "localhost", "%"} {
		u := dbconn.QuoteString(user) + "@" + dbconn.QuoteString(h)
		create = append(create, "CREATE USER "+u+" IDENTIFIED BY "+dbconn.QuoteString(password), "GRANT ALL PRIVILEGES ON *.* TO "+u)
		drop = append(drop, "DROP USER IF EXISTS "+u)
	}
	if err := run(create...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := run(drop...); err != nil {
			t.Error(err)
		}
	})
}

// connArgs are the flags naming a server without credentials.
func connArgs(s *topology.Server, database, table, alter string) []string {
	return []string{"--host", s.Host, "--port", strconv.Itoa(s.Port), "--database", database, "--table", table, "--alter", alter,
		"--replica-server-id", strconv.Itoa(int(serverIDs.Add(1)))}
}

func newTable(t *testing.T) (*sql.DB, string) {
	t.Helper()
	db, name := topotest.NewDatabase(t, topo)
	exec(t, db, baseTable, baseRows)
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db, name
}

func tablesOf(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var tables sql.NullString
	if err := db.QueryRow("SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	return tables.String
}

// TestMasterCredentials: ghost reads the replica with --user and writes to the primary
// it finds there with --master-user/--master-password; the replica's user alone is
// refused by the primary, and --assume-master-host takes the same credentials.
func TestMasterCredentials(t *testing.T) {
	db, name := newTable(t)
	serverUser(t, topo.Replica, "flags_replica_only", "replica-secret")
	serverUser(t, topo.Primary, "flags_primary_only", "primary-secret")
	args := append(connArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--user", "flags_replica_only", "--password", "replica-secret", "--execute")

	code, stdout, stderr := ghost(args...)
	checkRefusal(t, code, stdout, stderr, []string{fmt.Sprintf(`cannot log in to %s as "flags_replica_only": access denied`, topo.Primary.Addr()),
		"--master-user and --master-password for the primary"}, name)

	master := []string{"--master-user", "flags_primary_only", "--master-password", "primary-secret"}
	code, stdout, stderr = ghost(append(slices.Clone(args), master...)...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("Done: %s.t migrated", name)) {
		t.Fatalf("found primary: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	exec(t, db, "DROP TABLE _t_del")
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = ghost(append(append(slices.Clone(args), master...), "--assume-master-host", topo.Primary.Addr(),
		"--alter", "ADD COLUMN y INT", "--ok-to-drop-table")...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("Done: %s.t migrated", name)) {
		t.Fatalf("assumed primary: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if got := tablesOf(t, db, name); got != "t" {
		t.Errorf("tables after: %s", got)
	}
}

// TestPasswordStaysSecret runs a whole migration with --debug, hooks for every event,
// interactive commands while the cut-over is postponed and the summary, with
// distinctive passwords for --host and the primary: neither appears in any output or
// in any hook's environment. The postpone flag file does not exist beforehand: ghost
// creates it, as gh-ost does, and waits until it is removed.
func TestPasswordStaysSecret(t *testing.T) {
	const replicaPW, primaryPW = "Rq7-uniq-replica-Passw0rd-4417", "Mx2-uniq-primary-Passw0rd-9350"
	db, name := newTable(t)
	serverUser(t, topo.Replica, "flags_secret", replicaPW)
	serverUser(t, topo.Primary, "flags_secret_m", primaryPW)
	dir, err := os.MkdirTemp("", "gflags")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	hooksDir := filepath.Join(dir, "hooks")
	envLog := filepath.Join(dir, "env.log")
	if err := os.Mkdir(hooksDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{"startup", "validated", "rowcount-complete", "before-row-copy", "status", "interactive-command",
		"row-copy-complete", "begin-postponed", "before-cut-over", "success", "failure"} {
		script := fmt.Sprintf("#!/bin/sh\n{ echo '== %s'; env; } >> %s\n", ev, envLog)
		if err := os.WriteFile(filepath.Join(hooksDir, "gh-ost-on-"+ev), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sock, postpone := filepath.Join(dir, "g.sock"), filepath.Join(dir, "postpone.flag")
	args := append(connArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--user", "flags_secret", "--password", replicaPW,
		"--master-user", "flags_secret_m", "--master-password", primaryPW, "--execute", "--debug", "--exact-rowcount",
		"--hooks-path", hooksDir, "--hooks-status-interval", "1", "--serve-socket-file", sock,
		"--postpone-cut-over-flag-file", postpone, "--ok-to-drop-table")

	var out, errb bytes.Buffer
	done := make(chan int)
	go func() { done <- run(append([]string{"ghost"}, args...), nil, &out, &errb) }()
	var replies []string
	send := func(cmd string) string {
		conn, err := net.DialTimeout("unix", sock, time.Second)
		if err != nil {
			return ""
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(conn, cmd+"\n")
		b, _ := io.ReadAll(conn)
		replies = append(replies, string(b))
		return string(b)
	}
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(send("sup"), "postponing cut-over") {
		select {
		case code := <-done:
			t.Fatalf("ghost exited %d before postponing:\n%s", code, errb.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("not postponing within 90s:\n%s", errb.String())
		}
	}
	time.Sleep(1500 * time.Millisecond) // a status hook or two while postponed
	for _, cmd := range []string{"status", "help", "coordinates", "chunk-size=?", "throttle-query=?", "max-load=?"} {
		send(cmd)
	}
	if cols := columnsOf(t, db, "t"); cols != "id,v,s,n" {
		t.Errorf("cut over while the flag file ghost created exists: columns %s", cols)
	}
	if err := os.Remove(postpone); err != nil {
		t.Fatalf("the postpone flag file: %v", err)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
	env, err := os.ReadFile(envLog)
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"stdout": out.String(), "stderr": errb.String(), "hook environment": string(env),
		"interactive replies": strings.Join(replies, "\n")} {
		for _, pw := range []string{replicaPW, primaryPW} {
			if strings.Contains(text, pw) {
				t.Errorf("%s contains a password", what)
			}
		}
	}
	if !strings.Contains(out.String(), fmt.Sprintf("Done: %s.t migrated", name)) || !strings.Contains(string(env), "== success") ||
		!strings.Contains(errb.String(), "level=debug") {
		t.Errorf("the run did not show everything it should: summary, success hook, debug log\nstdout %s", out.String())
	}
	if cols := columnsOf(t, db, "t"); cols != "id,v,s,n,x" {
		t.Errorf("columns after: %s", cols)
	}
}

func columnsOf(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var cols string
	if err := db.QueryRow("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", table).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols
}

// openPTY returns a pseudo-terminal pair: what is written to master is typed on slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var n int
	rc, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var ierr error
	rc.Control(func(fd uintptr) {
		if ierr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ierr == nil {
			n, ierr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	})
	if ierr != nil {
		t.Fatal(ierr)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	return master, slave
}

// TestAskPass: --ask-pass reads the password from the terminal with echo off and the
// run logs in with it; without a terminal on stdin it fails with one line saying so.
func TestAskPass(t *testing.T) {
	_, name := newTable(t)
	args := append([]string{"ghost"}, connArgs(topo.Replica, name, "t", "ADD COLUMN x INT")...)
	args = append(args, "--user", topo.Replica.User, "--ask-pass")

	master, slave := openPTY(t)
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() { done <- run(args, slave, &out, &errb) }()
	// Type the password only once echo is off, as a person reading the prompt would.
	deadline := time.Now().Add(30 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("echo never turned off")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := io.WriteString(master, topo.Replica.Password+"\n"); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
	if !strings.HasPrefix(errb.String(), "Password: \n") || !strings.Contains(out.String(), "noop: "+name+".t can be migrated") {
		t.Errorf("stderr %q, stdout %q", errb.String(), out.String())
	}
	master.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	echoed, _ := io.ReadAll(master)
	if strings.Contains(string(echoed), topo.Replica.Password) {
		t.Errorf("the terminal echoed the password: %q", echoed)
	}
	if tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS); err != nil || tio.Lflag&unix.ECHO == 0 {
		t.Errorf("echo not restored: %v", err)
	}

	pipeR, pipeW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pipeR.Close()
	io.WriteString(pipeW, "ghost\n")
	pipeW.Close()
	var out2, errb2 bytes.Buffer
	code := run(args, pipeR, &out2, &errb2)
	checkRefusal(t, code, out2.String(), errb2.String(), []string{"--ask-pass needs a terminal on stdin", "--conf"}, name)
}

// TestMySQLTimeout: a server that accepts the connection but never answers holds ghost
// forever without --mysql-timeout; with it ghost gives up after that long. A normal
// migration with a timeout works.
func TestMySQLTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	silent := func(extra ...string) []string {
		return append([]string{"--host", "127.0.0.1", "--port", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port),
			"--user", "u", "--password", "p", "--database", "d", "--table", "t", "--alter", "ADD COLUMN x INT"}, extra...)
	}
	start := time.Now()
	code, _, stderr := ghost(silent("--mysql-timeout", "0.5")...)
	took := time.Since(start)
	if code != migration.ExitRefused || !strings.Contains(stderr, "the read/write timeout is 500ms") || took > 5*time.Second {
		t.Errorf("--mysql-timeout 0.5: exit %d after %s, stderr %q", code, took.Round(time.Millisecond), stderr)
	}
	t.Logf("%s in %s", strings.TrimSpace(stderr), took.Round(time.Millisecond))

	done := make(chan int)
	go func() { code, _, _ := ghost(silent()...); done <- code }()
	select {
	case code := <-done:
		t.Errorf("without --mysql-timeout ghost gave up (exit %d) on a server that only accepted", code)
	case <-time.After(2 * time.Second):
	}
	ln.Close()
	mu.Lock()
	for _, c := range held {
		c.Close()
	}
	mu.Unlock()
	if code := <-done; code != migration.ExitRefused {
		t.Errorf("exit %d after the server went away", code)
	}

	_, name := newTable(t)
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--mysql-timeout", "20", "--execute", "--ok-to-drop-table")...)
	if code != 0 || !strings.Contains(stdout, "Done: ") {
		t.Errorf("a migration with --mysql-timeout 20: exit %d, stderr %s", code, stderr)
	}
}

// TestForceTableNames: ghost's tables take the forced name; the run's --alter is a full
// statement naming database and table, which stand in for --database and --table, and
// --cut-over=default is atomic.
func TestForceTableNames(t *testing.T) {
	db, name := newTable(t)
	alter := fmt.Sprintf("ALTER TABLE `%s`.t ADD COLUMN x INT", name)
	args := []string{"--host", topo.Replica.Host, "--port", strconv.Itoa(topo.Replica.Port), "--user", topo.Replica.User,
		"--password", topo.Replica.Password, "--alter", alter, "--replica-server-id", strconv.Itoa(int(serverIDs.Add(1))),
		"--force-table-names", "ft", "--cut-over", "default", "--execute", "--verbose"}
	code, stdout, stderr := ghost(args...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("Done: %s.t migrated", name)) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if got := tablesOf(t, db, name); got != "t,_ft_del,_ft_ghk" {
		t.Errorf("tables after: %s, want t, _ft_del and the swap record _ft_ghk", got)
	}
	if cols := columnsOf(t, db, "t"); cols != "id,v,s,n,x" {
		t.Errorf("columns after: %s", cols)
	}
}

// TestInitiallyDropSocketFile: a socket file another process answers on stops an
// executing run, unless --initially-drop-socket-file.
func TestInitiallyDropSocketFile(t *testing.T) {
	db, name := newTable(t)
	dir, err := os.MkdirTemp("", "gsock")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "busy.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	before := state(t, db, name)
	args := append(baseArgs(topo.Replica, name, "t", "ADD COLUMN x INT"), "--execute", "--ok-to-drop-table", "--serve-socket-file", sock)
	code, stdout, stderr := ghost(args...)
	checkRefusal(t, code, stdout, stderr, []string{"in use by another process"}, name)
	if after := state(t, db, name); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the failed run changed the database")
	}
	code, stdout, stderr = ghost(append(args, "--initially-drop-socket-file")...)
	if code != 0 || !strings.Contains(stdout, "Done: ") {
		t.Fatalf("with --initially-drop-socket-file: exit %d, stderr %s", code, stderr)
	}
}

// TestNotNeededFlags: through a port forwarder (the server reports another port than
// --port), a run with gh-ost's flags that ghost does not need works and logs one
// "ignored" line per flag; --stack puts the caller on each line.
func TestNotNeededFlags(t *testing.T) {
	_, name := newTable(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", topo.Replica.Addr())
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(s, c)
				io.Copy(c, s)
			}()
		}
	}()
	notNeeded := []string{"--skip-port-validation", "--aliyun-rds", "--gcp", "--azure", "--assume-rbr", "--gtid", "--allow-master-master",
		"--skip-metadata-lock-check", "--skip-foreign-key-checks"}
	args := []string{"--host", "127.0.0.1", "--port", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), "--user", topo.Replica.User,
		"--password", topo.Replica.Password, "--database", name, "--table", "t", "--alter", "ADD COLUMN x INT",
		"--replica-server-id", strconv.Itoa(int(serverIDs.Add(1))), "--verbose", "--stack", "--replication-lag-query", "SELECT 1"}
	code, stdout, stderr := ghost(append(args, notNeeded...)...)
	if code != 0 || !strings.Contains(stdout, "noop: ") {
		t.Fatalf("exit %d\nstderr %s", code, stderr)
	}
	for _, f := range append(notNeeded, "--replication-lag-query") {
		if n := strings.Count(stderr, "msg=\"ignored: "); n != len(notNeeded)+1 || !strings.Contains(stderr, "flag="+f+"\n") {
			t.Errorf("%s: %d ignored lines, or none for it:\n%s", f, n, stderr)
			break
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.Contains(line, " func=") || !strings.Contains(line, " file=") {
			t.Errorf("with --stack a log line names no caller: %s", line)
			break
		}
	}
}

// TestAllowZeroInDate: with the server's sql_mode forbidding zero dates, a column
// with a zero default is added: ghost's sessions allow zero dates, with or without
// gh-ost's --allow-zero-in-date.
func TestAllowZeroInDate(t *testing.T) {
	db, name := newTable(t)
	var mode string
	if err := db.QueryRow("SELECT @@GLOBAL.sql_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	exec(t, db, "SET GLOBAL sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'")
	t.Cleanup(func() { exec(t, db, "SET GLOBAL sql_mode = "+dbconn.QuoteString(mode)) })
	alter := "ADD COLUMN d DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00'"
	code, stdout, stderr := ghost(append(baseArgs(topo.Replica, name, "t", alter), "--allow-zero-in-date", "--execute", "--ok-to-drop-table")...)
	if code != 0 || !strings.Contains(stdout, "Done: ") {
		t.Fatalf("exit %d\nstderr %s", code, stderr)
	}
	var zeros int
	if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE CAST(d AS CHAR) = '0000-00-00 00:00:00'").Scan(&zeros); err != nil || zeros != 3 {
		t.Errorf("rows with the zero date: %d (%v), want 3", zeros, err)
	}
}

// TestTungsten runs --tungsten in the shape of a Tungsten replicator slave: --host shows no
// replication source and its binlog holds the changes (Tungsten applies them as a client),
// and --assume-master-host names the primary. Tungsten itself does not run here; the server
// standing for its slave is the primary itself. Without --assume-master-host the flag is
// refused (TestBadInput).
func TestTungsten(t *testing.T) {
	db, name := newTable(t)
	args := append(connArgs(topo.Primary, name, "t", "ADD COLUMN x INT"), "--user", topo.Primary.User, "--password", topo.Primary.Password, "--execute", "--tungsten",
		"--assume-master-host", topo.Primary.Addr())
	code, stdout, stderr := ghost(args...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("Done: %s.t migrated", name)) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if got := tablesOf(t, db, name); got != "t,_t_del,_t_ghk" {
		t.Errorf("tables after: %s", got)
	}
	code, _, _ = ghost("--check-flag", "--tungsten")
	if code != 0 {
		t.Errorf("--check-flag --tungsten exits %d; want 0", code)
	}
}
