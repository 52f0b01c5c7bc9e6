package cutover

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Blocker is another session that holds a lock the cut-over needs: a metadata lock on one of
// the tables the swap takes (held by any transaction that touched the table until it ends, by
// LOCK TABLES, by a running statement), or a global lock (FLUSH TABLES WITH READ LOCK, a backup
// stage). While one is there, LOCK TABLES ... WRITE would wait behind it and every reader and
// writer of the table would queue behind that pending lock: the outage the cut-over must avoid.
type Blocker struct {
	ID    int64
	User  string
	Host  string
	Age   time.Duration // how long its transaction (or, without one, its current state) has lasted
	Query string        // the statement it runs now; "" when idle in a transaction
	What  string        // what it holds: "a lock on db.t", "a global read lock", "a transaction"
}

// String is the blocker as the status line and the log name it.
func (b Blocker) String() string {
	s := fmt.Sprintf("connection %d (%s@%s) holding %s for %s", b.ID, b.User, b.Host, b.What, b.Age.Round(time.Second))
	if q := strings.Join(strings.Fields(b.Query), " "); q != "" {
		if len(q) > 120 {
			q = q[:120] + "..."
		}
		s += ": " + q
	}
	return s
}

// DetectMode is how blockers are found on a server.
type DetectMode int

const (
	// DetectMetadataLocks reads the granted metadata locks: exact. MariaDB's
	// information_schema.METADATA_LOCK_INFO (the metadata_lock_info plugin), MySQL's
	// performance_schema.metadata_locks.
	DetectMetadataLocks DetectMode = iota
	// DetectTransactions counts every InnoDB transaction older than the minimum age as a
	// possible blocker: without the metadata locks the server does not say which tables a
	// transaction touched, so this is the safe side (it can wait for a transaction that
	// does not touch the table; it never locks into one that does).
	DetectTransactions
)

func (d DetectMode) String() string {
	if d == DetectMetadataLocks {
		return "metadata locks"
	}
	return "transactions (approximate)"
}

// Detector finds the sessions that would block a cut-over of its tables.
type Detector struct {
	db     *sql.DB
	flavor dbconn.Flavor
	schema string
	names  []string
	minAge time.Duration
	mode   DetectMode
}

// DetectorConfig says where to look.
type DetectorConfig struct {
	DB     *sql.DB
	Flavor dbconn.Flavor
	// Tables are every table the swap takes a lock on (the original, the ghost table, the
	// old table's name); they must be in one schema.
	Tables []sqlgen.Table
	// MinAge: sessions younger than this are ordinary short transactions, not blockers.
	MinAge time.Duration
	// SetupInstruments allows loading MariaDB's metadata_lock_info plugin when it is not
	// loaded (gh-ost's --allow-setup-metadata-lock-instruments).
	SetupInstruments bool
}

// NewDetector picks the best way the server offers to see blockers.
func NewDetector(ctx context.Context, cfg DetectorConfig) (*Detector, error) {
	d := &Detector{db: cfg.DB, flavor: cfg.Flavor, minAge: cfg.MinAge, mode: DetectTransactions}
	for _, t := range cfg.Tables {
		d.schema = t.Schema
		d.names = append(d.names, t.Name)
	}
	ok, err := d.metadataLocksAvailable(ctx)
	if err != nil {
		return nil, err
	}
	if !ok && cfg.SetupInstruments && cfg.Flavor == dbconn.MariaDB {
		if _, err := cfg.DB.ExecContext(ctx, "INSTALL SONAME 'metadata_lock_info'"); err != nil {
			return nil, fmt.Errorf("load the metadata_lock_info plugin (--allow-setup-metadata-lock-instruments): %w", err)
		}
		if ok, err = d.metadataLocksAvailable(ctx); err != nil {
			return nil, err
		}
	}
	if ok {
		d.mode = DetectMetadataLocks
	}
	return d, nil
}

// Mode is how this detector finds blockers.
func (d *Detector) Mode() DetectMode { return d.mode }

// metadataLocksAvailable: MariaDB needs the metadata_lock_info plugin loaded; MySQL needs the
// performance schema on with the metadata lock instrument enabled (the default since 8.0).
func (d *Detector) metadataLocksAvailable(ctx context.Context) (bool, error) {
	var n int
	var err error
	if d.flavor == dbconn.MariaDB {
		err = d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.PLUGINS
			WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'`).Scan(&n)
	} else {
		var ps int
		if err = d.db.QueryRowContext(ctx, "SELECT @@performance_schema").Scan(&ps); err != nil || ps == 0 {
			return false, nil
		}
		err = d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM performance_schema.setup_instruments
			WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES'`).Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("look for metadata lock information: %w", err)
	}
	return n > 0, nil
}

// Find returns the blockers now, oldest first.
func (d *Detector) Find(ctx context.Context) ([]Blocker, error) {
	q, args := d.query()
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("look for sessions blocking the cut-over: %w", err)
	}
	defer rows.Close()
	seen := map[int64]bool{}
	var out []Blocker
	for rows.Next() {
		var b Blocker
		var ageMicros int64
		if err := rows.Scan(&b.ID, &b.User, &b.Host, &b.Query, &ageMicros, &b.What); err != nil {
			return nil, fmt.Errorf("read blocking sessions: %w", err)
		}
		b.Age = time.Duration(ageMicros) * time.Microsecond
		if b.Age < d.minAge {
			continue
		}
		if seen[b.ID] {
			continue // one session can hold several of the locks
		}
		seen[b.ID] = true
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read blocking sessions: %w", err)
	}
	return out, nil
}

