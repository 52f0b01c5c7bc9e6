package migration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/sirupsen/logrus"
)

func (m *Migration) connConfig(host string, port int) dbconn.Config {
	return dbconn.Config{Host: host, Port: port, User: m.cfg.User, Password: m.cfg.Password,
		ConnectTimeout: m.cfg.MySQLTimeout, IOTimeout: m.cfg.MySQLTimeout,
		InnoDBLockWaitTimeout: 0, MaxOpen: 5 + 2*m.cfg.Threads, TLS: m.cfg.ClientTLS}
}

func connectError(addr, user string, err error) error {
	switch {
	case dbconn.Is(err, dbconn.ErrAccessDenied):
		return hint.New(fmt.Sprintf("cannot log in to %s as %q: access denied", addr, user),
			"check --user and --password (--master-user and --master-password for the primary; or the [client] section of --conf); "+
				"a user created REQUIRE SSL logs in only with --ssl, one created REQUIRE X509 also with --ssl-cert and --ssl-key")
	case dbconn.TLSUnverified(err):
		return hint.New(fmt.Sprintf("cannot connect to %s: TLS certificate verification failed: %v", addr, err),
			"give --ssl-ca the CA that signed the server's certificate and a --host the certificate names, or skip verification with --ssl-allow-insecure")
	case errors.Is(err, dbconn.ErrClientCertRefused):
		return hint.New(fmt.Sprintf("cannot connect to %s: %v", addr, err),
			"check that --ssl-cert was signed by a CA the server trusts (its ssl_ca) and that --ssl-key is its key")
	case dbconn.TLSNotOffered(err):
		return hint.New(fmt.Sprintf("cannot connect to %s: --ssl asks for TLS but the server offers none", addr),
			"give the server ssl_cert and ssl_key, or run without --ssl")
	case dbconn.Number(err) == 0:
		return hint.New(fmt.Sprintf("cannot connect to %s: %v", addr, err), "check --host and --port and that the server is running")
	}
	return fmt.Errorf("connect to %s: %w", addr, err)
}

// inspect connects, finds the primary, and checks everything that can be checked
// before anything is created.
func (m *Migration) inspect(ctx context.Context) error {
	if !m.cfg.Revert { // a revert's ALTER is the swap record's (findSwapRecord)
		a, err := alter.Parse(m.cfg.Alter)
		if err != nil {
			return err
		}
		m.analysis = a
		if err := a.CheckTable(m.cfg.Database, m.cfg.Table, true); err != nil {
			return err
		}
		if err := a.Refusal(); err != nil {
			return err
		}
		if err := a.CheckRenames(m.cfg.ApproveRenamedColumns, m.cfg.SkipRenamedColumns); err != nil {
			return err
		}
	}

	if err := m.connect(ctx); err != nil {
		return err
	}
	if err := m.checkBinlog(ctx); err != nil {
		return err
	}
	return m.checkTable(ctx)
}

// connect opens the inspected server and finds the primary.
func (m *Migration) connect(ctx context.Context) error {
	if m.inspected != nil {
		return nil // --target-schema connected first
	}
	var err error
	icfg := m.connConfig(m.cfg.Host, m.cfg.Port)
	icfg.Database = m.cfg.Database
	m.inspected, err = dbconn.Open(ctx, icfg)
	if err != nil {
		if dbconn.Is(err, dbconn.ErrUnknownDatabase) {
			return hint.New(fmt.Sprintf("database %q does not exist on %s", m.cfg.Database, icfg.Addr()), "check --database")
		}
		return connectError(icfg.Addr(), m.cfg.User, err)
	}
	if m.inspectedInfo, err = dbconn.Inspect(ctx, m.inspected); err != nil {
		return err
	}
	return m.findPrimary(ctx)
}

