package main

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

func serverArgs(s *topology.Server, database string) []string {
	id := serverIDs.Add(1)
	return []string{"--host", s.Host, "--port", strconv.Itoa(s.Port), "--user", s.User, "--password", s.Password,
		"--database", database, "--table", "t", "--alter", "ADD COLUMN x INT NOT NULL DEFAULT 7",
		"--replica-server-id", strconv.Itoa(int(id)), "--serve-socket-file", ownSocket(id)}
}

func globalVar(t *testing.T, s *topology.Server, name string) string {
	t.Helper()
	db, err := s.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT @@GLOBAL." + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// lastEventTypes are the types of the events the server logged for the last
// transaction of its current binary log, e.g. "Gtid Table_map Write_rows_v1 Xid".
func lastEventTypes(t *testing.T, s *topology.Server) string {
	t.Helper()
	db, err := s.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, err := dbconn.ShowRow(ctx, db, "SHOW MASTER STATUS")
	if err != nil || st == nil {
		t.Fatalf("SHOW MASTER STATUS: %v %v", st, err)
	}
	rows, err := db.QueryContext(ctx, "SHOW BINLOG EVENTS IN "+dbconn.QuoteString(st["File"]))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var types []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		typ := string(vals[2]) // Log_name, Pos, Event_type, ...
		if typ == "Gtid" {
			types = types[:0]
		}
		types = append(types, typ)
	}
	return strings.Join(types, " ")
}

