// Package checkpoint owns the _t_ghk table: where a migration records how far it got, so that
// a run after a crash resumes instead of starting from row zero.
//
// A checkpoint is only written when it is true: every chunk up to the copy position has
// committed, and every change of the binlog before the binlog position has been applied to
// the ghost table (or was left to a chunk that copied its row later). Resuming streams the
// binlog again from that position and copies on from the copy position; replaying changes
// the ghost table already holds is harmless, because the applier writes each row's final
// image by key, and a chunk replaces its whole key range.
package checkpoint

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/go-sql-driver/mysql"
)

// Format is the version of what a checkpoint holds; a checkpoint of another format is
// not resumed. (2: the swap record's fields.)
const Format = 2

// Checkpoint is one record of progress.
type Checkpoint struct {
	Written time.Time
	// What identifies the migration.
	Format      int
	Version     string // ghost's version that wrote it
	Database    string
	Table       string
	Alter       string // the ALTER as given
	OrigSchema  string // SHOW CREATE TABLE of the original table, normalised (Normalise)
	GhostSchema string // the same of the ghost table
	KeyName     string // the shared key the copy iterates
	// The server whose binlog is read: a position means something on it only.
	ServerID   uint32
	ServerAddr string
	// Copy position: every chunk up to and including CopyUpper has committed (nil: none
	// has yet); CopyDone: every chunk of the table has.
	CopyUpper []any
	CopyDone  bool
	// Binlog position up to which every change is applied, and the GTID position there:
	// on MariaDB every domain's last GTID (BINLOG_GTID_POS's form), from which any server of
	// the topology can be read; on MySQL the last transaction's GTID, for the operator.
	BinlogFile string
	BinlogPos  uint32
	GTID       string
	// Counters when it was written.
	RowsCopied    int64
	Chunks        int64
	EventsApplied int64
	// A swap record (SwappedAt set) is what a finished migration leaves for a revert: the
	// tables were swapped at SwappedAt, at the binlog position above (no change of Table lies
	// between it and the swap); OrigSchema is the old table's (OldTable) and GhostSchema the
	// table's since. Reverted: the swap brought back the schema before Alter.
	SwappedAt time.Time
	OldTable  string
	Reverted  bool
}

// Swapped tells a swap record from a checkpoint of a migration in progress.
func (c Checkpoint) Swapped() bool { return !c.SwappedAt.IsZero() }

// Store reads and writes the checkpoint table.
type Store struct {
	db    *sql.DB
	table sqlgen.Table
}

// New binds a checkpoint table on the primary.
func New(db *sql.DB, table sqlgen.Table) *Store { return &Store{db: db, table: table} }

// Table is the checkpoint table.
func (s *Store) Table() sqlgen.Table { return s.table }

// Create creates the table if it is not there.
func (s *Store) Create(ctx context.Context) error {
	q := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  id TINYINT UNSIGNED NOT NULL,
  written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  format INT NOT NULL,
  ghost_version VARCHAR(64) NOT NULL,
  database_name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  table_name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  alter_statement MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL,
  orig_schema MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL,
  ghost_schema MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL,
  key_name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,
  server_id INT UNSIGNED NOT NULL,
  server_addr VARCHAR(300) NOT NULL,
  copy_upper MEDIUMTEXT CHARACTER SET ascii NULL,
  copy_done TINYINT NOT NULL,
  binlog_file VARCHAR(255) NOT NULL,
  binlog_pos BIGINT UNSIGNED NOT NULL,
  gtid VARCHAR(4096) CHARACTER SET ascii NOT NULL,
  rows_copied BIGINT NOT NULL,
  chunks BIGINT NOT NULL,
  events_applied BIGINT NOT NULL,
  swapped_at TIMESTAMP(6) NULL DEFAULT NULL,
  old_table VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL DEFAULT '',
  reverted TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB COMMENT='ghost checkpoint'`, s.table)
	if _, err := s.db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create checkpoint table %s: %w", s.table, err)
	}
	return nil
}

// Write records c as the latest checkpoint.
func (s *Store) Write(ctx context.Context, c Checkpoint) error {
	var upper any
	if c.CopyUpper != nil {
		b, err := EncodeKey(c.CopyUpper)
		if err != nil {
			return err
		}
		upper = b
	}
	var swapped any
	if c.Swapped() {
		swapped = c.SwappedAt.UTC().Format(timeFormat)
	}
	q := fmt.Sprintf(`REPLACE INTO %s (id, written_at, format, ghost_version, database_name, table_name, alter_statement,
  orig_schema, ghost_schema, key_name, server_id, server_addr, copy_upper, copy_done, binlog_file, binlog_pos, gtid, rows_copied,
  chunks, events_applied, swapped_at, old_table, reverted) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.table)
	_, err := s.db.ExecContext(ctx, q, c.Written.UTC().Format(timeFormat), Format, c.Version, c.Database, c.Table,
		c.Alter, c.OrigSchema, c.GhostSchema, c.KeyName, c.ServerID, c.ServerAddr, upper, c.CopyDone, c.BinlogFile, c.BinlogPos, c.GTID,
		c.RowsCopied, c.Chunks, c.EventsApplied, swapped, c.OldTable, c.Reverted)
	if err != nil {
		return fmt.Errorf("write checkpoint to %s: %w", s.table, err)
	}
	return nil
}

