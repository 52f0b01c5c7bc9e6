package topology

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
)

var versionPattern = regexp.MustCompile(`(\d+)\.(\d+)\.(\d+)`)

// parseVersion reads the first "x.y.z" in s (a VERSION() value or a `--version` line) into the
// version numbers of a ServerInfo; all zero when there is none. The server need not be running.
func parseVersion(s string) dbconn.ServerInfo {
	var v dbconn.ServerInfo
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return v
	}
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	return v
}

// userStatements creates the ghost and replication users. They run with sql_log_bin=0 on every
// server so that they never replicate (the replica has its own copy) and leave no GTID behind.
func userStatements() []string {
	var stmts []string
	for _, host := range []string{"localhost", "127.0.0.1", "%"} {
		stmts = append(stmts,
			fmt.Sprintf("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", dbconn.QuoteString(User), dbconn.QuoteString(host), dbconn.QuoteString(Password)),
			fmt.Sprintf("GRANT ALL PRIVILEGES ON *.* TO %s@%s WITH GRANT OPTION", dbconn.QuoteString(User), dbconn.QuoteString(host)),
		)
	}
	for _, host := range []string{"127.0.0.1", "%"} {
		stmts = append(stmts,
			fmt.Sprintf("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", dbconn.QuoteString(ReplicationUser), dbconn.QuoteString(host), dbconn.QuoteString(ReplicationPassword)),
			fmt.Sprintf("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO %s@%s", dbconn.QuoteString(ReplicationUser), dbconn.QuoteString(host)),
		)
	}
	return stmts
}

// setupUsers runs userStatements on one pinned connection of db (a root connection).
func setupUsers(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("create users: %w", err)
	}
	defer conn.Close()
	stmts := append([]string{"SET SESSION sql_log_bin = 0"}, userStatements()...)
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create users: %s: %w", firstLine(q), err)
		}
	}
	return nil
}

// changeSourceStatements returns the statements that point replica at a primary reachable from the
// replica at host:port, using GTID auto-positioning, and start replication.
func changeSourceStatements(replica *Server, host string, port int) []string {
	info := replica.info()
	h, u, p := dbconn.QuoteString(host), dbconn.QuoteString(ReplicationUser), dbconn.QuoteString(ReplicationPassword)
	var change string
	switch {
	case info.Flavor == dbconn.MariaDB:
		// MASTER_USE_GTID=slave_pos: start from the replica's own applied position (empty on a fresh
		// server, so from the primary's first binlog). MASTER_CONNECT_RETRY=1 instead of the default
		// 60 s so a failed first connect does not stall start-up for a minute.
		change = fmt.Sprintf("CHANGE MASTER TO MASTER_HOST=%s, MASTER_PORT=%d, MASTER_USER=%s, MASTER_PASSWORD=%s, "+
			"MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", h, port, u, p)
	case info.AtLeast(8, 0, 23):
		// MySQL 8.0.23 renamed CHANGE MASTER TO and its options (a release after START REPLICA).
		// GET_SOURCE_PUBLIC_KEY: the replication user authenticates with caching_sha2_password over
		// a plain connection, which needs the server's RSA key.
		change = fmt.Sprintf("CHANGE REPLICATION SOURCE TO SOURCE_HOST=%s, SOURCE_PORT=%d, SOURCE_USER=%s, SOURCE_PASSWORD=%s, "+
			"SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, GET_SOURCE_PUBLIC_KEY=1", h, port, u, p)
	case info.AtLeast(8, 0, 0):
		change = fmt.Sprintf("CHANGE MASTER TO MASTER_HOST=%s, MASTER_PORT=%d, MASTER_USER=%s, MASTER_PASSWORD=%s, "+
			"MASTER_AUTO_POSITION=1, MASTER_CONNECT_RETRY=1, GET_MASTER_PUBLIC_KEY=1", h, port, u, p)
	default:
		change = fmt.Sprintf("CHANGE MASTER TO MASTER_HOST=%s, MASTER_PORT=%d, MASTER_USER=%s, MASTER_PASSWORD=%s, "+
			"MASTER_AUTO_POSITION=1, MASTER_CONNECT_RETRY=1", h, port, u, p)
	}
	return []string{change, info.Replication().StartReplica}
}

// wireReplica points the topology's replica at its primary (reachable from the replica at
// host:port), starts replication and verifies it end to end.
func wireReplica(ctx context.Context, t *Topology, host string, port int, log func(string, ...any)) error {
	for _, q := range changeSourceStatements(t.Replica, host, port) {
		if err := t.Replica.Exec(ctx, q); err != nil {
			return fmt.Errorf("wire replica: %w", err)
		}
	}
	if err := waitThreadsRunning(ctx, t.Replica, 20*time.Second); err != nil {
		return fmt.Errorf("wire replica: %w", err)
	}
	if err := verifyReplication(ctx, t); err != nil {
		return fmt.Errorf("verify replication: %w", err)
	}
	log("replication %s -> %s running and verified", t.Primary.Addr(), t.Replica.Addr())
	return nil
}

// waitThreadsRunning polls until both replication threads report "Yes".
func waitThreadsRunning(ctx context.Context, s *Server, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		st, err := s.ReplicaStatus(ctx)
		if err != nil {
			return err
		}
		if st.IORunning && st.SQLRunning {
			return nil
		}
		if !st.SQLRunning && st.LastSQLError != "" {
			return fmt.Errorf("replica SQL thread stopped: %s", st.LastSQLError)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("replication threads not running (io=%q sql=%v, io error %q, sql error %q): %w",
				st.IOState, st.SQLRunning, st.LastIOError, st.LastSQLError, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// verifyReplication writes a row on the primary and reads it back on the replica, then removes the
// check database again (through replication as well).
func verifyReplication(ctx context.Context, t *Topology) error {
	const db = "_ghost_topology_check"
	token := strconv.FormatUint(rand.Uint64(), 36)
	for _, q := range []string{
		"CREATE DATABASE IF NOT EXISTS " + db,
		"CREATE TABLE IF NOT EXISTS " + db + ".probe (id INT PRIMARY KEY, token VARCHAR(32) NOT NULL)",
		"REPLACE INTO " + db + ".probe (id, token) VALUES (1, '" + token + "')",
	} {
		if err := t.Primary.Exec(ctx, q); err != nil {
			return err
		}
	}
	if err := t.WaitReplicaCaughtUp(ctx); err != nil {
		return err
	}
	got, err := t.Replica.queryString(ctx, "SELECT token FROM "+db+".probe WHERE id = 1")
	if err != nil {
		return err
	}
	if got != token {
		return fmt.Errorf("probe row on replica is %q, want %q", got, token)
	}
	if err := t.Primary.Exec(ctx, "DROP DATABASE "+db); err != nil {
		return err
	}
	return t.WaitReplicaCaughtUp(ctx)
}

// ErrNoServer is returned by Start when no usable server binary is installed.
var ErrNoServer = errors.New("no mariadbd or mysqld binary found; run script/bootstrap or set " + EnvServerBin)
