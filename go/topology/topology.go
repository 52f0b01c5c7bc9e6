package topology

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/go-sql-driver/mysql"
)

// Backends understood by Start.
const (
	BackendLocal  = "local"
	BackendDocker = "docker"
)

// Flavors reported in Server.Flavor: the same words as dbconn.Flavor.
const (
	FlavorMariaDB = string(dbconn.MariaDB)
	FlavorMySQL   = string(dbconn.MySQL)
)

// Credentials created on every server. The DSN of a Server always uses the ghost user.
const (
	User                = "ghost"
	Password            = "ghost"
	ReplicationUser     = "repl"
	ReplicationPassword = "repl"
)

// Environment variables read by Start.
const (
	EnvBackend    = "GHOST_TEST_BACKEND"     // "local" (default) or "docker"
	EnvMySQLImage = "GHOST_TEST_MYSQL_IMAGE" // docker image, default DefaultMySQLImage
	EnvServerBin  = "GHOST_TEST_MYSQLD"      // server binary for the local backend, default: mariadbd, then mysqld
)

// DefaultMySQLImage is the image the docker backend runs when GHOST_TEST_MYSQL_IMAGE is unset.
const DefaultMySQLImage = "mysql:8.0"

// stopTimeout bounds a graceful shutdown before the server is killed.
const stopTimeout = 15 * time.Second

// Options configure Start. The zero value starts a local primary + replica in a temporary directory.
type Options struct {
	Dir       string    // parent dir for the topology's own directory; "" = os.TempDir()
	NoReplica bool      // primary only
	ExtraArgs []string  // extra server args for both servers, e.g. "--innodb-buffer-pool-size=1G"
	Backend   string    // "local" (default) or "docker"; "" reads env GHOST_TEST_BACKEND
	Log       io.Writer // optional progress log

	// Detach starts local servers in their own session so that they outlive the calling process
	// (used by `ghost-topology up`). Without it they are killed if the calling process dies, so a
	// crashed or timed-out test binary leaves no server behind.
	Detach bool
	// Binary is the server binary for the local backend; "" reads GHOST_TEST_MYSQLD, then looks
	// for mariadbd and mysqld.
	Binary string
	// Image is the docker image for the docker backend; "" reads GHOST_TEST_MYSQL_IMAGE, then
	// DefaultMySQLImage.
	Image string
}

// Server is one running server of a topology. Its exported fields are saved by Topology.Save.
type Server struct {
	Name     string `json:"name"` // "primary" / "replica"
	Host     string `json:"host"`
	Port     int    `json:"port"`
	User     string `json:"user"`
	Password string `json:"password"`

	DataDir  string `json:"data_dir,omitempty"`
	Socket   string `json:"socket,omitempty"`
	PidFile  string `json:"pid_file,omitempty"`
	ErrorLog string `json:"error_log,omitempty"`

	Flavor  string `json:"flavor"`  // "mariadb" or "mysql"
	Version string `json:"version"` // SELECT VERSION()

	ServerID    int    `json:"server_id"`
	PID         int    `json:"pid,omitempty"`          // local backend
	ContainerID string `json:"container_id,omitempty"` // docker backend

	mu      sync.Mutex
	adminDB *sql.DB        // lazily opened pool for Exec and replication checks
	proc    *serverProcess // set when this process started the server
}

// Addr returns the server's TCP address, e.g. "127.0.0.1:41234".
func (s *Server) Addr() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// DSN returns a go-sql-driver DSN for the ghost user and the given database ("" for none).
// It interpolates parameters client side and leaves parseTime off.
func (s *Server) DSN(database string) string {
	cfg := mysql.NewConfig()
	cfg.User = s.User
	cfg.Passwd = s.Password
	cfg.Net = "tcp"
	cfg.Addr = s.Addr()
	cfg.DBName = database
	cfg.InterpolateParams = true
	cfg.Timeout = 10 * time.Second
	return cfg.FormatDSN()
}

// Open returns a new pool on the given database. The caller closes it.
func (s *Server) Open(database string) (*sql.DB, error) {
	db, err := sql.Open("mysql", s.DSN(database))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.Name, err)
	}
	return db, nil
}

// Exec runs one statement on the server as the ghost user, outside any database.
func (s *Server) Exec(ctx context.Context, query string, args ...any) error {
	db, err := s.admin()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %s: %w", s.Name, firstLine(query), err)
	}
	return nil
}