// findPrimary decides where writes go: the inspected server itself with
// --allow-on-master, the host named by --assume-master-host, or the source the
// inspected replica replicates from.
func (m *Migration) findPrimary(ctx context.Context) error {
	host, port, err := m.replicationSource(ctx)
	if err != nil {
		return err
	}
	m.inspectedIsReplica = host != ""
	onReplica := m.cfg.TestOnReplica || m.cfg.MigrateOnReplica
	switch {
	case onReplica && host == "":
		return hint.New(fmt.Sprintf("%s is not a replica", m.inspectedInfo),
			"--test-on-replica and --migrate-on-replica need --host to be a replica")
	case onReplica:
		host = "" // everything happens on the inspected replica
	case m.cfg.AssumeMasterHost != "":
		h, p, err := splitHostPort(m.cfg.AssumeMasterHost, m.cfg.Port)
		if err != nil {
			return err
		}
		host, port = h, p
	case host == "" && !m.cfg.AllowOnMaster:
		return hint.New(fmt.Sprintf("%s is not a replica", m.inspectedInfo),
			"point --host at a replica of the primary, or pass --allow-on-master to read the binlog and migrate on this server")
	case host != "" && m.cfg.AllowOnMaster:
		return hint.New(fmt.Sprintf("--allow-on-master was given but %s replicates from %s:%d", m.inspectedInfo, host, port),
			"drop --allow-on-master to migrate through this replica, or point --host at the primary")
	}
	if host == "" {
		m.primary = m.inspected
		m.primaryInfo = m.inspectedInfo
		m.primaryConn = m.connConfig(m.cfg.Host, m.cfg.Port)
		m.primaryConn.Database = m.cfg.Database
		return nil
	}
	pcfg := m.connConfig(host, port)
	pcfg.Database = m.cfg.Database
	pcfg.User, pcfg.Password = m.cfg.PrimaryCredentials()
	db, err := dbconn.Open(ctx, pcfg)
	if err != nil {
		return connectError(pcfg.Addr(), pcfg.User, err)
	}
	m.primary = db
	m.primaryConn = pcfg
	if m.primaryInfo, err = dbconn.Inspect(ctx, db); err != nil {
		return err
	}
	m.log.WithField("primary", m.primaryInfo.String()).Info("writes go to the primary")
	return nil
}

func splitHostPort(s string, defPort int) (string, int, error) {
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return s, defPort, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, hint.New(fmt.Sprintf("--assume-master-host %q has a bad port", s), "use host or host:port")
	}
	return h, n, nil
}

// replicationSource returns the source host and port of a replica, or "" for a server
// that replicates from nothing.
func (m *Migration) replicationSource(ctx context.Context) (string, int, error) {
	words := m.inspectedInfo.Replication()
	row, err := dbconn.ShowRow(ctx, m.inspected, words.ReplicaStatus)
	if err != nil || row == nil {
		return "", 0, err
	}
	port, _ := strconv.Atoi(row[words.SourcePort])
	return row[words.SourceHost], port, nil
}

