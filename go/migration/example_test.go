package migration_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/migration"
	"github.com/sirupsen/logrus"
)

// Example runs a migration from Go, as cmd/ghost does: a config.Config (config.Defaults and
// the fields of the flags), then New and Run. Run returns nil only after a verified swap;
// ExitStatus and Report classify what it returned.
func Example() {
	// The table, on the test topology's primary.
	db, err := topo.Primary.Open("")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	for _, q := range []string{
		"DROP DATABASE IF EXISTS example_lib", "CREATE DATABASE example_lib",
		"CREATE TABLE example_lib.accounts (id INT NOT NULL PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB",
		"INSERT INTO example_lib.accounts SELECT seq, seq * 10 FROM example_lib.seq_1_to_1000",
	} {
		if _, err := db.Exec(q); err != nil {
			panic(err)
		}
	}
	defer db.Exec("DROP DATABASE IF EXISTS example_lib")
	if err := topo.WaitReplicaCaughtUp(context.Background()); err != nil { // ghost reads the replica
		panic(err)
	}

	cfg := config.Defaults()
	cfg.Host, cfg.Port = topo.Replica.Host, topo.Replica.Port // a replica: ghost reads its binlog
	cfg.User, cfg.Password = topo.Replica.User, topo.Replica.Password
	cfg.Database, cfg.Table = "example_lib", "accounts"
	cfg.Alter = "ADD COLUMN note VARCHAR(100) NOT NULL DEFAULT ''"
	cfg.Execute = true
	cfg.ReplicaServerID = 4242
	cfg.ServeSocketFile = filepath.Join(os.TempDir(), "ghost-example.sock")
	cfg.ThrottleAdditionalFlagFile = ""

	log := logrus.New()
	log.SetOutput(io.Discard)
	m := migration.New(cfg, logrus.NewEntry(log), io.Discard)
	err = m.Run(context.Background())
	r := m.Report(err)
	fmt.Println("outcome:", r.Outcome, "exit status:", r.ExitStatus)
	fmt.Println("rows copied:", r.RowsCopied, "tables left:", strings.Join(r.TablesLeft, ", "))

	var create string
	db.QueryRow("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'example_lib' AND TABLE_NAME = 'accounts'").Scan(&create)
	fmt.Println("columns:", create)
	// Output:
	// outcome: success exit status: 0
	// rows copied: 1000 tables left: _accounts_del, _accounts_ghk
	// columns: id,balance,note
}
