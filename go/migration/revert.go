package migration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// A revert is a migration run backwards by the same engine. A finished migration leaves a swap
// record in the checkpoint table (recordSwap): where in the binlog the tables were swapped,
// both tables' definitions, the ALTER. A --revert run takes the old table as its ghost table:
// it is already whole as of the swap, so nothing is copied; every change made to the table
// since the swap is streamed from the recorded position and applied to it, mapped back to the
// old schema (the ALTER's renames reversed, its new columns dropped); and the cut-over swaps
// the names (t -> _t_rev, _t_del -> t, _t_rev -> _t_del) under the same bounded lock, leaving a
// swap record of its own, so that a revert can be reverted.
//
// A value the old schema cannot hold stops the apply (ghost's sessions are strict), before
// the cut-over, with t untouched. Replaying the stream onto the old table again later is
// harmless (the applier writes row images by key), so a failed or stopped revert can be run
// again from the same record.

// findSwapRecord reads and checks the swap record a --revert run reverts, and makes the old
// table this run's ghost table.
func (m *Migration) findSwapRecord(ctx context.Context) error {
	noRecord := func(why string) error {
		return hint.New("--revert: nothing to revert: "+why,
			"a revert needs the swap record a finished migration keeps in "+m.checkpointT.Name+" beside its old table (none is kept with --ok-to-drop-table); without it, go back by migrating again with the reverse ALTER")
	}
	ok, err := m.exists(ctx, m.checkpointT.Name)
	if err != nil {
		return err
	}
	if !ok {
		return noRecord(fmt.Sprintf("table %s does not exist", m.checkpointT))
	}
	cp, err := checkpoint.New(m.primary, m.checkpointT).Read(ctx)
	switch {
	case errors.Is(err, checkpoint.ErrNone):
		return noRecord(fmt.Sprintf("%s is empty", m.checkpointT))
	case errors.Is(err, checkpoint.ErrOldFormat):
		return noRecord(err.Error())
	case err != nil:
		return err
	case !cp.Swapped():
		return hint.New(fmt.Sprintf("--revert: %s holds the checkpoint of a migration that has not cut over (%s)", m.checkpointT, cp.Written.Local().Format(time.DateTime)),
			"there is nothing to revert: run that migration's command again to resume it, or drop its tables with --initially-drop-ghost-table")
	case cp.Format != checkpoint.Format:
		return noRecord(fmt.Sprintf("the record was written by ghost %s in format %d", cp.Version, cp.Format))
	case cp.Database != m.cfg.Database || cp.Table != m.cfg.Table:
		return noRecord(fmt.Sprintf("%s records a migration of %s.%s", m.checkpointT, cp.Database, cp.Table))
	}
	when := cp.SwappedAt.Local().Format(time.DateTime)
	if o := m.cfg.RevertOldTable; o != "" && o != cp.OldTable {
		return hint.New(fmt.Sprintf("--old-table %s is not the old table of the migration of %s, which is %s", o, when, cp.OldTable),
			"drop --old-table (ghost takes the record's) or name "+cp.OldTable)
	}
	refuse := func(why, fix string) error {
		return hint.New(fmt.Sprintf("cannot revert the migration of %s: %s", when, why), fix)
	}
	if cp.ServerID != m.inspectedInfo.ServerID {
		return refuse(fmt.Sprintf("its swap position is in the binlog of the server with server_id %d (%s), and --host is server_id %d", cp.ServerID, cp.ServerAddr, m.inspectedInfo.ServerID),
			"point --host at "+cp.ServerAddr)
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
		return refuse(fmt.Sprintf("binary log %s, where the swap happened, is no longer on %s (its oldest is %s): the changes made since are gone", cp.BinlogFile, m.inspectedInfo, oldest),
			"the revert window is as long as the binlogs are kept (or --keep-old-table-in-sync); go back by migrating again with the reverse ALTER")
	}
	if ok, err := m.exists(ctx, cp.OldTable); err != nil {
		return err
	} else if !ok {
		return refuse(fmt.Sprintf("its old table %s.%s no longer exists", m.cfg.Database, cp.OldTable), "go back by migrating again with the reverse ALTER")
	}
	a, err := alter.Parse(cp.Alter)
	if err != nil {
		return refuse(fmt.Sprintf("its ALTER cannot be read: %v", err), "go back by migrating again with the reverse ALTER")
	}
	if !cp.Reverted {
		a = a.Inverse()
	}
	m.analysis = a
	m.reverting = &cp
	old := sqlgen.Table{Schema: m.cfg.Database, Name: cp.OldTable}
	m.ghostT, m.oldT = old, old
	m.sentryT = sqlgen.Table{Schema: m.cfg.Database, Name: m.cfg.RevertSentryTable()}
	for _, t := range []sqlgen.Table{m.changelogT, m.sentryT} {
		// The run lock is held: what a killed revert left is nobody's.
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+t.String()); err != nil {
			return fmt.Errorf("drop %s: %w", t, err)
		}
	}
	return nil
}

