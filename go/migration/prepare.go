package migration

import (
	"context"
	"fmt"
	"strings"
	"time"

	"database/sql/driver"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/checkpoint"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
)

// prepare creates the ghost table with the new schema and the changelog table, and
// works out how rows map from one to the other.
func (m *Migration) prepare(ctx context.Context) error {
	if m.reverting != nil {
		return m.prepareRevert(ctx)
	}
	if m.resume == nil {
		if err := m.createGhost(ctx); err != nil {
			return err
		}
	}
	ghost, err := schema.Read(ctx, m.primary, m.cfg.Database, m.ghostT.Name)
	if err != nil {
		return fmt.Errorf("read ghost table: %w", err)
	}
	m.ghost = ghost
	if want := m.cfg.TableEngine(); !strings.EqualFold(ghost.Engine, want) {
		return hint.New(fmt.Sprintf("the ALTER makes the table use engine %s instead of %s", ghost.Engine, want),
			"ghost keeps a table in its engine (--storage-engine); change the engine with a plain ALTER")
	}
	child, _, err := schema.ForeignKeys(ctx, m.primary, m.cfg.Database, m.ghostT.Name)
	if err != nil {
		return err
	}
	if len(child) > 0 {
		return hint.New("the ALTER adds a foreign key", "ghost does not migrate foreign keys; add the constraint with a plain ALTER after the migration")
	}
	if _, err := m.mapColumns(ghost, alter.MappingOptions{SkipRenamed: m.cfg.SkipRenamedColumns}); err != nil {
		return err
	}
	if err := m.proveTriggers(ctx); err != nil {
		return err
	}
	m.log.WithField("key", m.mapping.Key.Name).WithField("columns", len(m.mapping.Pairs)).Info("shared unique key chosen")
	if m.resume != nil {
		return m.prepareResumed(ctx)
	}
	// The ghost's counter continues where the original's is, so ids deleted at the end
	// of the original are not handed out again after the swap.
	if m.orig.AutoIncrement > 0 && !m.analysis.SetsAutoIncrement {
		if _, err := m.primary.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s AUTO_INCREMENT = %d", m.ghostT, m.orig.AutoIncrement)); err != nil {
			return fmt.Errorf("carry AUTO_INCREMENT over: %w", err)
		}
	}
	m.changelog = changelog.New(m.primary, m.changelogT)
	if err := m.changelog.Create(ctx); err != nil {
		return err
	}
	m.changelogAt.Store(time.Now().UnixNano())
	if !m.cfg.Checkpoint || !m.cfg.Execute {
		return nil
	}
	if err := m.recordSchemas(ctx); err != nil {
		return err
	}
	m.checkpoints = checkpoint.New(m.primary, m.checkpointT)
	if err := m.checkpoints.Create(ctx); err != nil {
		return err
	}
	m.createdCheckpoint = true
	return nil
}

// prepareResumed takes over the tables of the run being resumed, once their definitions
// proved unchanged since its checkpoint; the changelog table is made again if it is gone.
func (m *Migration) prepareResumed(ctx context.Context) error {
	if err := m.checkResumedTables(ctx); err != nil {
		return err
	}
	m.changelog = changelog.New(m.primary, m.changelogT)
	ok, err := m.exists(ctx, m.changelogT.Name)
	if err != nil {
		return err
	}
	if !ok {
		if err := m.changelog.Create(ctx); err != nil {
			return err
		}
	}
	m.changelogAt.Store(time.Now().UnixNano())
	m.checkpoints = checkpoint.New(m.primary, m.checkpointT)
	// From here on the tables are this run's: a failure drops them as a fresh run's would,
	// unless it is an outage the checkpoint is kept for (Run).
	m.createdGhost, m.createdCheckpoint = true, true
	return nil
}

// createGhost creates the ghost table like the original and runs the ALTER on it, both under
// the server's own sql_mode: a definition the server would refuse to create or alter (a zero
// date DEFAULT under NO_ZERO_DATE) is refused as the server's own ALTER would refuse it. With
// --allow-zero-in-date, NO_ZERO_DATE and NO_ZERO_IN_DATE are left out, as gh-ost does. (The
// rows are copied under ghost's session sql_mode, which never has them, so zero dates already
// stored survive either way.)
func (m *Migration) createGhost(ctx context.Context) error {
	conn, err := m.primary.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The session's sql_mode is not ghost's: never hand it back to the pool.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@GLOBAL.sql_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read the server's sql_mode: %w", err)
	}
	if m.cfg.AllowZeroInDate {
		var keep []string
		for _, p := range strings.Split(mode, ",") {
			if p != "NO_ZERO_DATE" && p != "NO_ZERO_IN_DATE" {
				keep = append(keep, p)
			}
		}
		mode = strings.Join(keep, ",")
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", mode); err != nil {
		return fmt.Errorf("set sql_mode %q: %w", mode, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s LIKE %s", m.ghostT, m.origT)); err != nil {
		if dbconn.Number(err) != 0 && !dbconn.Is(err, dbconn.ErrTableExists) {
			return hint.New(fmt.Sprintf("the server refuses to create a table like %s under its sql_mode (%s): %v", m.origT, mode, err),
				"the server's own ALTER would fail the same way; fix the table's definition, or pass --allow-zero-in-date for zero date defaults")
		}
		return fmt.Errorf("create ghost table %s: %w", m.ghostT, err)
	}
	m.createdGhost = true
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s %s", m.ghostT, m.analysis.Clause)); err != nil {
		if n := dbconn.Number(err); n != 0 {
			return hint.New(fmt.Sprintf("the ALTER fails on the ghost table: %v", err), "fix the --alter statement; the original table was not touched")
		}
		return fmt.Errorf("alter ghost table: %w", err)
	}
	return nil
}

// mapColumns works out which original column feeds which column of to (the ghost table, or a
// revert's old table) by the ALTER's analysis, and the key both share; it returns the names.
func (m *Migration) mapColumns(to *schema.Table, opts alter.MappingOptions) (map[string]string, error) {
	colmap, err := alter.MapColumns(m.orig.ColumnNames(), to.ColumnNames(), m.analysis, opts)
	if err != nil {
		return nil, err
	}
	lower := make(map[string]string, len(colmap))
	for k, v := range colmap {
		lower[strings.ToLower(k)] = v
	}
	m.mapping, err = schema.NewMappingWith(m.orig, to, lower, schema.KeyPolicy{AllowNullable: m.cfg.AllowNullableUniqueKey})
	return colmap, err
}
