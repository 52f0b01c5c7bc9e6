package migration

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/sirupsen/logrus"
)

// findCheckpoint decides, before anything is created, whether this run resumes from the
// checkpoint a run that did not finish left in the checkpoint table. It resumes when the ghost
// table and a checkpoint exist and the checkpoint fits this run (same table, ALTER, server,
// binlog still there); a checkpoint that does not fit is refused with why, never resumed
// onto. With --initially-drop-ghost-table nothing is resumed.
func (m *Migration) findCheckpoint(ctx context.Context) error {
	if m.cfg.InitiallyDropGhostTable {
		return nil
	}
	none := func(why string) error {
		if m.cfg.Resume {
			return hint.New("--resume: nothing to resume: "+why, "run without --resume to start the migration afresh")
		}
		return nil
	}
	ghost, err := m.exists(ctx, m.ghostT.Name)
	if err != nil {
		return err
	}
	ghk, err := m.exists(ctx, m.checkpointT.Name)
	if err != nil {
		return err
	}
	if !ghk {
		return none(fmt.Sprintf("there is no checkpoint table %s", m.checkpointT))
	}
	cp, err := checkpoint.New(m.primary, m.checkpointT).Read(ctx)
	if err == nil && cp.Swapped() {
		// A finished migration's record, kept for --revert beside its old table.
		m.leftSwap = &cp
		return none(fmt.Sprintf("%s holds the swap record of the migration of %s, which is finished", m.checkpointT, cp.SwappedAt.Local().Format(time.DateTime)))
	}
	if !ghost {
		return none(fmt.Sprintf("the ghost table %s does not exist", m.ghostT))
	}
	if errors.Is(err, checkpoint.ErrOldFormat) {
		return hint.New(fmt.Sprintf("cannot resume: %v", err), "start afresh with --initially-drop-ghost-table (it drops the ghost table and its progress)")
	}
	if errors.Is(err, checkpoint.ErrNone) {
		if err := none(fmt.Sprintf("%s holds no checkpoint (the run stopped before its first)", m.checkpointT)); err != nil {
			return err
		}
		// A run that checkpoints and stopped before its first checkpoint: its tables hold
		// less than one interval of work, and no other ghost uses them (this run holds the
		// table's run lock). Start afresh; a noop drops nothing (the leftovers refuse it).
		if !m.cfg.Execute {
			return nil
		}
		m.log.WithField("checkpoint_table", m.checkpointT.String()).Warn("an earlier run stopped before its first checkpoint; dropping its tables and starting afresh")
		for _, t := range []string{m.ghostT.String(), m.changelogT.String(), m.checkpointT.String()} {
			if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
				return fmt.Errorf("drop %s: %w", t, err)
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	if err := m.resumable(ctx, cp); err != nil {
		return err
	}
	m.resume = &cp
	return nil
}

// lockRun takes a named lock on the primary for as long as the run lives, on a connection of
// its own: two ghosts never migrate one table at once, so a resume never takes over the tables
// of a run that is still alive. The server releases it when the connection ends, a killed
// ghost's included.
func (m *Migration) lockRun(ctx context.Context) error {
	name := "ghost." + m.cfg.Database + "." + m.cfg.Table
	if len(name) > 64 {
		sum := sha256.Sum256([]byte(name))
		name = "ghost." + hex.EncodeToString(sum[:])[:40]
	}
	conn, err := m.primary.Conn(ctx)
	if err != nil {
		return err
	}
	// The connection idles for the whole run: the server must not end it after wait_timeout.
	if _, err := conn.ExecContext(ctx, "SET SESSION wait_timeout = 31536000"); err != nil {
		conn.Close()
		return fmt.Errorf("take the run lock: %w", err)
	}
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", name).Scan(&got); err != nil {
		conn.Close()
		return fmt.Errorf("take the run lock %q: %w", name, err)
	}
	if !got.Valid || got.Int64 != 1 {
		var holder sql.NullInt64
		conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", name).Scan(&holder)
		conn.Close()
		return hint.New(fmt.Sprintf("another ghost is migrating %s.%s (connection %d on the primary holds lock %q)", m.cfg.Database, m.cfg.Table, holder.Int64, name),
			"wait for it to end, or stop it (its socket's panic command); a killed ghost's lock goes with its connection")
	}
	m.runLock = conn
	return nil
}

// keepRunLock takes the run lock again when its connection was lost (the primary restarted
// or failed over, and the server released the lock with the connection): another ghost that
// took it meanwhile ends this run. Only the checkpoint loop calls it, so runLock is not shared.
func (m *Migration) keepRunLock(ctx context.Context) error {
	if m.runLock == nil {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	err := m.runLock.PingContext(pctx)
	cancel()
	if err == nil {
		return nil
	}
	if !dbconn.Outage(err) { // a closed connection (driver.ErrBadConn) is one
		m.log.WithError(err).Debug("run lock connection check failed")
		return nil
	}
	old := m.runLock
	m.runLock = nil
	old.Close()
	if err := m.lockRun(ctx); err != nil {
		if _, ok := hint.As(err); ok {
			return err // another ghost holds it
		}
		m.log.WithError(err).Warn("could not take the run lock again; trying at the next checkpoint")
		m.runLock = old // closed: the next check fails again and retries
		return nil
	}
	m.log.Info("took the run lock again after its connection was lost")
	return nil
}

// cannotResume is the error of a checkpoint that does not fit this run.
func (m *Migration) cannotResume(cp checkpoint.Checkpoint, why string) error {
	return hint.New(fmt.Sprintf("cannot resume from the checkpoint of %s in %s: %s", cp.Written.Local().Format(time.DateTime), m.checkpointT, why),
		"run the command that wrote it, or start afresh with --initially-drop-ghost-table (it drops the ghost table and its progress)")
}

// resumable checks what can be checked of a checkpoint before the ghost table is read.
func (m *Migration) resumable(ctx context.Context, cp checkpoint.Checkpoint) error {
	switch {
	case cp.Format != checkpoint.Format:
		return m.cannotResume(cp, fmt.Sprintf("it was written by ghost %s in format %d; this ghost (%s) reads format %d", cp.Version, cp.Format, m.cfg.GhostVersion, checkpoint.Format))
	case cp.Database != m.cfg.Database || cp.Table != m.cfg.Table:
		return m.cannotResume(cp, fmt.Sprintf("it is of table %s.%s", cp.Database, cp.Table))
	case strings.TrimSpace(cp.Alter) != strings.TrimSpace(m.cfg.Alter):
		return m.cannotResume(cp, fmt.Sprintf("it was written for another ALTER (%q)", cp.Alter))
	case cp.ServerID != m.inspectedInfo.ServerID && (m.inspectedInfo.Flavor != dbconn.MariaDB || cp.GTID == ""):
		return m.cannotResume(cp, fmt.Sprintf("its binlog position is on the server with server_id %d (%s), and --host is server_id %d; resuming from another server needs a GTID position, which ghost records on MariaDB only",
			cp.ServerID, cp.ServerAddr, m.inspectedInfo.ServerID))
	case cp.ServerID != m.inspectedInfo.ServerID:
		// Another server of the topology: its binlog holds the same transactions under the
		// same GTIDs (log_slave_updates); the reader starts after the recorded position,
		// and fails naming the purge if that server no longer has it.
		m.log.WithFields(logrus.Fields{"gtid": cp.GTID, "written_on": cp.ServerAddr}).Info("resuming on another server by GTID")
		return nil
	}
	logs, err := m.binaryLogs(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(logs, cp.BinlogFile) {
		oldest := "none"
		if len(logs) > 0 {
			oldest = logs[0]
		}
		return m.cannotResume(cp, fmt.Sprintf("binary log %s is no longer on %s (its oldest is %s): the changes since the checkpoint are gone", cp.BinlogFile, m.inspectedInfo, oldest))
	}
	return nil
}

// binaryLogs lists the inspected server's binary logs, oldest first.
func (m *Migration) binaryLogs(ctx context.Context) ([]string, error) {
	rows, err := m.inspected.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		return nil, fmt.Errorf("list binary logs: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, string(vals[0]))
	}
	return out, rows.Err()
}

// checkResumedTables compares the tables and the key with the checkpoint's, once the ghost
// table is read: a definition changed since the checkpoint means the ghost table may not
// match what the copy and the applier would have written.
func (m *Migration) checkResumedTables(ctx context.Context) error {
	cp := *m.resume
	orig, err := m.definition(ctx, m.origT)
	if err != nil {
		return err
	}
	ghost, err := m.definition(ctx, m.ghostT)
	if err != nil {
		return err
	}
	switch {
	case orig != cp.OrigSchema:
		return m.cannotResume(cp, fmt.Sprintf("table %s was altered since", m.origT))
	case ghost != cp.GhostSchema:
		return m.cannotResume(cp, fmt.Sprintf("the ghost table %s was altered since", m.ghostT))
	case m.mapping.Key.Name != cp.KeyName:
		return m.cannotResume(cp, fmt.Sprintf("it copied along key %s, this run would use %s", cp.KeyName, m.mapping.Key.Name))
	}
	m.origSchema, m.ghostSchema = orig, ghost
	return nil
}

// recordSchemas keeps the definitions every checkpoint of a fresh run records.
func (m *Migration) recordSchemas(ctx context.Context) error {
	var err error
	if m.origSchema, err = m.definition(ctx, m.origT); err != nil {
		return err
	}
	m.ghostSchema, err = m.definition(ctx, m.ghostT)
	return err
}

// resumeLine is said in the log and on stdout when a run resumes.
func (m *Migration) resumeLine() string {
	cp := m.resume
	copyAt := "the start"
	switch {
	case cp.CopyDone:
		copyAt = "done"
	case cp.CopyUpper != nil:
		copyAt = fmt.Sprint(cp.CopyUpper)
	}
	at := fmt.Sprintf("%s:%d", cp.BinlogFile, cp.BinlogPos)
	if cp.ServerID != m.inspectedInfo.ServerID {
		at = fmt.Sprintf("GTID %s (written on %s, read on %s)", cp.GTID, cp.ServerAddr, m.inspectedInfo)
	}
	return fmt.Sprintf("resuming from checkpoint of %s: copy at %s, binlog at %s (%d rows copied, %d events applied before)",
		cp.Written.Local().Format(time.DateTime), copyAt, at, cp.RowsCopied, cp.EventsApplied)
}

// checkpointLoop writes a checkpoint every --checkpoint-seconds until the cut-over begins.
// A failed write is logged and tried again at the next tick: a checkpoint serves a later run,
// never this one.
func (m *Migration) checkpointLoop(ctx context.Context) error {
	t := time.NewTicker(m.cfg.CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if !m.checkpointDue() {
			return nil
		}
		if err := m.keepRunLock(ctx); err != nil {
			return err
		}
		m.writeCheckpoint(ctx)
	}
}

// keptForResume tells whether a run that failed with err keeps its tables for a later run to
// resume, and from which checkpoint: when the cause is an outage that outlasted the retries
// (a lost or killed connection, a server shutting down, lock waits), not a refusal or a
// fault in the data, and a checkpoint was written (or resumed from). Otherwise the run's
// tables are dropped, as a run that never checkpoints would.
func (m *Migration) keptForResume(err error) *checkpoint.Checkpoint {
	if !m.cfg.Checkpoint || m.cutOverDone || !dbconn.Retryable(err) {
		return nil
	}
	return m.lastCheckpoint.Load()
}

// checkpointDue: checkpoints are written while copying and while the cut-over is postponed;
// once the cut-over begins, the ghost table is about to become the table.
func (m *Migration) checkpointDue() bool {
	s := m.State()
	return s == StateCopying || s == StatePostponed
}

// writeCheckpoint records the migration's progress. The copy position is read before the
// applied position, and each is a fact when read (chunks committed, changes applied), so the
// pair is true whatever happens between the two reads.
func (m *Migration) writeCheckpoint(ctx context.Context) {
	if !m.cfg.Checkpoint || m.checkpoints == nil {
		return
	}
	upper, done := m.copier.Progress()
	pos := m.appliedPos.Load()
	if pos == nil || pos.IsZero() { // resumed by GTID, nothing applied yet
		return
	}
	gtid := ""
	if g := m.appliedGTID.Load(); g != nil {
		gtid = *g
	}
	cp := checkpoint.Checkpoint{
		Written: time.Now(), Version: m.cfg.GhostVersion,
		Database: m.cfg.Database, Table: m.cfg.Table, Alter: m.cfg.Alter,
		OrigSchema: m.origSchema, GhostSchema: m.ghostSchema, KeyName: m.mapping.Key.Name,
		ServerID: m.inspectedInfo.ServerID, ServerAddr: m.inspectedInfo.String(),
		CopyUpper: upper, CopyDone: done,
		BinlogFile: pos.File, BinlogPos: pos.Pos, GTID: gtid,
		RowsCopied: m.copiedBefore + m.copier.Copied(), Chunks: m.chunksBefore + m.copier.Chunks(), EventsApplied: m.applied.Load(),
	}
	if err := m.checkpoints.Write(ctx, cp); err != nil {
		if ctx.Err() == nil {
			m.log.WithError(err).Warn("could not write a checkpoint; trying again at the next")
		}
		return
	}
	m.lastCheckpoint.Store(&cp)
	m.log.WithField("copy_done", done).WithField("binlog", pos.String()).Debug("checkpoint written")
}

// startPosition is where streaming starts: the resumed checkpoint's position, or the
// inspected server's current one; and the GTID position there (MariaDB; "" on MySQL). A
// checkpoint written on another server is resumed from its GTID position alone (a zero
// Position: the reader starts by GTID).
func (m *Migration) startPosition(ctx context.Context) (binlog.Position, string, error) {
	var pos binlog.Position
	switch {
	case m.resume != nil && m.resume.ServerID != m.inspectedInfo.ServerID:
		return binlog.Position{}, m.resume.GTID, nil
	case m.resume != nil:
		pos = binlog.Position{File: m.resume.BinlogFile, Pos: m.resume.BinlogPos}
		if m.resume.GTID != "" && m.inspectedInfo.Flavor == dbconn.MariaDB {
			return pos, m.resume.GTID, nil
		}
	case m.reverting != nil:
		pos = m.revertStart()
	default:
		return binlog.CurrentPositionGTID(ctx, m.inspected, m.inspectedInfo)
	}
	gtid, err := binlog.GTIDStateAt(ctx, m.inspected, m.inspectedInfo, pos)
	return pos, gtid, err
}