// prepareRevert checks that neither table changed its definition since the swap, maps the
// table's columns back onto the old table's, and says what the revert drops.
func (m *Migration) prepareRevert(ctx context.Context) error {
	cp := m.reverting
	when := cp.SwappedAt.Local().Format(time.DateTime)
	old, err := schema.Read(ctx, m.primary, m.cfg.Database, m.ghostT.Name)
	if err != nil {
		return fmt.Errorf("read the old table: %w", err)
	}
	m.ghost = old
	cur, err := m.definition(ctx, m.origT)
	if err != nil {
		return err
	}
	was, err := m.definition(ctx, m.ghostT)
	if err != nil {
		return err
	}
	switch {
	case cur != cp.GhostSchema:
		return hint.New(fmt.Sprintf("cannot revert the migration of %s: %s was altered since the swap", when, m.origT),
			"a revert maps the table as the migration left it; go back by migrating again with the reverse ALTER")
	case was != cp.OrigSchema:
		return hint.New(fmt.Sprintf("cannot revert the migration of %s: the old table %s was altered since the swap", when, m.ghostT),
			"go back by migrating again with the reverse ALTER")
	}
	m.origSchema, m.ghostSchema = cur, was
	colmap, err := m.mapColumns(old, alter.MappingOptions{})
	if err != nil {
		return err
	}
	for i, line := range m.revertNotes(colmap) {
		if i == 0 {
			m.log.Info(line)
		} else {
			m.log.Warn(line)
		}
		if !m.cfg.Execute {
			fmt.Fprintln(m.statusTo, "noop: "+line)
		}
	}
	if !m.cfg.Execute {
		return nil
	}
	// The old table's counter continues where the table's is: ids handed out since the swap
	// and deleted again are not handed out twice.
	if m.orig.AutoIncrement > 0 {
		if _, err := m.primary.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s AUTO_INCREMENT = %d", m.ghostT, m.orig.AutoIncrement)); err != nil {
			return fmt.Errorf("carry AUTO_INCREMENT over: %w", err)
		}
	}
	m.changelog = changelog.New(m.primary, m.changelogT)
	if err := m.changelog.Create(ctx); err != nil {
		return err
	}
	m.changelogAt.Store(time.Now().UnixNano())
	return nil
}

// revertNotes says what a revert drops and what may stop it: the values of columns the old
// table lacks, and columns whose old type may not hold what was written since the swap.
func (m *Migration) revertNotes(colmap map[string]string) []string {
	var dropped, differ []string
	oldCols := map[string]schema.Column{}
	for _, c := range m.ghost.Columns {
		oldCols[strings.ToLower(c.Name)] = c
	}
	for _, c := range m.orig.Columns {
		to, ok := colmap[c.Name]
		if !ok {
			dropped = append(dropped, c.Name)
			continue
		}
		if o := oldCols[strings.ToLower(to)]; o.ColumnType != c.ColumnType || o.Nullable != c.Nullable {
			differ = append(differ, fmt.Sprintf("%s (%s in %s, was %s)", to, describeType(c), m.origT.Name, describeType(o)))
		}
	}
	lines := []string{fmt.Sprintf("revert of the migration of %s: applies the changes made to %s since binlog %s:%d to %s, then swaps them (%s becomes %s)",
		m.reverting.SwappedAt.Local().Format(time.DateTime), m.origT, m.reverting.BinlogFile, m.reverting.BinlogPos, m.ghostT, m.origT, m.ghostT.Name)}
	if len(dropped) > 0 {
		lines = append(lines, fmt.Sprintf("the revert drops the values of column(s) %s: the old table does not have them", strings.Join(dropped, ", ")))
	}
	if len(differ) > 0 {
		lines = append(lines, fmt.Sprintf("column(s) %s: a value written since the swap that the old type does not hold stops the revert before its cut-over", strings.Join(differ, ", ")))
	}
	return lines
}

func describeType(c schema.Column) string {
	if c.Nullable {
		return c.ColumnType + " NULL"
	}
	return c.ColumnType + " NOT NULL"
}

// revertLine is said in the log and on stdout when a revert starts streaming.
func (m *Migration) revertLine() string {
	cp := m.reverting
	return fmt.Sprintf("reverting the migration of %s: applying the changes made to %s since binlog %s:%d to %s",
		cp.SwappedAt.Local().Format(time.DateTime), m.origT, cp.BinlogFile, cp.BinlogPos, m.ghostT)
}

// revertDataError explains an apply the old schema refused: the revert stops before its swap.
func (m *Migration) revertDataError(err error) error {
	return hint.Wrap(fmt.Errorf("%w: %w", errDataRefused, err), fmt.Sprintf("revert refused: a change made to %s since the swap does not fit the old table %s: %v", m.origT, m.ghostT, err),
		fmt.Sprintf("%s was not swapped and stays in place; the old schema cannot hold data written since the migration: go back by migrating %s again with the reverse ALTER, which checks every row", m.origT, m.origT))
}

// errWindowClosed ends a run that kept the old table in sync without a revert being asked.
var errWindowClosed = errors.New("the revert window closed")

