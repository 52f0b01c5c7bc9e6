package config

import (
	"crypto/tls"
	"errors"
	"fmt"
	"regexp"
	"strings"
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
	// Tungsten: --host is replicated by Tungsten replicator, which applies the primary's
	// changes as a client (binlogged without log_slave_updates); needs AssumeMasterHost.
	Tungsten bool
	// MasterUser and MasterPassword, when set, replace User and Password for the
	// connections to the primary when it is another server than Host.
	MasterUser     string
	MasterPassword string
	// MySQLTimeout, when positive, is the connect, read and write timeout of every
	// connection to the servers (--mysql-timeout).
	MySQLTimeout time.Duration
	// TLS is what the --ssl flags ask for. ClientTLS is it loaded (LoadTLS): the TLS
	// configuration of every connection to the servers, nil for plain connections.
	TLS       TLSOptions
	ClientTLS *tls.Config

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
	// ForceCutOverAfter, when set, kills the sessions that block the cut-over's lock once
	// the cut-over has waited this long for them (off: wait as long as they live).
	ForceCutOverAfter time.Duration
	// PanicOnWarnings stops the migration when a copy or apply statement leaves a warning.
	PanicOnWarnings bool
	// AllowZeroInDate creates and alters the ghost table without NO_ZERO_DATE and
	// NO_ZERO_IN_DATE in the server's sql_mode.
	AllowZeroInDate bool
	// DiscardForeignKeys migrates a table that has foreign keys to a new table without them.
	DiscardForeignKeys bool
	// Checkpoint records the migration's progress in the checkpoint table every
	// CheckpointInterval, so that a run after a crash resumes from there (on by default).
	Checkpoint         bool
	CheckpointInterval time.Duration
	// Resume makes resuming from a checkpoint mandatory: fail when there is none to resume.
	Resume bool
	// Copy is how chunks read the original: "snapshot" (a consistent read, no row locks) or
	// "locking" (a shared-lock read, gh-ost's way).
	Copy string
	// SnapshotMaxAge bounds the age of a snapshot chunk's read view: a chunk that reads longer
	// is stopped by the server (MariaDB) and copied in smaller parts. Zero: no bound.
	SnapshotMaxAge time.Duration
	// ChecksumSnapshotMaxAge bounds how long the checksum reads at one consistent point; past
	// it, the next chunks are checked at a new point. Zero: one point for all.
	ChecksumSnapshotMaxAge time.Duration
	// BackfillSet and BackfillWhere describe a ghost backfill's UPDATE (SET list, row filter).
	BackfillSet, BackfillWhere string
	// TargetSchema is the CREATE TABLE the table should have (--target-schema FILE's text):
	// the ALTER is computed from it (go/target).
	TargetSchema string
	// AttemptInstantDDL runs the ALTER with ALGORITHM=INSTANT on the table itself when the
	// server can (gh-ost's flag), and copies otherwise.
	AttemptInstantDDL bool
	// MetricsAddress, when set, serves Prometheus metrics on host:port/metrics.
	MetricsAddress string
	// StatusFormat is how status lines are printed: "text" (gh-ost's line) or "json".
	StatusFormat string
	// Checksum compares the ghost table with the original at a consistent point before the
	// cut-over and repairs what differs, in up to ChecksumRepairRounds rounds (on by default).
	Checksum             bool
	ChecksumRepairRounds int
	// Revert swaps back the table a finished migration left under the old name (RevertOldTable,
	// "": the one its swap record names), after applying every change made since the swap.
	Revert         bool
	RevertOldTable string
	// KeepOldTableInSync keeps ghost running this long after the cut-over, applying the new
	// table's changes to the old one, so that the socket command revert swaps back at once.
	KeepOldTableInSync time.Duration
	// GhostVersion is ghost's version, recorded with checkpoints.
	GhostVersion string
	// AllowNullableUniqueKey lets the shared key have nullable columns when no NOT NULL
	// key is usable; the migration stops if the key holds or receives a NULL.
	AllowNullableUniqueKey bool
	// AnalyzeGhostTable runs ANALYZE TABLE on the ghost table before the cut-over.
	AnalyzeGhostTable bool
	// IncludeTriggers carries the original's triggers over to the new table at the cut-over,
	// named with TriggerSuffix appended (or, with RemoveTriggerSuffixIfExists, removed from a
	// name that ends with it).
	IncludeTriggers             bool
	TriggerSuffix               string
	RemoveTriggerSuffixIfExists bool
	// AllowSetupMetadataLockInstruments lets ghost load MariaDB's metadata_lock_info plugin
	// so that it sees exactly which sessions hold the table (gh-ost's flag name).
	AllowSetupMetadataLockInstruments bool

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

	// StatsD (docs/metrics.md): the agent's address, host:port or unix:///path ("": send
	// nothing), tags added to every metric, and how often the Go runtime gauges are sent
	// (0: never).
	StatsdAddr             string
	StatsdTags             []string
	RuntimeMetricsInterval time.Duration

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

	// StorageEngine is the engine of the migrated table: "innodb" (the default) or
	// "rocksdb" (MyRocks), gh-ost's --storage-engine.
	StorageEngine string

	// SwitchToRBR switches the inspected server's binlog_format to ROW when it is not, and
	// restarts replication on a replica so that its SQL thread logs rows (gh-ost's flag).
	SwitchToRBR bool

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

// Bounds of the other settings an operator can change at run time; the flags and the socket's
// commands check the same ones.
const (
	MinDMLBatchSize = 1
	MaxDMLBatchSize = 10000
	MinMaxLag       = 100 * time.Millisecond
	MaxNiceRatio    = 100
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

		RuntimeMetricsInterval: 10 * time.Second,
		StorageEngine:          EngineInnoDB,
		Checkpoint:             true,
		CheckpointInterval:     10 * time.Second,
		Checksum:               true,
		StatusFormat:           "text",
		Copy:                   CopySnapshot,
		SnapshotMaxAge:         5 * time.Second,
		ChecksumSnapshotMaxAge: time.Minute,
		ChecksumRepairRounds:   3,

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
	case strings.TrimSpace(c.Alter) != "" && c.TargetSchema != "":
		return invalid("--alter and --target-schema exclude each other: the ALTER is computed from the target")
	case strings.TrimSpace(c.Alter) == "" && !c.Revert && c.TargetSchema == "" && c.BackfillSet == "":
		return invalid("--alter is required (or --target-schema FILE)")
	case strings.TrimSpace(c.Alter) != "" && c.Revert:
		return invalid("--revert takes the ALTER from the migration it reverts (its swap record in the checkpoint table): drop --alter")
	case c.RevertOldTable != "" && !c.Revert:
		return invalid("--old-table names the table a --revert brings back: it needs --revert")
	case c.Revert && (c.TestOnReplica || c.IncludeTriggers || c.Resume || c.InitiallyDropGhostTable || c.InitiallyDropOldTable || c.KeepOldTableInSync != 0):
		return invalid("--revert does not combine with --test-on-replica, --include-triggers, --resume, --initially-drop-ghost-table, --initially-drop-old-table or --keep-old-table-in-sync")
	case c.Copy != CopySnapshot && c.Copy != CopyLocking:
		return invalid("--copy must be snapshot or locking, got %q", c.Copy)
	case c.SnapshotMaxAge != 0 && (c.SnapshotMaxAge < 100*time.Millisecond || c.SnapshotMaxAge > time.Hour):
		return invalid("--snapshot-max-age must be 0 (no bound) or between 100ms and 1h, got %s", c.SnapshotMaxAge)
	case c.ChecksumSnapshotMaxAge != 0 && (c.ChecksumSnapshotMaxAge < 100*time.Millisecond || c.ChecksumSnapshotMaxAge > 24*time.Hour):
		return invalid("--checksum-snapshot-max-age must be 0 (one consistent point) or between 100ms and 24h, got %s", c.ChecksumSnapshotMaxAge)
	case c.StatusFormat != "text" && c.StatusFormat != "json":
		return invalid("--status-format must be text or json, got %q", c.StatusFormat)
	case c.ChecksumRepairRounds < 0 || c.ChecksumRepairRounds > 100:
		return invalid("--checksum-repair-rounds must be between 0 and 100")
	case c.KeepOldTableInSync < 0 || c.KeepOldTableInSync > 7*24*time.Hour:
		return invalid("--keep-old-table-in-sync must be between 0 (off) and 168h")
	case c.KeepOldTableInSync > 0 && (c.OkToDropTable || c.TestOnReplica || c.IncludeTriggers):
		return invalid("--keep-old-table-in-sync keeps the old table for a revert: it does not combine with --ok-to-drop-table, --test-on-replica or --include-triggers")
	case c.ChunkSize < MinChunkSize || c.ChunkSize > MaxChunkSize:
		return invalid("--chunk-size must be between %d and %d, got %d", MinChunkSize, MaxChunkSize, c.ChunkSize)
	case c.DMLBatchSize < MinDMLBatchSize || c.DMLBatchSize > MaxDMLBatchSize:
		return invalid("--dml-batch-size must be between %d and %d, got %d", MinDMLBatchSize, MaxDMLBatchSize, c.DMLBatchSize)
	case c.MaxLag < MinMaxLag:
		return invalid("--max-lag-millis must be at least %d", MinMaxLag.Milliseconds())
	case c.HeartbeatInterval < 10*time.Millisecond || c.HeartbeatInterval > time.Minute:
		return invalid("--heartbeat-interval-millis must be between 10 and 60000")
	case c.CutOver != CutOverAtomic && c.CutOver != CutOverTwoStep:
		return invalid("--cut-over must be atomic or two-step, got %q", c.CutOver)
	case c.CutOverLockTimeout < time.Second || c.CutOverLockTimeout > 10*time.Second:
		return invalid("--cut-over-lock-timeout-seconds must be between 1 and 10")
	case c.DefaultRetries < 1:
		return invalid("--default-retries must be at least 1")
	case c.IncludeTriggers && c.TriggerSuffix == "":
		return invalid("--include-triggers needs --trigger-suffix: the new table's triggers need names of their own while the original's exist")
	case c.TriggerSuffix != "" && !triggerSuffix.MatchString(c.TriggerSuffix):
		return invalid("--trigger-suffix %q may hold only letters, digits and _", c.TriggerSuffix)
	case !c.IncludeTriggers && (c.TriggerSuffix != "" || c.RemoveTriggerSuffixIfExists):
		return invalid("--trigger-suffix and --remove-trigger-suffix-if-exists need --include-triggers")
	case c.ForceCutOverAfter < 0:
		return invalid("--force-cut-over-after must not be negative")
	case c.Threads < 1 || c.Threads > 64:
		return invalid("--threads must be between 1 and 64")
	case c.TargetChunkTime < 0 || c.TargetChunkTime > time.Minute:
		return invalid("--target-chunk-time must be between 0 (off) and 1m")
	case c.NiceRatio < 0 || c.NiceRatio > MaxNiceRatio:
		return invalid("--nice-ratio must be between 0 and %d", MaxNiceRatio)
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
	case c.StorageEngine != EngineInnoDB && c.StorageEngine != EngineRocksDB:
		return invalid("--storage-engine must be innodb or rocksdb, got %q", c.StorageEngine)
	case c.Checkpoint && (c.CheckpointInterval < time.Second || c.CheckpointInterval > time.Hour):
		return invalid("--checkpoint-seconds must be between 1 and 3600")
	case c.Tungsten && c.AssumeMasterHost == "":
		return invalid("--tungsten needs --assume-master-host: the primary cannot be found through Tungsten replicator; name it")
	case c.Resume && c.InitiallyDropGhostTable:
		return invalid("--resume and --initially-drop-ghost-table exclude each other: one resumes the ghost table, the other drops it")
	case c.RuntimeMetricsInterval < 0:
		return invalid("--runtime-metrics-interval must not be negative (0 sends no runtime metrics)")
	}
	if err := c.TLS.validate(); err != nil {
		return err
	}
	if c.ForceTableNames != "" && len(c.ForceTableNames)+5 > 64 {
		return invalid("--force-table-names %q is too long: ghost needs 5 more characters for _%s_gho", c.ForceTableNames, c.ForceTableNames)
	}
	if len(c.tableBase())+5 > 64 {
		return invalid("table name %q is too long: ghost needs 5 more characters for _%s_gho; name ghost's tables with a shorter --force-table-names", c.Table, c.Table)
	}
	return nil
}