// admin returns the server's shared pool, opening it on first use.
func (s *Server) admin() (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.adminDB == nil {
		db, err := s.Open("")
		if err != nil {
			return nil, err
		}
		db.SetMaxIdleConns(2)
		db.SetConnMaxIdleTime(time.Minute)
		s.adminDB = db
	}
	return s.adminDB, nil
}

// closeAdmin closes the shared pool, if open.
func (s *Server) closeAdmin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.adminDB == nil {
		return nil
	}
	err := s.adminDB.Close()
	s.adminDB = nil
	return err
}

// queryString returns the single string value of a query.
func (s *Server) queryString(ctx context.Context, query string, args ...any) (string, error) {
	db, err := s.admin()
	if err != nil {
		return "", err
	}
	var v sql.NullString
	if err := db.QueryRowContext(ctx, query, args...).Scan(&v); err != nil {
		return "", fmt.Errorf("%s: %s: %w", s.Name, firstLine(query), err)
	}
	return v.String, nil
}

// Topology is a started primary (+ replica).
type Topology struct {
	Primary *Server `json:"primary"`
	Replica *Server `json:"replica,omitempty"` // nil with Options.NoReplica
	Dir     string  `json:"dir,omitempty"`     // the directory this topology created (local backend)
	Backend string  `json:"backend"`
	Network string  `json:"network,omitempty"` // docker network name (docker backend)

	stopOnce sync.Once
	stopErr  error
	// Of the local backend started by this process: what Restart launches again.
	bin  localBinary
	opts Options
}

// Servers returns the primary and, if present, the replica.
func (t *Topology) Servers() []*Server {
	if t.Replica == nil {
		return []*Server{t.Primary}
	}
	return []*Server{t.Primary, t.Replica}
}

// Start starts a topology and returns once replication is running and verified.
// On failure everything started so far is stopped and removed again.
func Start(ctx context.Context, opts Options) (*Topology, error) {
	backend := opts.Backend
	if backend == "" {
		backend = os.Getenv(EnvBackend)
	}
	switch backend {
	case "", BackendLocal:
		return startLocal(ctx, opts)
	case BackendDocker:
		return startDocker(ctx, opts)
	default:
		return nil, fmt.Errorf("topology: unknown backend %q (want %q or %q)", backend, BackendLocal, BackendDocker)
	}
}

// Stop stops the servers (SIGTERM, SIGKILL after a timeout) and removes the directories or
// containers this topology created. It is safe to call more than once.
func (t *Topology) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*stopTimeout)
	defer cancel()
	return t.StopContext(ctx)
}

// StopContext is Stop with a caller-supplied bound.
func (t *Topology) StopContext(ctx context.Context) error {
	t.stopOnce.Do(func() {
		var errs []error
		for _, s := range t.Servers() {
			if err := s.closeAdmin(); err != nil {
				errs = append(errs, fmt.Errorf("close %s pool: %w", s.Name, err))
			}
		}
		switch t.Backend {
		case BackendDocker:
			errs = append(errs, stopDocker(ctx, t))
		default:
			errs = append(errs, stopLocal(ctx, t))
		}
		t.stopErr = errors.Join(errs...)
	})
	return t.stopErr
}

// Save writes the topology's state as JSON, for Load in another process.
func (t *Topology) Save(path string) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encode topology state: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save topology state: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("save topology state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("save topology state: %w", err)
	}
	return nil
}

// Load reads a state file written by Save. The returned Topology can be used and stopped like a
// started one; Stop signals the servers by the saved pids (or container ids).
func Load(path string) (*Topology, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load topology state: %w", err)
	}
	var t Topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("load topology state %s: %w", path, err)
	}
	if t.Primary == nil {
		return nil, fmt.Errorf("load topology state %s: no primary", path)
	}
	return &t, nil
}

