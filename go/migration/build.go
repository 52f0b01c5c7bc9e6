package migration

import (
	"context"
	"fmt"
	"strings"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/applier"
	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/copier"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hooks"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// backlogCap bounds transactions read but not yet applied (gh-ost's default).
const backlogCap = 1000

// build makes everything the run's goroutines share (throttler, binlog reader, backlog,
// applier, copier) before the first of them starts, so that none of them sees a field being
// set. (The control socket once started before the reader and the backlog were set, and its
// status read them from another goroutine.)
func (m *Migration) build(ctx context.Context) error {
	if err := m.op.buildThrottler(ctx); err != nil {
		return err
	}
	start, gtidState, err := m.startPosition(ctx)
	if err != nil {
		return err
	}
	m.start = start
	m.appliedPos.Store(&start)
	m.appliedGTID.Store(&gtidState)
	db, table, ghc, gho := m.cfg.Database, m.cfg.Table, m.changelogT.Name, m.cfg.GhostTable()
	m.reader = binlog.NewReader(binlog.Config{
		Host: m.cfg.Host, Port: m.cfg.Port, User: m.cfg.User, Password: m.cfg.Password,
		Flavor:   m.inspectedInfo.Flavor,
		ServerID: m.cfg.ReplicaServerID,
		TLS:      m.cfg.ClientTLS,
		// MariaDB: checkpoints record the GTID position too, so that another server of the
		// topology can resume (resumable).
		TrackGTID: m.inspectedInfo.Flavor == dbconn.MariaDB,
		GTIDState: gtidState,
		Watch: func(s, t string) bool {
			return strings.EqualFold(s, db) && (strings.EqualFold(t, table) || strings.EqualFold(t, ghc))
		},
		WatchStatement: func(s, q string) bool {
			mine := false
			for _, r := range alter.ChangedTables(q, s) {
				if r.Is(db, m.oldT.Name) || r.Is(db, gho) {
					// Only ghost's cut-overs rename the table to the old name (refused at
					// start while that name exists) or the ghost table to the table (the
					// second step of --cut-over two-step, read again by a revert).
					return false
				}
				if r.Is(db, table) {
					mine = true
				}
			}
			return mine
		},
		Log: m.log,
	})
	m.backlog = make(chan binlog.Transaction, backlogCap)

	key, kinds := m.copierKey(), m.copierKinds()
	var from, to []sqlgen.Col
	var pairs []applier.Pair
	for _, p := range m.mapping.Pairs {
		from = append(from, sqlgen.Col{Name: p.Orig.Name})
		to = append(to, sqlgen.Col{Name: p.Ghost.Name})
		pairs = append(pairs, applier.Pair{Orig: p.Orig, Ghost: p.Ghost.Name})
	}
	// A restart or failover of the primary shorter than this is waited out.
	outage := dbconn.OutageBudget(m.cfg.DefaultRetries)
	consistent, err := m.consistentCopy(ctx)
	if err != nil {
		return err
	}
	m.copier = copier.New(copier.Config{
		DB: m.primary, Orig: m.origT, Ghost: m.ghostT, Index: m.mapping.Key.Name,
		Key: key, KeyKinds: kinds, OrigCols: from, GhostCols: to,
		OutageBudget:    outage,
		ChunkSize:       m.settings.ChunkSize,
		Guard:           m.ghostWrites.RLocker(),
		PanicOnWarnings: m.cfg.PanicOnWarnings,
		Consistent:      consistent,
		SnapshotMaxAge:  m.cfg.SnapshotMaxAge,
		Flavor:          m.primaryInfo.Flavor,
		OnCopied:        m.resizeChunks,
		CatchUp:         m.waitApplied,
		Log:             m.log,
		OnRetry: func(err error) {
			m.op.fire(ctx, hooks.BatchCopyRetry, func(e *hooks.Env) { e.LastBatchCopyError = err.Error() })
		},
	})
	m.applier = applier.New(applier.Config{
		DB: m.primary, Flavor: m.primaryInfo.Flavor, Ghost: m.ghostT, OrigColumns: m.orig.Columns, Pairs: pairs, Key: m.mapping.KeyColumns,
		PanicOnWarnings: m.cfg.PanicOnWarnings,
		OutageBudget:    outage,
		// Changes of rows no chunk has reached yet are skipped (copier.Ahead says false until
		// the copier knows the key range).
		Skip: m.copier.Ahead,
	})
	if m.reverting != nil {
		// The old table is whole as of the swap: nothing to copy.
		m.copier.Resume(nil, true)
		line := m.revertLine()
		m.log.Info(line)
		fmt.Fprintln(m.statusTo, line)
	}
	if cp := m.resume; cp != nil {
		m.copier.Resume(cp.CopyUpper, cp.CopyDone)
		m.copiedBefore, m.chunksBefore = cp.RowsCopied, cp.Chunks
		m.applied.Store(cp.EventsApplied)
		m.lastCheckpoint.Store(cp)
		line := m.resumeLine()
		m.log.Info(line)
		fmt.Fprintln(m.statusTo, line)
	}
	return nil
}

// copierKey is the shared key as the copier and the checksum iterate it.
func (m *Migration) copierKey() []sqlgen.Col {
	var key []sqlgen.Col
	for _, c := range m.mapping.KeyColumns {
		key = append(key, sqlCol(c))
	}
	return key
}

func (m *Migration) copierKinds() []copier.KeyKind {
	var kinds []copier.KeyKind
	for _, c := range m.mapping.KeyColumns {
		kinds = append(kinds, keyKind(c))
	}
	return kinds
}

func keyKind(c schema.Column) copier.KeyKind {
	if c.IsInteger() {
		if c.Unsigned {
			return copier.KeyUnsigned
		}
		return copier.KeySigned
	}
	if c.OrdersAsNumber() { // ENUM, BIT: read as col+0
		return copier.KeyUnsigned
	}
	if c.IsText() || c.IsBinary() {
		return copier.KeyBytes
	}
	return copier.KeyText
}

func sqlCol(c schema.Column) sqlgen.Col {
	cs, coll, cast := c.Describe()
	col := sqlgen.Col{Name: c.Name, Charset: cs, Collation: coll, Cast: cast, Number: c.OrdersAsNumber()}
	if c.DataType == "enum" {
		col.Members = len(c.Members)
	}
	return col
}

// consistentCopy tells whether chunks read the original without locks (--copy=snapshot). A
// READ COMMITTED write needs row-based logging on the primary (InnoDB refuses it under
// statement-based logging): without it, ghost copies with the locking read and says so.
func (m *Migration) consistentCopy(ctx context.Context) (bool, error) {
	if m.cfg.Copy != config.CopySnapshot {
		return false, nil
	}
	format, err := dbconn.Variable(ctx, m.primary, "binlog_format")
	if err != nil {
		return false, err
	}
	if logBin, err := dbconn.Variable(ctx, m.primary, "log_bin"); err == nil && isOn(logBin) && !strings.EqualFold(format, "ROW") {
		m.log.WithField("binlog_format", format).Warn("--copy=snapshot needs binlog_format=ROW on the primary for its READ COMMITTED chunks; copying with --copy=locking")
		return false, nil
	}
	return true, nil
}