// LoadTLS reads the files TLS names into ClientTLS.
func (c *Config) LoadTLS() error {
	var err error
	c.ClientTLS, err = c.TLS.Load()
	return err
}

var triggerSuffix = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// The row copies --copy names (docs/copy-and-apply.md).
const (
	CopySnapshot = "snapshot"
	CopyLocking  = "locking"
)

// The engines --storage-engine names, as gh-ost spells them.
const (
	EngineInnoDB  = "innodb"
	EngineRocksDB = "rocksdb"
)

// TableEngine is the engine name the server reports for a table of StorageEngine
// (information_schema.TABLES.ENGINE).
func (c *Config) TableEngine() string {
	if c.StorageEngine == EngineRocksDB {
		return "ROCKSDB"
	}
	return "InnoDB"
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

// CheckpointTable is the name of the checkpoint table.
func (c *Config) CheckpointTable() string { return "_" + c.tableBase() + "_ghk" }

// RevertSentryTable is the name the table being replaced takes for an instant during a revert's
// swap (t -> _t_rev, _t_del -> t, _t_rev -> _t_del), held by the cut-over's sentry until then.
func (c *Config) RevertSentryTable() string { return "_" + c.tableBase() + "_rev" }

// BackfillTable is the name of a backfill's checkpoint table: apart from _t_ghk, which may
// hold a finished migration's swap record.
func (c *Config) BackfillTable() string { return "_" + c.tableBase() + "_bfk" }

// PlanTable is the name of the empty copy a plan tries the ALTER's algorithms on.
func (c *Config) PlanTable() string { return "_" + c.tableBase() + "_gpl" }

// ChangelogTable is the name of the changelog table.
func (c *Config) ChangelogTable() string { return "_" + c.tableBase() + "_ghc" }

// OldTable is the name the original table gets at cut-over.
func (c *Config) OldTable() string {
	if c.TimestampOldTable {
		return fmt.Sprintf("_%s_%s_del", c.tableBase(), c.Now.UTC().Format("20060102150405"))
	}
	return "_" + c.tableBase() + "_del"
}
