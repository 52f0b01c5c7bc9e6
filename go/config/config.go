package config

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"
)

// CutOver names a cut-over strategy.
type CutOver string

const (
	CutOverAtomic  CutOver = "atomic"
	CutOverTwoStep CutOver = "two-step"
)

// Config is everything a migration is told before it starts.
type Config struct {
	Host             string
	Port             int
	User             string
	Password         string
	AssumeMasterHost string // host[:port] of the primary, skipping discovery
	AllowOnMaster    bool
	// MasterUser and MasterPassword, when set, replace User and Password for the
	// connections to the primary when it is another server than Host.
	MasterUser     string
	MasterPassword string
	// MySQLTimeout, when positive, is the connect, read and write timeout of every
	// connection to the servers (--mysql-timeout).
	MySQLTimeout time.Duration

	Database string
	Table    string
	Alter    string
	Execute  bool

	ChunkSize         int64
	DMLBatchSize      int64
	MaxLag            time.Duration
	HeartbeatInterval time.Duration
	Threads           int
	NiceRatio         float64
	// TargetChunkTime, when set, resizes chunks so that each takes about this long.
	TargetChunkTime time.Duration

	CutOver                   CutOver
	CutOverLockTimeout        time.Duration
	DefaultRetries            int
	CutOverExponentialBackoff bool
	BackoffMaxInterval        time.Duration
	PostponeCutOverFlagFile   string

	ExactRowcount           bool
	ApproveRenamedColumns   bool
	SkipRenamedColumns      bool
	InitiallyDropGhostTable bool
	InitiallyDropOldTable   bool
	OkToDropTable           bool
	TimestampOldTable       bool
	// ForceTableNames, when set, names ghost's tables after it instead of Table.
	ForceTableNames string
	ReplicaServerID uint32

	StatusInterval time.Duration

	// Throttling (see docs/throttle.md).
	ThrottleControlReplicas    string // host:port,host:port
	MaxLoad                    string // Threads_running=25,Threads_connected=500
	CriticalLoad               string
	CriticalLoadInterval       time.Duration
	CriticalLoadHibernate      time.Duration
	ThrottleQuery              string
	ThrottleHTTP               string
	ThrottleHTTPInterval       time.Duration
	ThrottleHTTPTimeout        time.Duration
	IgnoreHTTPErrors           bool
	ThrottleFlagFile           string
	ThrottleAdditionalFlagFile string
	PanicFlagFile              string

	// Interactive control.
	ServeSocketFile   string
	ServeTCPPort      int
	ForceNamedCutOver bool
	ForceNamedPanic   bool

	// Hooks.
	HooksPath           string
	HooksStatusInterval time.Duration
	HooksTimeout        time.Duration
	HooksHint           string
	HooksHintOwner      string
	HooksHintToken      string

	// Modes.
	TestOnReplica                bool
	TestOnReplicaSkipReplicaStop bool
	MigrateOnReplica             bool
	// PauseCutOverAt and PauseCutOverFor hold the cut-over at one of its steps
	// (locked, applied, rename-queued, sentry-dropped) for fault-injection tests.
	PauseCutOverAt  string
	PauseCutOverFor time.Duration
	// Now is when the run started; it names the timestamped old table.
	Now time.Time
}

// MinChunkSize and MaxChunkSize bound a chunk's rows, however they are set: the flag, the
// chunk-size command, or the steering toward --target-chunk-time.
const (
	MinChunkSize = 10
	MaxChunkSize = 100000
)

// DefaultTargetChunkTime is the chunk duration ghost steers toward unless --chunk-size is given
// alone. Measured on a 2-core machine (docs/bench.md): every chunk costs both servers fixed CPU
// (statements, commit, the replica's transaction); with 3000-5000-row chunks a 1M-row copy took
// 12-13 s against 8.8 s with 10000-row ones, and steering toward 50 ms gave chunks of about
// 5000 rows on a slow day. 100 ms keeps chunks at 10k+ sysbench rows there, while a writer that
// meets a chunk's shared row locks still waits no more than about one chunk.
const DefaultTargetChunkTime = 100 * time.Millisecond

// Defaults returns gh-ost's defaults where it has them.
func Defaults() Config {
	return Config{
		Port:               3306,
		ChunkSize:          1000,
		TargetChunkTime:    DefaultTargetChunkTime,
		DMLBatchSize:       100,
		MaxLag:             1500 * time.Millisecond,
		HeartbeatInterval:  100 * time.Millisecond,
		Threads:            1,
		CutOver:            CutOverAtomic,
		CutOverLockTimeout: 3 * time.Second,
		DefaultRetries:     60,
		BackoffMaxInterval: 64 * time.Second,
		ReplicaServerID:    99999,
		StatusInterval:     5 * time.Second,

		ThrottleAdditionalFlagFile: "/tmp/ghost.throttle",
		ThrottleHTTPInterval:       100 * time.Millisecond,
		ThrottleHTTPTimeout:        time.Second,
		HooksStatusInterval:        60 * time.Second,
	}
}

