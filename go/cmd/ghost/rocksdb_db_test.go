package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// checksum is a table's row count and a checksum of the given columns of every row.
func checksum(t *testing.T, db *sql.DB, table, cols string) string {
	t.Helper()
	var s string
	q := "SELECT CONCAT(COUNT(*), ':', COALESCE(BIT_XOR(CRC32(CONCAT_WS(',', " + cols + "))), 0)) FROM " + table
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// TestRocksDB migrates a MyRocks table on a primary and replica of the test's own, which
// load MariaDB's RocksDB plugin (Debian's mariadb-plugin-rocksdb). Rows are written all
// through the copy; the cut-over is postponed until the copy is done, the writes stop and
// the replica has caught up, so that afterwards the new table must hold exactly the rows
// of the old one. The new table is a RocksDB table, and the swap was verified without an
// InnoDB table id (a RocksDB table has none). Without --storage-engine rocksdb the table
// is refused with the flag named, as are an InnoDB table with it and an ALTER that
// changes the engine.
func TestRocksDB(t *testing.T) {
	if topo.Primary.Flavor != topology.FlavorMariaDB {
		t.Skipf("MyRocks is a MariaDB plugin; %s has no RocksDB engine", topo.Primary.Flavor)
	}
	// Without the plugin the servers would not start; say why first.
	admin, err := topo.Primary.Open("")
	if err != nil {
		t.Fatal(err)
	}
	var pluginDir string
	err = admin.QueryRow("SELECT @@plugin_dir").Scan(&pluginDir)
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	extra := []string{"--plugin-load-add=ha_rocksdb"}
	if _, err := os.Stat(filepath.Join(pluginDir, "ha_rocksdb.so")); err != nil {
		// script/bootstrap unpacks Debian's package into bin/mariadb-plugins where the
		// server's plugin dir lacks it (script/fetch-rocksdb-plugin).
		private, _ := filepath.Abs(filepath.Join("..", "..", "..", "bin", "mariadb-plugins"))
		if _, err2 := os.Stat(filepath.Join(private, "ha_rocksdb.so")); err2 != nil {
			t.Fatalf("MariaDB's RocksDB plugin is neither installed (%v) nor in %s: run script/bootstrap (it fetches the plugin) or apt-get install mariadb-plugin-rocksdb", err, private)
		}
		extra = append(extra, "--plugin-dir="+private)
	}
	tp := topotest.Private(t, topology.Options{ExtraArgs: extra})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := tp.Primary.Exec(ctx, "CREATE DATABASE d"); err != nil {
		t.Fatal(err)
	}
	db, err := tp.Primary.Open("d")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, s VARCHAR(40), KEY v (v)) ENGINE=ROCKSDB",
		"INSERT INTO t SELECT seq, seq % 97, CONCAT('row ', seq) FROM seq_1_to_20000",
		"CREATE TABLE inno (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB")
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	args := func(table, alter string, more ...string) []string {
		a := append(serverArgs(tp.Replica, "d"), "--table", table, "--alter", alter, "--execute")
		return append(a, more...)
	}

	// (checkRefusal reads "DB" as the database's name: the words below avoid it.)
	code, stdout, stderr := ghost(args("t", "ADD COLUMN x INT")...)
	checkRefusal(t, code, stdout, stderr, []string{"table d.t uses engine ROCKS", "--storage-engine rocksdb"}, "d")
	code, stdout, stderr = ghost(args("inno", "ADD COLUMN x INT", "--storage-engine", "rocksdb")...)
	checkRefusal(t, code, stdout, stderr, []string{"table d.inno uses engine Inno", "not the rocksdb of --storage-engine", "drop --storage-engine"}, "d")
	code, stdout, stderr = ghost(args("t", "ENGINE=InnoDB", "--storage-engine", "rocksdb")...)
	checkRefusal(t, code, stdout, stderr, []string{"the ALTER makes the table use engine Inno", "instead of ROCKS"}, "d")
	code, stdout, stderr = ghost(args("t", "ADD COLUMN x INT", "--storage-engine", "myisam")...)
	checkRefusal(t, code, stdout, stderr, []string{`--storage-engine must be innodb or rocksdb, got "myisam"`}, "d")
	if got := tablesOf(t, db, "d"); got != "inno,t" {
		t.Fatalf("tables after the refusals: %s", got)
	}

	// Writes of every kind, a few hundred a second, until the copy is done.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes, failed atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			id := 1 + (i*7919)%22000
			var err error
			switch i % 4 {
			case 0:
				_, err = db.Exec("INSERT INTO t (id, v, s) VALUES (?, ?, 'inserted') ON DUPLICATE KEY UPDATE s = 'upserted'", id, i%97)
			case 1:
				_, err = db.Exec("UPDATE t SET v = v + 1, s = CONCAT('updated ', ?) WHERE id = ?", i, id)
			case 2:
				_, err = db.Exec("DELETE FROM t WHERE id = ?", id)
			case 3:
				_, err = db.Exec("REPLACE INTO t (id, v, s) VALUES (?, ?, 'replaced')", id, i%97)
			}
			writes.Add(1)
			if err != nil {
				failed.Add(1)
				t.Logf("write %d: %v", i, err)
			}
			time.Sleep(3 * time.Millisecond)
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()

	dir := t.TempDir()
	postpone := filepath.Join(dir, "postpone")
	sock := filepath.Join(dir, "ghost.sock")
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := ghost(args("t", "ADD COLUMN x INT NOT NULL DEFAULT 3, ADD KEY s (s)", "--storage-engine", "RocksDB",
			"--chunk-size", "200", "--nice-ratio", "3", "--max-lag-millis", "60000",
			"--postpone-cut-over-flag-file", postpone, "--serve-socket-file", sock, "--ok-to-drop-table=false")...)
		done <- result{code, stdout, stderr}
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, _ := control.Ask("unix", sock, "status", 5*time.Second)
		if strings.Contains(st, "State: postponing cut-over") {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("ghost ended before the cut-over: exit %d\n%s", r.code, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not postponed after 2 minutes; last status:\n%s", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(postpone); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("no cut-over 2 minutes after the postpone flag file was removed")
	}
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`events applied: (\d+)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no summary:\n%s", r.stdout)
	}
	if n, _ := strconv.Atoi(m[1]); n < 100 || writes.Load() < 100 {
		t.Errorf("%d writes during the run, %d events applied; want the copy to run under writes", writes.Load(), n)
	}
	if failed.Load() > 0 {
		t.Errorf("%d of %d writes failed during the migration", failed.Load(), writes.Load())
	}

	if got, want := checksum(t, db, "t", "id, v, s"), checksum(t, db, "_t_del", "id, v, s"); got != want {
		t.Errorf("new table %s, old table %s: the rows differ", got, want)
	}
	var bad int
	if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE x <> 3").Scan(&bad); err != nil || bad != 0 {
		t.Errorf("rows without the new column's default: %d (%v)", bad, err)
	}
	var engine string
	db.QueryRow("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'd' AND TABLE_NAME = 't'").Scan(&engine)
	if engine != "ROCKSDB" {
		t.Errorf("engine after: %q", engine)
	}
	var ids int
	db.QueryRow("SELECT COUNT(*) FROM information_schema.INNODB_SYS_TABLES WHERE NAME IN ('d/t', 'd/_t_del')").Scan(&ids)
	if ids != 0 {
		t.Errorf("%d InnoDB table ids for RocksDB tables: the swap was not verified by definition", ids)
	}
	if got := tablesOf(t, db, "d"); got != "inno,t,_t_del,_t_ghk" {
		t.Errorf("tables after: %s", got)
	}
	t.Logf("%d writes during the run; %s", writes.Load(), strings.TrimSpace(r.stdout[strings.LastIndex(r.stdout, "Done:"):]))
}