// holdRevert is --keep-old-table-in-sync in a revert: the old table is kept in sync with the
// table until the socket's revert command, or until the window closes.
func (m *Migration) holdRevert(ctx context.Context) error {
	window := m.cfg.KeepOldTableInSync
	if m.reverting == nil || window <= 0 {
		return nil
	}
	m.enter(StatePostponed)
	until := time.Now().Add(window)
	line := fmt.Sprintf("keeping %s in sync with %s until %s: the socket command revert swaps them back", m.ghostT, m.origT, until.Local().Format(time.DateTime))
	m.log.Info(line)
	fmt.Fprintln(m.statusTo, line)
	for !m.revertAsked.Load() {
		if time.Now().After(until) {
			return errWindowClosed
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(100 * time.Millisecond):
		}
	}
	m.log.Info("revert asked on the socket")
	return nil
}

// windowClosed ends a --keep-old-table-in-sync run whose window closed: the table stays
// migrated, and the swap record moves up to the position the old table is now in sync with,
// so that a later --revert only needs the binlogs from there.
func (m *Migration) windowClosed(ctx context.Context) {
	m.enter(StateCleaningUp)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	cp := *m.reverting
	if pos := m.appliedPos.Load(); pos != nil {
		cp.BinlogFile, cp.BinlogPos = pos.File, pos.Pos
		if g := m.appliedGTID.Load(); g != nil {
			cp.GTID = *g
		}
		cp.Written = time.Now()
		if err := checkpoint.New(m.primary, m.checkpointT).Write(ctx, cp); err != nil {
			m.log.WithError(err).Warn("could not move the swap record up to the synced position; a --revert replays from the swap")
		}
	}
	m.cleanup()
	m.enter(StateDone)
	line := fmt.Sprintf("the revert window closed after %s without a revert: %s stays migrated; %s is in sync up to binlog %s:%d, and ghost --revert can still swap it back while the binlogs since are kept",
		m.cfg.KeepOldTableInSync, m.origT, m.ghostT, cp.BinlogFile, cp.BinlogPos)
	m.log.Info(line)
	fmt.Fprintln(m.statusTo, line)
}

// recordSwap keeps, after a swap, what a revert of it needs; with --ok-to-drop-table the
// old table is gone and the record with it.
func (m *Migration) recordSwap(ctx context.Context) {
	if m.cfg.OkToDropTable || m.cfg.TestOnReplica {
		if _, err := m.primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+m.checkpointT.String()); err != nil {
			m.log.WithError(err).Warn("could not drop the checkpoint table")
		}
		return
	}
	fail := func(err error) {
		m.log.WithError(err).Warnf("could not record the swap in %s: a --revert of this migration is not possible", m.checkpointT)
	}
	store := checkpoint.New(m.primary, m.checkpointT)
	if err := store.Create(ctx); err != nil {
		fail(err)
		return
	}
	was, err := m.definition(ctx, m.oldT)
	if err != nil {
		fail(err)
		return
	}
	now, err := m.definition(ctx, m.origT)
	if err != nil {
		fail(err)
		return
	}
	pos := m.swapPos.Load()
	if pos == nil {
		fail(errors.New("the swap position is unknown"))
		return
	}
	gtid := ""
	if g := m.swapGTID.Load(); g != nil {
		gtid = *g
	}
	cp := checkpoint.Checkpoint{
		Written: time.Now(), Version: m.cfg.GhostVersion,
		Database: m.cfg.Database, Table: m.cfg.Table, Alter: m.cfg.Alter,
		OrigSchema: was, GhostSchema: now, KeyName: m.mapping.Key.Name,
		ServerID: m.inspectedInfo.ServerID, ServerAddr: m.inspectedInfo.String(),
		CopyDone: true, BinlogFile: pos.File, BinlogPos: pos.Pos, GTID: gtid,
		RowsCopied: m.copiedBefore, Chunks: m.chunksBefore, EventsApplied: m.applied.Load(),
		SwappedAt: time.Now(), OldTable: m.oldT.Name,
	}
	if m.copier != nil {
		cp.RowsCopied += m.copier.Copied()
		cp.Chunks += m.copier.Chunks()
	}
	if r := m.reverting; r != nil {
		cp.Alter, cp.Reverted = r.Alter, !r.Reverted
	}
	if err := store.Write(ctx, cp); err != nil {
		fail(err)
		return
	}
	m.log.WithField("binlog", pos.String()).WithField("old_table", m.oldT.Name).Info("swap recorded for --revert")
}

// noteSwapPoint is the cut-over's WaitApplied: once the marker written under the lock is
// applied, its position is where the swap will be if this attempt succeeds.
func (m *Migration) noteSwapPoint(ctx context.Context) error {
	if err := m.waitApplied(ctx); err != nil {
		return err
	}
	m.swapPos.Store(m.appliedPos.Load())
	m.swapGTID.Store(m.appliedGTID.Load())
	return nil
}

// revertStart is where a revert streams from.
func (m *Migration) revertStart() binlog.Position {
	return binlog.Position{File: m.reverting.BinlogFile, Pos: m.reverting.BinlogPos}
}
