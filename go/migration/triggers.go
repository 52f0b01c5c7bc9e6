package migration

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// --include-triggers. The original's triggers fire on the application's writes, and row-based
// binlogging records what they wrote as row events of their own, which ghost leaves alone. So
// the ghost table must have no trigger while ghost applies the binlog to it (each write would
// fire twice), and must have them from the moment it is the table. They are created inside the
// cut-over: after every event up to the lock is applied, while writes to the original are
// blocked and the applier is held off the ghost table, and dropped again if the attempt fails.
// Trigger names are unique in a schema, so the new ones get --trigger-suffix.

// newTriggerName is the name a trigger gets on the new table.
func (m *Migration) newTriggerName(name string) string {
	if m.cfg.RemoveTriggerSuffixIfExists && strings.HasSuffix(name, m.cfg.TriggerSuffix) && len(name) > len(m.cfg.TriggerSuffix) {
		return strings.TrimSuffix(name, m.cfg.TriggerSuffix)
	}
	return name + m.cfg.TriggerSuffix
}

// checkTriggers reads the original's triggers and checks that their new names are free.
func (m *Migration) checkTriggers(ctx context.Context) error {
	trg, err := schema.TriggerDefinitions(ctx, m.primary, m.cfg.Database, m.cfg.Table)
	if err != nil {
		return err
	}
	for _, t := range trg {
		n := m.newTriggerName(t.Name)
		if len(n) > 64 {
			return hint.New(fmt.Sprintf("trigger %s would be named %s on the new table, longer than 64 characters", t.Name, n),
				"use a shorter --trigger-suffix")
		}
		var count int
		if err := m.primary.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?",
			m.cfg.Database, n).Scan(&count); err != nil {
			return fmt.Errorf("look for trigger %s: %w", n, err)
		}
		if count > 0 {
			return hint.New(fmt.Sprintf("trigger %s.%s already exists, the name trigger %s would get on the new table", m.cfg.Database, n, t.Name),
				"choose another --trigger-suffix (or --remove-trigger-suffix-if-exists when the names carry it from an earlier migration)")
		}
	}
	m.triggers = trg
	return nil
}

// createTriggers creates the original's triggers on table under their new names, each under
// the sql_mode it was created with, in firing order.
func (m *Migration) createTriggers(ctx context.Context, table sqlgen.Table) error {
	if len(m.triggers) == 0 {
		return nil
	}
	conn, err := m.primary.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The session's sql_mode was changed: never hand it back to the pool.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	for _, t := range m.triggers {
		if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", t.SQLMode); err != nil {
			return fmt.Errorf("set sql_mode for trigger %s: %w", t.Name, err)
		}
		q := fmt.Sprintf("CREATE DEFINER=%s TRIGGER %s %s %s ON %s FOR EACH ROW %s",
			definer(t.Definer), dbconn.QuoteTable(table.Schema, m.newTriggerName(t.Name)), t.Timing, t.Event, table, t.Body)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create trigger %s on %s: %w", m.newTriggerName(t.Name), table, err)
		}
	}
	return nil
}

// dropTriggers drops the new-named triggers, those that exist.
func (m *Migration) dropTriggers(ctx context.Context) error {
	for _, t := range m.triggers {
		q := "DROP TRIGGER IF EXISTS " + dbconn.QuoteTable(m.cfg.Database, m.newTriggerName(t.Name))
		if _, err := m.primary.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("drop trigger %s: %w", m.newTriggerName(t.Name), err)
		}
	}
	return nil
}

// proveTriggers creates the triggers on the (empty, not yet applied to) ghost table and drops
// them again: a trigger that does not fit the new schema (it names a dropped column) is
// refused now, not at the cut-over.
func (m *Migration) proveTriggers(ctx context.Context) error {
	if len(m.triggers) == 0 {
		return nil
	}
	err := m.createTriggers(ctx, m.ghostT)
	derr := m.dropTriggers(ctx)
	if err != nil {
		return hint.New(fmt.Sprintf("--include-triggers: the original's triggers do not fit the new schema: %v", err),
			"change the ALTER or the trigger; the original table was not touched")
	}
	return derr
}

// triggerHooks are the cut-over's BeforeRename and Undo with --include-triggers. The applier
// is held off the ghost table from the creation until the attempt ends (released by Undo, or
// by releaseTriggerHold after a swap), so that no applied event fires the new triggers.
func (m *Migration) triggerHooks() (before func(context.Context) error, undo func(context.Context)) {
	if len(m.triggers) == 0 {
		return nil, nil
	}
	before = func(ctx context.Context) error {
		m.ghostWrites.Lock()
		m.triggersHeld = true
		if err := m.createTriggers(ctx, m.ghostT); err != nil {
			return err // the cut-over calls undo
		}
		return nil
	}
	undo = func(ctx context.Context) {
		if err := m.dropTriggers(ctx); err != nil {
			m.log.WithError(err).Error("could not drop the triggers created on the ghost table; drop them by hand before the next attempt")
		}
		m.releaseTriggerHold()
	}
	return before, undo
}

// releaseTriggerHold lets the applier back onto the ghost table.
func (m *Migration) releaseTriggerHold() {
	if m.triggersHeld {
		m.triggersHeld = false
		m.ghostWrites.Unlock()
	}
}

// definer quotes user@host for CREATE DEFINER=.
func definer(d string) string {
	i := strings.LastIndex(d, "@")
	if i < 0 {
		return dbconn.QuoteString(d)
	}
	return dbconn.QuoteString(d[:i]) + "@" + dbconn.QuoteString(d[i+1:])
}
