package dbconn_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
)

func TestReplicationWording(t *testing.T) {
	slave := dbconn.Replication{
		ReplicaStatus: "SHOW SLAVE STATUS", StartReplica: "START SLAVE", StopReplica: "STOP SLAVE",
		BinlogStatus: "SHOW MASTER STATUS",
		SourceHost:   "Master_Host", SourcePort: "Master_Port", SecondsBehind: "Seconds_Behind_Master",
		IORunning: "Slave_IO_Running", SQLRunning: "Slave_SQL_Running",
		LastIOError: "Last_IO_Error", LastSQLError: "Last_SQL_Error",
	}
	replica := dbconn.Replication{
		ReplicaStatus: "SHOW REPLICA STATUS", StartReplica: "START REPLICA", StopReplica: "STOP REPLICA",
		BinlogStatus: "SHOW MASTER STATUS",
		SourceHost:   "Source_Host", SourcePort: "Source_Port", SecondsBehind: "Seconds_Behind_Source",
		IORunning: "Replica_IO_Running", SQLRunning: "Replica_SQL_Running",
		LastIOError: "Last_IO_Error", LastSQLError: "Last_SQL_Error",
	}
	binaryLog := replica
	binaryLog.BinlogStatus = "SHOW BINARY LOG STATUS"
	for _, tc := range []struct {
		flavor              dbconn.Flavor
		major, minor, patch int
		want                dbconn.Replication
	}{
		{dbconn.MariaDB, 10, 4, 34, slave},
		{dbconn.MariaDB, 10, 11, 19, slave},
		{dbconn.MariaDB, 11, 8, 2, slave}, // MariaDB's version numbers passed MySQL's; its wording did not change
		{dbconn.MySQL, 5, 7, 44, slave},
		{dbconn.MySQL, 8, 0, 21, slave},
		{dbconn.MySQL, 8, 0, 22, replica},
		{dbconn.MySQL, 8, 0, 40, replica},
		{dbconn.MySQL, 8, 1, 0, replica},
		{dbconn.MySQL, 8, 2, 0, binaryLog},
		{dbconn.MySQL, 8, 4, 3, binaryLog},
		{dbconn.MySQL, 9, 1, 0, binaryLog},
	} {
		info := dbconn.ServerInfo{Flavor: tc.flavor, Major: tc.major, Minor: tc.minor, Patch: tc.patch}
		if got := info.Replication(); got != tc.want {
			t.Errorf("%s %d.%d.%d:\n got %+v\nwant %+v", tc.flavor, tc.major, tc.minor, tc.patch, got, tc.want)
		}
	}
}

// TestShowRow reads the real replica's status by the names the wording gives, sees a
// stopped applier through them, and checks NULL, absent and no-row results.
func TestShowRow(t *testing.T) {
	ctx := t.Context()
	replica := topo.Replica
	rdb := open(t, dbconn.Config{Host: replica.Host, Port: replica.Port, User: replica.User, Password: replica.Password})
	info, err := dbconn.Inspect(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	w := info.Replication()

	row, err := dbconn.ShowRow(ctx, rdb, w.ReplicaStatus)
	if err != nil {
		t.Fatal(err)
	}
	// The replica was pointed at the primary as the backend can reach it.
	wantHost, wantPort := "127.0.0.1", topo.Primary.Port
	if topo.Backend == topology.BackendDocker {
		wantHost, wantPort = topo.Primary.Name, 3306
	}
	if row[w.SourceHost] != wantHost || row[w.SourcePort] != strconv.Itoa(wantPort) {
		t.Errorf("source %q:%q, want %s:%d (row %v)", row[w.SourceHost], row[w.SourcePort], wantHost, wantPort, row)
	}
	if row[w.IORunning] != "Yes" || row[w.SQLRunning] != "Yes" {
		t.Errorf("threads io=%q sql=%q, want Yes", row[w.IORunning], row[w.SQLRunning])
	}
	if _, err := strconv.Atoi(row[w.SecondsBehind]); err != nil {
		t.Errorf("%s = %q on a running replica: %v", w.SecondsBehind, row[w.SecondsBehind], err)
	}
	if v, ok := row["No_Such_Column"]; ok {
		t.Errorf("absent column present as %q", v)
	}

	// A stopped replica: the running columns say so, and the lag is NULL, which reads
	// as "" but is present.
	if _, err := rdb.ExecContext(ctx, w.StopReplica); err != nil {
		t.Fatal(err)
	}
	restarted := false
	restart := func() {
		if restarted {
			return
		}
		restarted = true
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := rdb.ExecContext(ctx, w.StartReplica); err != nil {
			t.Errorf("%s: %v", w.StartReplica, err)
			return
		}
		if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
			t.Errorf("replica after %s: %v", w.StartReplica, err)
		}
	}
	t.Cleanup(restart)
	row, err = dbconn.ShowRow(ctx, rdb, w.ReplicaStatus)
	if err != nil {
		t.Fatal(err)
	}
	if row[w.IORunning] != "No" || row[w.SQLRunning] != "No" {
		t.Errorf("after %s: threads io=%q sql=%q, want No", w.StopReplica, row[w.IORunning], row[w.SQLRunning])
	}
	if v, ok := row[w.SecondsBehind]; !ok || v != "" {
		t.Errorf("after %s: %s = %q (present %v), want NULL read as a present \"\"", w.StopReplica, w.SecondsBehind, v, ok)
	}
	restart()
	row, err = dbconn.ShowRow(ctx, rdb, w.ReplicaStatus)
	if err != nil {
		t.Fatal(err)
	}
	if row[w.SQLRunning] != "Yes" {
		t.Errorf("after %s: sql thread %q", w.StartReplica, row[w.SQLRunning])
	}

	// The primary replicates from nothing: no row, no error.
	pdb := open(t, config(""))
	row, err = dbconn.ShowRow(ctx, pdb, w.ReplicaStatus)
	if err != nil || row != nil {
		t.Errorf("%s on the primary = %v, %v; want no row", w.ReplicaStatus, row, err)
	}
	// The binlog status names the file the primary writes.
	row, err = dbconn.ShowRow(ctx, pdb, w.BinlogStatus)
	if err != nil {
		t.Fatal(err)
	}
	if row["File"] == "" || row["Position"] == "" {
		t.Errorf("%s = %v", w.BinlogStatus, row)
	}
	// Any one-row statement works on a pinned connection too; NULL is a present "".
	conn, err := pdb.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	row, err = dbconn.ShowRow(ctx, conn, "SELECT NULL AS n, 'x' AS s UNION ALL SELECT 'second', 'y'")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := row["n"]; !ok || v != "" || row["s"] != "x" || len(row) != 2 {
		t.Errorf("first row = %v", row)
	}
	_, err = dbconn.ShowRow(ctx, conn, "SHOW NO SUCH THING")
	if dbconn.Number(err) != dbconn.ErrParse {
		t.Errorf("bad statement: %v", err)
	}
}