// ErrInvalid marks a configuration error.
var ErrInvalid = errors.New("invalid configuration")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Validate checks what can be checked without a server.
func (c *Config) Validate() error {
	switch {
	case c.Host == "":
		return invalid("--host is required")
	case c.Database == "":
		return invalid("--database is required")
	case c.Table == "":
		return invalid("--table is required")
	case strings.TrimSpace(c.Alter) == "":
		return invalid("--alter is required")
	case c.ChunkSize < MinChunkSize || c.ChunkSize > MaxChunkSize:
		return invalid("--chunk-size must be between %d and %d, got %d", MinChunkSize, MaxChunkSize, c.ChunkSize)
	case c.DMLBatchSize < 1 || c.DMLBatchSize > 10000:
		return invalid("--dml-batch-size must be between 1 and 10000, got %d", c.DMLBatchSize)
	case c.MaxLag < 100*time.Millisecond:
		return invalid("--max-lag-millis must be at least 100")
	case c.HeartbeatInterval < 10*time.Millisecond || c.HeartbeatInterval > time.Minute:
		return invalid("--heartbeat-interval-millis must be between 10 and 60000")
	case c.CutOver != CutOverAtomic && c.CutOver != CutOverTwoStep:
		return invalid("--cut-over must be atomic or two-step, got %q", c.CutOver)
	case c.CutOverLockTimeout < time.Second || c.CutOverLockTimeout > 10*time.Second:
		return invalid("--cut-over-lock-timeout-seconds must be between 1 and 10")
	case c.DefaultRetries < 1:
		return invalid("--default-retries must be at least 1")
	case c.Threads < 1 || c.Threads > 64:
		return invalid("--threads must be between 1 and 64")
	case c.TargetChunkTime < 0 || c.TargetChunkTime > time.Minute:
		return invalid("--target-chunk-time must be between 0 (off) and 1m")
	case c.NiceRatio < 0 || c.NiceRatio > 100:
		return invalid("--nice-ratio must be between 0 and 100")
	case c.TestOnReplica && c.MigrateOnReplica, c.TestOnReplica && c.AllowOnMaster, c.MigrateOnReplica && c.AllowOnMaster:
		return invalid("--test-on-replica, --migrate-on-replica and --allow-on-master exclude each other")
	case c.TestOnReplicaSkipReplicaStop && !c.TestOnReplica:
		return invalid("--test-on-replica-skip-replica-stop needs --test-on-replica")
	case c.ServeTCPPort < 0 || c.ServeTCPPort > 65535:
		return invalid("--serve-tcp-port must be a port number")
	case c.CriticalLoadInterval < 0 || c.CriticalLoadHibernate < 0 || c.HooksStatusInterval < 0:
		return invalid("durations must not be negative")
	case c.ApproveRenamedColumns && c.SkipRenamedColumns:
		return invalid("--approve-renamed-columns and --skip-renamed-columns exclude each other")
	case c.ReplicaServerID == 0:
		return invalid("--replica-server-id must not be 0")
	case c.MySQLTimeout < 0:
		return invalid("--mysql-timeout must not be negative")
	}
	if c.ForceTableNames != "" && len(c.ForceTableNames)+5 > 64 {
		return invalid("--force-table-names %q is too long: ghost needs 5 more characters for _%s_gho", c.ForceTableNames, c.ForceTableNames)
	}
	if len(c.tableBase())+5 > 64 {
		return invalid("table name %q is too long: ghost needs 5 more characters for _%s_gho; name ghost's tables with a shorter --force-table-names", c.Table, c.Table)
	}
	return nil
}

// PrimaryCredentials are the user and password of connections to the primary when
// it is another server than Host: --master-user and --master-password where given.
func (c *Config) PrimaryCredentials() (user, password string) {
	user, password = c.User, c.Password
	if c.MasterUser != "" {
		user = c.MasterUser
	}
	if c.MasterPassword != "" {
		password = c.MasterPassword
	}
	return user, password
}

// tableBase is what ghost's table names are made of: --force-table-names or the table.
func (c *Config) tableBase() string {
	if c.ForceTableNames != "" {
		return c.ForceTableNames
	}
	return c.Table
}

// GhostTable is the name of the ghost table.
func (c *Config) GhostTable() string { return "_" + c.tableBase() + "_gho" }

// ChangelogTable is the name of the changelog table.
func (c *Config) ChangelogTable() string { return "_" + c.tableBase() + "_ghc" }

// OldTable is the name the original table gets at cut-over.
func (c *Config) OldTable() string {
	if c.TimestampOldTable {
		return fmt.Sprintf("_%s_%s_del", c.tableBase(), c.Now.UTC().Format("20060102150405"))
	}
	return "_" + c.tableBase() + "_del"
}

// Tunables are the settings that may change while a migration runs. Safe for
// concurrent use.
type Tunables struct {
	chunkSize    atomic.Int64
	dmlBatchSize atomic.Int64
	maxLag       atomic.Int64
	niceRatio    atomic.Uint64
}

// NewTunables starts from the configuration.
func NewTunables(c Config) *Tunables {
	t := &Tunables{}
	t.chunkSize.Store(c.ChunkSize)
	t.dmlBatchSize.Store(c.DMLBatchSize)
	t.maxLag.Store(int64(c.MaxLag))
	t.SetNiceRatio(c.NiceRatio)
	return t
}

func (t *Tunables) ChunkSize() int64          { return t.chunkSize.Load() }
func (t *Tunables) SetChunkSize(n int64)      { t.chunkSize.Store(n) }
func (t *Tunables) DMLBatchSize() int64       { return t.dmlBatchSize.Load() }
func (t *Tunables) SetDMLBatchSize(n int64)   { t.dmlBatchSize.Store(n) }
func (t *Tunables) MaxLag() time.Duration     { return time.Duration(t.maxLag.Load()) }
func (t *Tunables) SetMaxLag(d time.Duration) { t.maxLag.Store(int64(d)) }
func (t *Tunables) NiceRatio() float64        { return math.Float64frombits(t.niceRatio.Load()) }
func (t *Tunables) SetNiceRatio(r float64)    { t.niceRatio.Store(math.Float64bits(r)) }