// checkBinlog verifies that the inspected server writes what ghost reads.
func (m *Migration) checkBinlog(ctx context.Context) error {
	srv := m.inspectedInfo.String()
	logBin, err := dbconn.Variable(ctx, m.inspected, "log_bin")
	if err != nil {
		return err
	}
	if !isOn(logBin) {
		return hint.New(fmt.Sprintf("binary logging is off on %s", srv), "start the server with log_bin (and binlog_format=ROW, binlog_row_image=FULL)")
	}
	format, err := dbconn.Variable(ctx, m.inspected, "binlog_format")
	if err != nil {
		return err
	}
	if !strings.EqualFold(format, "ROW") && !m.cfg.SwitchToRBR {
		return hint.New(fmt.Sprintf("binlog_format is %s on %s; ghost reads row events", format, srv),
			"SET GLOBAL binlog_format = 'ROW' (and restart replication on a replica so its SQL thread uses it), then run again; or pass --switch-to-rbr to let ghost do that")
	}
	if !strings.EqualFold(format, "ROW") {
		// --switch-to-rbr, as gh-ost: switch the server to ROW for good, never back (another
		// migration may rely on it by then). Not on a server with replicas of its own: they
		// would start receiving row events where they had statements.
		words := m.inspectedInfo.Replication()
		hosts := "SHOW SLAVE HOSTS" // MariaDB and MySQL before 8.0.22; 8.4 knows only SHOW REPLICAS
		if m.inspectedInfo.Flavor == dbconn.MySQL && m.inspectedInfo.AtLeast(8, 0, 22) {
			hosts = "SHOW REPLICAS"
		}
		if row, err := dbconn.ShowRow(ctx, m.inspected, hosts); err != nil {
			return fmt.Errorf("--switch-to-rbr: %w", err)
		} else if row != nil {
			return hint.New(fmt.Sprintf("binlog_format is %s on %s, which has replicas of its own; --switch-to-rbr does not change the format of a server that has replicas", format, srv),
				"point --host at a replica without replicas, or switch the format yourself (SET GLOBAL binlog_format = 'ROW', then restart replication)")
		}
		// The SQL thread takes the global format when it starts: stop it around the switch
		// (MySQL refuses SET GLOBAL binlog_format while the applier runs) and start it again
		// even when the switch fails, so that replication is never left stopped.
		var stmts []string
		if m.inspectedIsReplica {
			stmts = append(stmts, words.StopReplica)
		}
		stmts = append(stmts, "SET GLOBAL binlog_format = 'ROW'")
		var errs []error
		for _, q := range stmts {
			if _, err := m.inspected.ExecContext(ctx, q); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", q, err))
				break
			}
		}
		if m.inspectedIsReplica {
			if _, err := m.inspected.ExecContext(context.WithoutCancel(ctx), words.StartReplica); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", words.StartReplica, err))
			}
		}
		if err := errors.Join(errs...); err != nil {
			return hint.Wrap(err, fmt.Sprintf("--switch-to-rbr could not switch %s to ROW: %v", srv, err),
				"switching needs SUPER (or BINLOG_ADMIN and REPLICATION SLAVE ADMIN); check replication on the server, or switch the format yourself")
		}
		// The sessions already open keep the format they started with; ghost's own writes
		// on this server must be logged as rows too, so the pool starts afresh.
		m.inspected.SetMaxIdleConns(0)
		m.inspected.SetMaxIdleConns(m.connConfig(m.cfg.Host, m.cfg.Port).MaxOpen)
		m.log.WithFields(logrus.Fields{"server": srv, "was": format}).Warn("--switch-to-rbr: binlog_format switched to ROW (and replication restarted on a replica); ghost does not switch it back")
	}
	image, err := dbconn.Variable(ctx, m.inspected, "binlog_row_image")
	if err != nil {
		return err
	}
	if image != "" && !strings.EqualFold(image, "FULL") {
		return hint.New(fmt.Sprintf("binlog_row_image is %s on %s; ghost needs full row images", image, srv),
			"SET GLOBAL binlog_row_image = 'FULL', then run again")
	}
	// A replica's binlog holds the primary's writes only with log_slave_updates; that
	// holds as much for --migrate-on-replica and --test-on-replica as for reading a
	// replica while writing on the primary.
	if m.inspectedIsReplica {
		name := "log_slave_updates"
		v, err := dbconn.Variable(ctx, m.inspected, name)
		if err != nil {
			return err
		}
		if v == "" { // MySQL 8.0.26+ renamed it
			v, err = dbconn.Variable(ctx, m.inspected, "log_replica_updates")
			if err != nil {
				return err
			}
		}
		switch {
		case isOn(v):
		case m.cfg.Tungsten:
			m.log.WithField("replica", srv).Warn("log_slave_updates is off on --host; with --tungsten its binlog is taken to hold the primary's changes, applied by Tungsten as a client")
		default:
			return hint.New(fmt.Sprintf("log_slave_updates is off on replica %s, so its binlog lacks the primary's writes", srv),
				"enable log_slave_updates on the replica, or point --host at another replica")
		}
	}
	return nil
}

func isOn(v string) bool { return strings.EqualFold(v, "ON") || v == "1" }

// checkTable verifies the table and what ghost would leave behind.
func (m *Migration) checkTable(ctx context.Context) error {
	t, err := schema.Read(ctx, m.primary, m.cfg.Database, m.cfg.Table)
	if errors.Is(err, schema.ErrNotFound) {
		return hint.New(fmt.Sprintf("table %s.%s does not exist on %s", m.cfg.Database, m.cfg.Table, m.primaryInfo),
			"check --database and --table")
	}
	if err != nil {
		return err
	}
	if want := m.cfg.TableEngine(); !strings.EqualFold(t.Engine, want) {
		switch {
		case strings.EqualFold(t.Engine, "ROCKSDB"):
			return hint.New(fmt.Sprintf("table %s.%s uses engine %s", t.Schema, t.Name, t.Engine),
				"pass --storage-engine rocksdb to migrate a MyRocks table")
		case strings.EqualFold(t.Engine, "InnoDB"):
			return hint.New(fmt.Sprintf("table %s.%s uses engine InnoDB, not the %s of --storage-engine", t.Schema, t.Name, m.cfg.StorageEngine),
				"drop --storage-engine (innodb is the default)")
		}
		return hint.New(fmt.Sprintf("table %s.%s uses engine %s", t.Schema, t.Name, t.Engine),
			"ghost migrates InnoDB tables, and MyRocks tables with --storage-engine rocksdb (it needs transactions and row locks)")
	}
	m.orig = t
	m.estimated.Store(t.EstimatedRows)
	trg, err := schema.Triggers(ctx, m.primary, t.Schema, t.Name)
	if err != nil {
		return err
	}
	if len(trg) > 0 && m.cfg.IncludeTriggers {
		if err := m.checkTriggers(ctx); err != nil {
			return err
		}
	} else if len(trg) > 0 {
		return hint.New(fmt.Sprintf("table %s.%s has triggers (%s)", t.Schema, t.Name, strings.Join(trg, ", ")),
			"pass --include-triggers --trigger-suffix=_v2 to carry them over to the new table, or drop them for the migration and recreate them after")
	}
	child, parent, err := schema.ForeignKeys(ctx, m.primary, t.Schema, t.Name)
	if err != nil {
		return err
	}
	switch {
	case len(child) > 0 && m.cfg.DiscardForeignKeys:
		// CREATE TABLE ... LIKE copies no foreign key: the ghost table never has them.
		m.log.WithField("foreign-keys", strings.Join(child, ", ")).Warn("--discard-foreign-keys: the new table will have none of the table's foreign keys; nothing will check them after the cut-over")
	case len(child) > 0:
		return hint.New(fmt.Sprintf("table %s.%s has foreign keys (%s)", t.Schema, t.Name, strings.Join(child, ", ")),
			"the ghost table cannot take them over (their names are the schema's): drop the constraints first, or pass --discard-foreign-keys to migrate to a table without them")
	}
	if len(parent) > 0 {
		return hint.New(fmt.Sprintf("table %s.%s is referenced by foreign keys of %s", t.Schema, t.Name, strings.Join(parent, ", ")),
			"ghost does not migrate a table other tables reference: the swap would leave them pointing at the old table; drop those constraints first")
	}
	if err := m.checkLeftovers(ctx); err != nil {
		return err
	}
	return nil
}

