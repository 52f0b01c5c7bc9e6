package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// startStreaming starts reading the binlog at the position build took, before a single row
// is copied, and starts the applier and heartbeat; it returns once a first heartbeat came back.
func (m *Migration) startStreaming(ctx context.Context, spawn func(string, func(context.Context) error)) error {
	spawn("binlog reader", func(ctx context.Context) error { return m.reader.Run(ctx, m.start, m.backlog) })
	spawn("applier", m.applyLoop)
	spawn("heartbeat", m.heartbeatLoop)
	spawn("replica lag", m.replicaLagLoop)
	m.log.WithField("position", m.start.String()).Info("streaming binlog")
	// A first heartbeat proves the stream works end to end before copying starts.
	// Time spent throttled (the applier holds events then) does not count.
	const patience = 30 * time.Second
	deadline := time.Now().Add(patience)
	for m.lastBeat.Load() == 0 {
		if m.throttleReason() != "" {
			deadline = time.Now().Add(patience)
		}
		if time.Now().After(deadline) {
			return hint.New("no heartbeat came back through the binlog within 30s", "check that the inspected server's binlog receives the primary's writes (replication running, log_slave_updates)")
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// applyLoop applies transactions from the backlog and reacts to changelog rows:
// heartbeats measure lag, markers wake whoever waits for them.
func (m *Migration) applyLoop(ctx context.Context) error {
	for {
		var tx binlog.Transaction
		select {
		case <-ctx.Done():
			return nil
		case tx = <-m.backlog:
		}
		if m.State() != StateCuttingOver {
			if err := m.waitThrottle(ctx); err != nil {
				return nil
			}
		}
		if err := m.applyTurn(ctx, tx); err != nil {
			return err
		}
	}
}

// applyTurn applies tx and then every transaction already waiting in the backlog, in
// batches of --dml-batch-size changes, during one turn on the ghost table. A turn costs
// the applier a wait for the chunk being copied; a turn of one batch could only apply
// --dml-batch-size changes per chunk, fewer than a busy table writes (seen in
// script/bench: a full backlog at 500 writes/s). Like gh-ost, applying goes before
// copying: the turn ends when the backlog is empty or ghost is throttled.
func (m *Migration) applyTurn(ctx context.Context, tx binlog.Transaction) error {
	asked := time.Now()
	m.ghostWrites.Lock()
	defer m.ghostWrites.Unlock()
	start, before := time.Now(), m.applied.Load()
	defer func() {
		if !m.log.Logger.IsLevelEnabled(logrus.DebugLevel) {
			return
		}
		m.log.WithFields(logrus.Fields{"changes": m.applied.Load() - before, "skipped_so_far": m.applier.Skipped(), "waited": start.Sub(asked).Round(time.Microsecond).String(),
			"took": time.Since(start).Round(time.Microsecond).String()}).Debug("apply turn")
	}()
	var pending []binlog.Change
	var markers []string
	batch := int(m.settings.DMLBatchSize())
	for {
		if err := m.collect(tx, &pending, &markers); err != nil {
			return err
		}
		last := tx
		// Apply once a marker waits for the changes before it or a batch is full; until
		// then, take the next waiting transaction into the batch.
		if len(markers) == 0 && len(pending) < batch {
			if next, ok := m.waiting(); ok {
				tx = next
				continue
			}
		}
		if len(pending) > 0 {
			if err := m.applier.Apply(ctx, pending); err != nil {
				if isDataLoss(err) && m.reverting != nil {
					return m.revertDataError(err)
				}
				if isDataLoss(err) {
					return dataError(err)
				}
				return err
			}
			m.applied.Add(int64(len(pending)))
			pending = pending[:0]
		}
		// Every change up to the end of the last transaction collected is in the ghost table
		// now: a checkpoint may record that position.
		end, gtid := last.End, last.GTID
		if last.GTIDState != "" {
			gtid = last.GTIDState
		}
		m.appliedPos.Store(&end)
		m.appliedGTID.Store(&gtid)
		for _, v := range markers {
			m.markerReached(v)
		}
		markers = markers[:0]
		if m.State() != StateCuttingOver && m.throttleReason() != "" {
			return nil
		}
		next, ok := m.waiting()
		if !ok {
			return nil
		}
		tx = next
		batch = int(m.settings.DMLBatchSize())
	}
}

// waiting returns the next transaction of the backlog if one is waiting.
func (m *Migration) waiting() (binlog.Transaction, bool) {
	select {
	case tx := <-m.backlog:
		return tx, true
	default:
		return binlog.Transaction{}, false
	}
}

// collect sorts a transaction's changes: changes of the table go to pending; changelog rows
// are heartbeats (lag) and markers (woken once everything before them is applied); a DDL on
// the table ends the migration.
func (m *Migration) collect(tx binlog.Transaction, pending *[]binlog.Change, markers *[]string) error {
	for _, ch := range tx.Changes {
		switch {
		case ch.Action == binlog.DDL:
			return hint.New(fmt.Sprintf("a statement changed %s.%s while ghost ran: %s", m.cfg.Database, m.cfg.Table, oneLine(ch.Query)),
				"ghost stopped without cutting over; run the migration again once nobody else alters the table")
		case strings.EqualFold(ch.Table, m.changelogT.Name):
			if ch.After == nil {
				continue
			}
			e, ok := changelog.Parse(ch.After)
			if !ok {
				continue
			}
			switch e.Hint {
			case changelog.HintHeartbeat:
				// A heartbeat from before this run's changelog table is an earlier run's,
				// read again by a resume or a revert: it says nothing of this stream's lag.
				if t, ok := changelog.HeartbeatTime(e.Value); ok && !t.Before(m.changelogCreated()) {
					m.lastBeat.Store(t.UnixNano())
				}
			case changelog.HintState:
				*markers = append(*markers, e.Value)
			}
		default:
			*pending = append(*pending, ch)
		}
	}
	return nil
}

// waitApplied writes a unique marker into the changelog and waits until the applier
// has applied every change before it.
func (m *Migration) waitApplied(ctx context.Context) error {
	marker := changelog.AllAppliedMarker(time.Now())
	ch := make(chan struct{})
	m.markersMu.Lock()
	m.markers[marker] = ch
	m.markersMu.Unlock()
	defer func() {
		m.markersMu.Lock()
		delete(m.markers, marker)
		m.markersMu.Unlock()
	}()
	if err := m.changelog.State(ctx, marker); err != nil {
		return err
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Migration) markerReached(v string) {
	m.markersMu.Lock()
	defer m.markersMu.Unlock()
	if ch, ok := m.markers[v]; ok {
		close(ch)
		delete(m.markers, v)
	}
}

// heartbeatLoop writes heartbeats on the primary; their return through the binlog
// measures how far behind ghost's view of the table is.
func (m *Migration) heartbeatLoop(ctx context.Context) error {
	t := time.NewTicker(m.cfg.HeartbeatInterval)
	defer t.Stop()
	// Failures are waited out as long as a chunk would wait out an outage of the primary
	// (at least 50 heartbeats): a restart or a failover must not end the run from here.
	patience := max(dbconn.OutageBudget(m.cfg.DefaultRetries), 50*m.cfg.HeartbeatInterval)
	var failingSince time.Time
	failures := 0
	for {
		if err := m.changelog.Heartbeat(ctx, time.Now()); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if failingSince.IsZero() {
				failingSince = time.Now()
			}
			if failures++; failures%20 == 1 {
				m.log.WithError(err).WithField("failures", failures).Warn("heartbeat write failed")
			}
			if time.Since(failingSince) > patience {
				return fmt.Errorf("heartbeats failed for %s: %w", time.Since(failingSince).Round(time.Second), err)
			}
		} else {
			failingSince, failures = time.Time{}, 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// replicaLagLoop measures the inspected replica's lag by reading the heartbeat row
// there: it is replication's lag alone, independent of how fast ghost applies, so
// throttling on it cannot feed on itself.
func (m *Migration) replicaLagLoop(ctx context.Context) error {
	if m.inspected == m.primary {
		if m.inspectedIsReplica {
			return m.secondsBehindLoop(ctx)
		}
		return nil
	}
	t := time.NewTicker(m.cfg.HeartbeatInterval)
	defer t.Stop()
	for {
		lag, err := heartbeatLag(ctx, m.inspected, m.changelogT, m.changelogCreated())
		if err == nil {
			m.replicaLag.Store(int64(lag))
		} else if ctx.Err() == nil {
			m.log.WithError(err).Debug("replica lag read failed")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// heartbeatLag is how far replica db is behind the primary by ghost's heartbeat row in its copy
// of the changelog table. created is when ghost created the changelog table on the primary
// (zero: not yet). A replica that has not replayed that CREATE or the first heartbeat yet is at
// least as far behind as the CREATE is old: that is its lag, not an error. (An error here
// throttled the copy for a whole collection interval at start, 1 s, whenever the replica was
// a few milliseconds late with the new table: 13 of 54 fast bench runs on 2026-12-03.)
func heartbeatLag(ctx context.Context, db *sql.DB, table sqlgen.Table, created time.Time) (time.Duration, error) {
	var v string
	err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT value FROM %s WHERE hint = ?", table), changelog.HintHeartbeat).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || dbconn.Is(err, dbconn.ErrNoSuchTable) {
		if created.IsZero() {
			return 0, nil
		}
		return time.Since(created), nil
	}
	if err != nil {
		return 0, err
	}
	ts, ok := changelog.HeartbeatTime(v)
	if !ok {
		return 0, fmt.Errorf("heartbeat %q in %s is not a time", v, table)
	}
	return time.Since(ts), nil
}

// secondsBehindLoop measures lag in the replica modes (--migrate-on-replica,
// --test-on-replica), where the heartbeat is written on the replica itself and so
// cannot measure replication: it reads the replica's own estimate once a second.
func (m *Migration) secondsBehindLoop(ctx context.Context) error {
	words := m.inspectedInfo.Replication()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if row, err := dbconn.ShowRow(ctx, m.inspected, words.ReplicaStatus); err == nil && row[words.SecondsBehind] != "" {
			if n, err := strconv.ParseInt(row[words.SecondsBehind], 10, 64); err == nil {
				m.replicaLag.Store(int64(time.Duration(n) * time.Second))
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ReplicaLag is the inspected replica's replication lag.
func (m *Migration) ReplicaLag() time.Duration { return time.Duration(m.replicaLag.Load()) }

// Lag is how old the last heartbeat read back through the binlog is: the delay of
// ghost's own view of the table.
func (m *Migration) Lag() time.Duration {
	b := m.lastBeat.Load()
	if b == 0 {
		return 0
	}
	return time.Since(time.Unix(0, b))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