func (d *Detector) tableList() (string, []any) {
	marks := make([]string, len(d.names))
	args := []any{d.schema}
	for i, n := range d.names {
		marks[i] = "?"
		args = append(args, n)
	}
	return strings.Join(marks, ", "), args
}

// query builds the statement for the detector's mode and flavour. Each returns
// (id, user, host, statement, age in microseconds, what it holds).
func (d *Detector) query() (string, []any) {
	in, args := d.tableList()
	switch {
	case d.mode == DetectMetadataLocks && d.flavor == dbconn.MariaDB:
		// Why these backup lock modes: MariaDB 10.4+ implements FLUSH TABLES WITH READ LOCK
		// and BACKUP STAGE as locks of the backup namespace; FTWRL1/FTWRL2 (the read lock),
		// BLOCK_DDL and the WAIT_* stages stop the RENAME or the writes the cut-over needs.
		// Ordinary statements hold MDL_BACKUP_DML / TRANS_DML / DDL there: not blockers.
		// The age is the transaction's (a table lock is held until it ends), else the time in
		// the current state (LOCK TABLES or FTWRL without a transaction).
		return `SELECT m.THREAD_ID, COALESCE(p.USER, ''), COALESCE(p.HOST, ''), COALESCE(p.INFO, ''),
			CAST(GREATEST(COALESCE(TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)), 0), COALESCE(p.TIME_MS, 0) * 1000) AS SIGNED),
			CASE WHEN m.LOCK_TYPE = 'Table metadata lock' THEN CONCAT('a lock on ', m.TABLE_SCHEMA, '.', m.TABLE_NAME)
			     WHEN m.LOCK_MODE LIKE 'MDL_BACKUP_FTWRL%' THEN 'a global read lock'
			     ELSE CONCAT('a backup lock (', m.LOCK_MODE, ')') END
			FROM information_schema.METADATA_LOCK_INFO m
			LEFT JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID
			LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = m.THREAD_ID
			WHERE m.THREAD_ID <> CONNECTION_ID() AND (
			  (m.LOCK_TYPE = 'Table metadata lock' AND m.TABLE_SCHEMA = ? AND m.TABLE_NAME IN (` + in + `))
			  OR (m.LOCK_TYPE = 'Backup lock' AND (m.LOCK_MODE LIKE 'MDL_BACKUP_FTWRL%' OR m.LOCK_MODE LIKE 'MDL_BACKUP_WAIT%'
			      OR m.LOCK_MODE = 'MDL_BACKUP_BLOCK_DDL')))
			ORDER BY 5 DESC`, args
	case d.mode == DetectMetadataLocks:
		// MySQL: granted metadata locks on the tables, the global read lock (FTWRL holds
		// GLOBAL SHARED) and LOCK INSTANCE FOR BACKUP (BACKUP LOCK). Not tested here: no
		// MySQL server on the development machines (the Docker path of go/topology).
		return `SELECT th.PROCESSLIST_ID, COALESCE(th.PROCESSLIST_USER, ''), COALESCE(th.PROCESSLIST_HOST, ''),
			COALESCE(th.PROCESSLIST_INFO, ''),
			CAST(GREATEST(COALESCE(TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)), 0), COALESCE(th.PROCESSLIST_TIME, 0) * 1000000) AS SIGNED),
			CASE WHEN m.OBJECT_TYPE = 'TABLE' THEN CONCAT('a lock on ', m.OBJECT_SCHEMA, '.', m.OBJECT_NAME)
			     WHEN m.OBJECT_TYPE = 'GLOBAL' THEN 'a global read lock' ELSE 'a backup lock' END
			FROM performance_schema.metadata_locks m
			JOIN performance_schema.threads th ON th.THREAD_ID = m.OWNER_THREAD_ID
			LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = th.PROCESSLIST_ID
			WHERE m.LOCK_STATUS = 'GRANTED' AND th.PROCESSLIST_ID IS NOT NULL AND th.PROCESSLIST_ID <> CONNECTION_ID() AND (
			  (m.OBJECT_TYPE = 'TABLE' AND m.OBJECT_SCHEMA = ? AND m.OBJECT_NAME IN (` + in + `))
			  OR (m.OBJECT_TYPE = 'GLOBAL' AND m.LOCK_TYPE = 'SHARED')
			  OR m.OBJECT_TYPE = 'BACKUP LOCK')
			ORDER BY 5 DESC`, args
	}
	// Both flavours have INNODB_TRX and PROCESSLIST; the arguments are unused here.
	return `SELECT t.trx_mysql_thread_id, COALESCE(p.USER, ''), COALESCE(p.HOST, ''), COALESCE(p.INFO, ''),
		TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)), 'a transaction'
		FROM information_schema.INNODB_TRX t
		LEFT JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
		WHERE t.trx_mysql_thread_id <> CONNECTION_ID()
		ORDER BY 5 DESC`, nil
}

// Kill ends a blocker's connection, rolling its transaction back.
func Kill(ctx context.Context, db *sql.DB, b Blocker) error {
	if _, err := db.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", b.ID)); err != nil && !dbconn.Is(err, dbconn.ErrNoSuchThread) {
		return fmt.Errorf("kill connection %d: %w", b.ID, err)
	}
	return nil
}