func (m *Migration) exists(ctx context.Context, name string) (bool, error) {
	var n int
	err := m.primary.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
		m.cfg.Database, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

// checkLeftovers refuses to run over tables a previous run left, unless told to drop them.
// A run resumes instead when a checkpoint fits it (findCheckpoint).
func (m *Migration) checkLeftovers(ctx context.Context) error {
	if err := m.lockRun(ctx); err != nil {
		return err
	}
	if m.cfg.Revert {
		return m.findSwapRecord(ctx)
	}
	if err := m.findCheckpoint(ctx); err != nil {
		return err
	}
	for _, t := range []struct {
		name    string
		drop    bool
		flag    string
		resumed bool
	}{
		{m.ghostT.Name, m.cfg.InitiallyDropGhostTable, "--initially-drop-ghost-table", true},
		{m.changelogT.Name, m.cfg.InitiallyDropGhostTable, "--initially-drop-ghost-table", true},
		{m.checkpointT.Name, m.cfg.InitiallyDropGhostTable, "--initially-drop-ghost-table", true},
		{m.oldT.Name, m.cfg.InitiallyDropOldTable, "--initially-drop-old-table", false},
	} {
		if t.resumed && m.resume != nil {
			continue
		}
		if t.name == m.checkpointT.Name && m.leftSwap != nil {
			// It belongs to the old table of the migration it records, and goes with it:
			// once that table is dropped (by hand, as after gh-ost), so is the record.
			oldThere, err := m.exists(ctx, m.leftSwap.OldTable)
			if err != nil {
				return err
			}
			if oldThere && !m.cfg.InitiallyDropOldTable {
				return hint.New(fmt.Sprintf("table %s.%s holds the swap record of the migration of %s, kept with its old table %s for --revert",
					m.cfg.Database, t.name, m.leftSwap.SwappedAt.Local().Format(time.DateTime), m.leftSwap.OldTable),
					"revert it with --revert, or run again with --initially-drop-old-table to drop both")
			}
			t.drop = true
		}
		ok, err := m.exists(ctx, t.name)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if !t.drop {
			return hint.New(fmt.Sprintf("table %s.%s already exists (left by an earlier run?)", m.cfg.Database, t.name),
				fmt.Sprintf("drop it, or run again with %s", t.flag))
		}
		if !m.cfg.Execute {
			// A noop changes nothing: it says what --execute would drop.
			if t.name == m.ghostT.Name || t.name == m.changelogT.Name {
				return hint.New(fmt.Sprintf("noop: table %s.%s exists; %s would drop it with --execute, and a noop drops nothing", m.cfg.Database, t.name, t.flag),
					"run with --execute, or drop the table yourself, to prove the ALTER")
			}
			m.log.WithField("table", t.name).Warn(fmt.Sprintf("noop: %s would drop this table with --execute; the noop leaves it", t.flag))
			continue
		}
		m.log.WithField("drop", t.name).Info("dropping leftover table")
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+dbconn.QuoteTable(m.cfg.Database, t.name)); err != nil {
			return fmt.Errorf("drop %s: %w", t.name, err)
		}
	}
	return nil
}