// WaitReplicaCaughtUp waits until the replica has applied every transaction the primary has
// written so far. It returns at once without a replica, and fails early if a replication thread
// has stopped.
func (t *Topology) WaitReplicaCaughtUp(ctx context.Context) error {
	if t.Replica == nil {
		return nil
	}
	// Why: MariaDB's MASTER_GTID_WAIT compares a gtid_binlog_pos ("domain-server-seq" per domain)
	// with the replica's gtid_slave_pos; MySQL's WAIT_FOR_EXECUTED_GTID_SET checks that a
	// uuid:interval set is included in gtid_executed. Both return 0 on success.
	var waitQuery string
	switch t.Primary.Flavor {
	case FlavorMariaDB:
		waitQuery = "SELECT MASTER_GTID_WAIT(?, ?)"
	case FlavorMySQL:
		waitQuery = "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)"
	default:
		return fmt.Errorf("wait for replica: unknown flavor %q", t.Primary.Flavor)
	}
	pos, err := t.Primary.GTIDPosition(ctx)
	if err != nil {
		return fmt.Errorf("wait for replica: %w", err)
	}
	if pos == "" {
		return nil // nothing written yet
	}
	db, err := t.Replica.admin()
	if err != nil {
		return fmt.Errorf("wait for replica: %w", err)
	}
	// Wait in short slices so that a broken replica or a cancelled ctx is noticed quickly.
	const slice = 0.5 // seconds
	for {
		var rc sql.NullInt64
		if err := db.QueryRowContext(ctx, waitQuery, pos, slice).Scan(&rc); err != nil {
			return fmt.Errorf("wait for replica to reach %s: %w", pos, err)
		}
		if rc.Valid && rc.Int64 == 0 {
			return nil
		}
		st, err := t.Replica.ReplicaStatus(ctx)
		if err != nil {
			return fmt.Errorf("wait for replica to reach %s: %w", pos, err)
		}
		if !st.SQLRunning {
			return fmt.Errorf("wait for replica to reach %s: SQL thread not running: %s", pos, st.LastSQLError)
		}
		if st.IOState == "No" { // "Connecting" may still recover
			return fmt.Errorf("wait for replica to reach %s: IO thread not running: %s", pos, st.LastIOError)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("wait for replica to reach %s: %w", pos, err)
		}
	}
}

// GTIDPosition returns what the server has written to its binary log: gtid_binlog_pos on MariaDB,
// gtid_executed on MySQL.
func (s *Server) GTIDPosition(ctx context.Context) (string, error) {
	q := "SELECT @@GLOBAL.gtid_executed"
	if s.Flavor == FlavorMariaDB {
		q = "SELECT @@GLOBAL.gtid_binlog_pos"
	}
	return s.queryString(ctx, q)
}

// ReplicaStatus is the part of SHOW SLAVE/REPLICA STATUS the tools need.
type ReplicaStatus struct {
	Configured    bool   // false: the server is not a replica
	IORunning     bool   // receiver thread "Yes"
	SQLRunning    bool   // applier thread "Yes"
	IOState       string // raw receiver state ("Yes", "Connecting", "No")
	SecondsBehind *int64 // nil when NULL (threads stopped)
	LastIOError   string
	LastSQLError  string
}

// ReplicaStatus reads the server's replication status.
func (s *Server) ReplicaStatus(ctx context.Context) (ReplicaStatus, error) {
	db, err := s.admin()
	if err != nil {
		return ReplicaStatus{}, err
	}
	w := s.info().Replication()
	row, err := dbconn.ShowRow(ctx, db, w.ReplicaStatus)
	if err != nil {
		return ReplicaStatus{}, fmt.Errorf("%s: replica status: %w", s.Name, err)
	}
	if row == nil {
		return ReplicaStatus{}, nil
	}
	st := ReplicaStatus{
		Configured:   true,
		IOState:      row[w.IORunning],
		IORunning:    row[w.IORunning] == "Yes",
		SQLRunning:   row[w.SQLRunning] == "Yes",
		LastIOError:  row[w.LastIOError],
		LastSQLError: row[w.LastSQLError],
	}
	if n, err := strconv.ParseInt(row[w.SecondsBehind], 10, 64); err == nil { // "" is NULL
		st.SecondsBehind = &n
	}
	return st, nil
}

// info is what dbconn needs to know of the server to word statements for it; the
// server need not be running.
func (s *Server) info() dbconn.ServerInfo {
	info := parseVersion(s.Version)
	info.Flavor = dbconn.Flavor(s.Flavor)
	return info
}

// newLogger returns a printf that writes progress lines to w (nothing when w is nil). It is safe
// for concurrent use: both servers start in parallel.
func newLogger(w io.Writer) func(format string, args ...any) {
	if w == nil {
		return func(string, ...any) {}
	}
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "topology: "+format+"\n", args...)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	return s
}