const timeFormat = "2006-01-02 15:04:05.999999"

// ErrNone means the table holds no checkpoint.
var ErrNone = errors.New("no checkpoint")

// Read returns the latest checkpoint, or ErrNone.
func (s *Store) Read(ctx context.Context) (Checkpoint, error) {
	q := fmt.Sprintf(`SELECT DATE_FORMAT(written_at, '%%Y-%%m-%%d %%H:%%i:%%s.%%f'), format, ghost_version, database_name, table_name,
  alter_statement, orig_schema, ghost_schema, key_name, server_id, server_addr, copy_upper, copy_done, binlog_file, binlog_pos, gtid, rows_copied,
  chunks, events_applied, DATE_FORMAT(swapped_at, '%%Y-%%m-%%d %%H:%%i:%%s.%%f'), old_table, reverted FROM %s WHERE id = 1`, s.table)
	var c Checkpoint
	var written string
	var upper, swapped sql.NullString
	err := s.db.QueryRowContext(ctx, q).Scan(&written, &c.Format, &c.Version, &c.Database, &c.Table, &c.Alter, &c.OrigSchema, &c.GhostSchema,
		&c.KeyName, &c.ServerID, &c.ServerAddr, &upper, &c.CopyDone, &c.BinlogFile, &c.BinlogPos, &c.GTID, &c.RowsCopied,
		&c.Chunks, &c.EventsApplied, &swapped, &c.OldTable, &c.Reverted)
	if errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{}, ErrNone
	}
	if err != nil {
		var me *mysql.MySQLError
		if errors.As(err, &me) && me.Number == errBadField {
			return Checkpoint{}, fmt.Errorf("%w: %s was written by an older ghost (%v)", ErrOldFormat, s.table, err)
		}
		return Checkpoint{}, fmt.Errorf("read checkpoint from %s: %w", s.table, err)
	}
	if c.Written, err = time.ParseInLocation(timeFormat, written, time.UTC); err != nil {
		return Checkpoint{}, fmt.Errorf("read checkpoint from %s: time %q: %w", s.table, written, err)
	}
	if swapped.Valid {
		if c.SwappedAt, err = time.ParseInLocation(timeFormat, swapped.String, time.UTC); err != nil {
			return Checkpoint{}, fmt.Errorf("read checkpoint from %s: time %q: %w", s.table, swapped.String, err)
		}
	}
	if upper.Valid {
		if c.CopyUpper, err = DecodeKey(upper.String); err != nil {
			return Checkpoint{}, fmt.Errorf("read checkpoint from %s: %w", s.table, err)
		}
	}
	return c, nil
}

// ErrOldFormat: the table was created by a ghost whose checkpoints lack columns this one reads.
var ErrOldFormat = errors.New("checkpoint table of an older format")

// errBadField is the server's "unknown column" error.
const errBadField = 1054

var autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=[0-9]+`)

// Normalise makes SHOW CREATE TABLE text comparable across runs: the table's name (the
// first line) and the AUTO_INCREMENT counter, which moves with every insert, are left out.
func Normalise(create string) string {
	if i := strings.IndexByte(create, '\n'); i >= 0 {
		create = create[i+1:]
	}
	return autoIncrement.ReplaceAllString(create, "")
}

// keyPart is one value of a key tuple as stored: its Go type and its text.
type keyPart struct {
	T string `json:"t"` // i: int64, u: uint64, b: bytes (base64), s: string
	V string `json:"v"`
}

// EncodeKey turns a key tuple (as the copier reads them: int64, uint64, []byte, string)
// into text that DecodeKey turns back into the same values and types.
func EncodeKey(key []any) (string, error) {
	parts := make([]keyPart, len(key))
	for i, v := range key {
		switch x := v.(type) {
		case int64:
			parts[i] = keyPart{"i", strconv.FormatInt(x, 10)}
		case uint64:
			parts[i] = keyPart{"u", strconv.FormatUint(x, 10)}
		case []byte:
			parts[i] = keyPart{"b", base64.StdEncoding.EncodeToString(x)}
		case string:
			parts[i] = keyPart{"s", x}
		default:
			return "", fmt.Errorf("checkpoint: key value %v of type %T", v, v)
		}
	}
	b, err := json.Marshal(parts)
	return string(b), err
}

// DecodeKey is the inverse of EncodeKey.
func DecodeKey(s string) ([]any, error) {
	var parts []keyPart
	if err := json.Unmarshal([]byte(s), &parts); err != nil {
		return nil, fmt.Errorf("checkpoint key %q: %w", s, err)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		var err error
		switch p.T {
		case "i":
			out[i], err = strconv.ParseInt(p.V, 10, 64)
		case "u":
			out[i], err = strconv.ParseUint(p.V, 10, 64)
		case "b":
			out[i], err = base64.StdEncoding.DecodeString(p.V)
		case "s":
			out[i] = p.V
		default:
			err = fmt.Errorf("type %q", p.T)
		}
		if err != nil {
			return nil, fmt.Errorf("checkpoint key %q: %w", s, err)
		}
	}
	return out, nil
}