// TestSwitchToRBR: a primary and replica of the test's own, both in STATEMENT format,
// as gh-ost's "migrating with SBR" setup has them. Without --switch-to-rbr ghost refuses
// and names the flag; with it, ghost switches the replica to ROW and restarts its
// replication, so that the primary's statements are logged there as rows, and the
// migration completes through that replica. The primary stays in STATEMENT; asked to
// switch the primary itself, which has a replica, ghost refuses.
func TestSwitchToRBR(t *testing.T) {
	tp := topotest.Private(t, topology.Options{ExtraArgs: []string{"--binlog-format=STATEMENT"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := tp.Primary.Exec(ctx, "CREATE DATABASE d"); err != nil {
		t.Fatal(err)
	}
	db, err := tp.Primary.Open("d")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, baseTable, baseRows)
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got := lastEventTypes(t, tp.Replica); strings.Contains(got, "Write_rows") || !strings.Contains(got, "Query") {
		t.Fatalf("before: the replica logged the primary's INSERT as %q, want a statement", got)
	}

	code, stdout, stderr := ghost(append(serverArgs(tp.Replica, "d"), "--execute")...)
	checkRefusal(t, code, stdout, stderr, []string{"binlog_format is STATEMENT", "--switch-to-rbr"}, "d")
	if f := globalVar(t, tp.Replica, "binlog_format"); f != "STATEMENT" {
		t.Fatalf("a refused run changed the replica's format to %s", f)
	}

	code, stdout, stderr = ghost(append(serverArgs(tp.Primary, "d"), "--execute", "--allow-on-master", "--switch-to-rbr")...)
	checkRefusal(t, code, stdout, stderr, []string{"binlog_format is STATEMENT", "has replicas of its own"}, "d")
	if f := globalVar(t, tp.Primary, "binlog_format"); f != "STATEMENT" {
		t.Fatalf("a refused run changed the primary's format to %s", f)
	}

	code, stdout, stderr = ghost(append(serverArgs(tp.Replica, "d"), "--execute", "--switch-to-rbr", "--ok-to-drop-table", "--verbose")...)
	if code != 0 || !strings.Contains(stdout, "Done: d.t migrated; rows copied: 3") {
		t.Fatalf("--switch-to-rbr: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "--switch-to-rbr: binlog_format switched to ROW") {
		t.Errorf("the switch is not logged:\n%s", stderr)
	}
	if f := globalVar(t, tp.Replica, "binlog_format"); f != "ROW" {
		t.Errorf("replica's binlog_format after the run: %s", f)
	}
	if f := globalVar(t, tp.Primary, "binlog_format"); f != "STATEMENT" {
		t.Errorf("primary's binlog_format after the run: %s (only --host is switched)", f)
	}
	if got := columnsOf(t, db, "t"); got != "id,v,s,n,x" {
		t.Errorf("columns after: %s", got)
	}
	var sum int
	if err := db.QueryRow("SELECT SUM(x) + COUNT(*) FROM t").Scan(&sum); err != nil || sum != 24 {
		t.Errorf("rows after: SUM(x)+COUNT(*) = %d (%v), want 24", sum, err)
	}

	// Replication runs, and the primary's statements are now logged as rows on the replica.
	exec(t, db, "INSERT INTO t (id, v, s) VALUES (4, 40, 'after')")
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatalf("replication after the switch: %v", err)
	}
	rdb, err := tp.Replica.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	st, err := dbconn.ShowRow(ctx, rdb, "SHOW SLAVE STATUS")
	if err != nil || st["Slave_IO_Running"] != "Yes" || st["Slave_SQL_Running"] != "Yes" {
		t.Errorf("replica threads after the run: io=%q sql=%q (%v)", st["Slave_IO_Running"], st["Slave_SQL_Running"], err)
	}
	if got := lastEventTypes(t, tp.Replica); !strings.Contains(got, "Write_rows") {
		t.Errorf("after: the replica logged the primary's INSERT as %q, want row events", got)
	}
}

// TestSwitchToRBROnMaster: on a lone server in STATEMENT format, --allow-on-master
// --switch-to-rbr switches it and migrates there: ghost's own sessions, opened before the
// switch, are replaced so that its changelog writes reach its binlog reader as rows.
func TestSwitchToRBROnMaster(t *testing.T) {
	solo := topotest.Private(t, topology.Options{NoReplica: true, ExtraArgs: []string{"--binlog-format=STATEMENT"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := solo.Primary.Exec(ctx, "CREATE DATABASE d"); err != nil {
		t.Fatal(err)
	}
	db, err := solo.Primary.Open("d")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, baseTable, baseRows)
	if q := statementDML(t, solo.Primary); len(q) == 0 {
		t.Fatal("the server in STATEMENT format logged its INSERT otherwise")
	}
	// The run alone in the current binary log.
	exec(t, db, "FLUSH BINARY LOGS")
	code, stdout, stderr := ghost(append(serverArgs(solo.Primary, "d"), "--execute", "--allow-on-master", "--switch-to-rbr")...)
	if code != 0 || !strings.Contains(stdout, "Done: d.t migrated; rows copied: 3") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if f := globalVar(t, solo.Primary, "binlog_format"); f != "ROW" {
		t.Errorf("binlog_format after the run: %s", f)
	}
	if got := columnsOf(t, db, "t"); got != "id,v,s,n,x" {
		t.Errorf("columns after: %s", got)
	}
	// Every row change of the run reached the binlog as rows: none as a statement.
	if q := statementDML(t, solo.Primary); len(q) > 0 {
		t.Errorf("row changes logged as statements after the switch: %q", q)
	}
}

// statementDML returns the INSERT, UPDATE, DELETE and REPLACE statements the server
// logged as statements in its current binary log.
func statementDML(t *testing.T, s *topology.Server) []string {
	t.Helper()
	db, err := s.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, err := dbconn.ShowRow(ctx, db, "SHOW MASTER STATUS")
	if err != nil || st == nil {
		t.Fatalf("SHOW MASTER STATUS: %v %v", st, err)
	}
	rows, err := db.QueryContext(ctx, "SHOW BINLOG EVENTS IN "+dbconn.QuoteString(st["File"]))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		typ, info := string(vals[2]), strings.ToUpper(string(vals[5]))
		if typ != "Query" {
			continue
		}
		if i := strings.Index(info, "; "); strings.HasPrefix(info, "USE ") && i > 0 {
			info = info[i+2:]
		}
		for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
			if strings.HasPrefix(strings.TrimSpace(info), verb) {
				out = append(out, string(vals[5]))
			}
		}
	}
	return out
}
