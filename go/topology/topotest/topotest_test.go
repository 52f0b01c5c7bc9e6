package topotest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/topology"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(Main(m, &topo)) }

func TestNewDatabase(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		db, n := NewDatabase(t, topo)
		name = n
		if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (id INT PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(t.Context(), "INSERT INTO t VALUES (?), (?)", 1, 2); err != nil {
			t.Fatal(err)
		}
		if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
			t.Fatal(err)
		}
		rdb, err := topo.Replica.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		var count int
		if err := rdb.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM t").Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count != 2 {
			t.Errorf("replica has %d rows, want 2", count)
		}
	})
	// The cleanup of the subtest dropped the database.
	var count int
	db, err := topo.Primary.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRowContext(t.Context(),
		"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Errorf("database %s still exists after cleanup", name)
	}
}

func TestDatabaseName(t *testing.T) {
	valid := regexp.MustCompile(`^t_[a-z0-9_]+$`)
	long := "TestVery/" + strings.Repeat("LongSubtestName#", 10)
	seen := map[string]bool{}
	for _, in := range []string{"TestX", "TestX", "TestY/sub case#01", long} {
		got := databaseName(in)
		if !valid.MatchString(got) || len(got) > 64 {
			t.Errorf("databaseName(%q) = %q", in, got)
		}
		if seen[got] {
			t.Errorf("databaseName(%q) repeated %q", in, got)
		}
		seen[got] = true
	}
}
