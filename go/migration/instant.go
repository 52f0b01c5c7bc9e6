package migration

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/ghost-osc/ghost/go/plan"
	"github.com/sirupsen/logrus"
)

// tryInstant is --attempt-instant-ddl: when the server can run the ALTER as a metadata change
// (a plan's classification on an empty copy of the table says instant), run it on the table
// itself with ALGORITHM=INSTANT and a lock_wait_timeout of --cut-over-lock-timeout-seconds,
// the metadata lock a cut-over takes too. It reports whether the table is done; a refusal or a
// lock timeout falls back to the copy, the table untouched.
func (m *Migration) tryInstant(ctx context.Context) bool {
	if !m.cfg.AttemptInstantDDL || !m.cfg.Execute || m.resume != nil || m.reverting != nil {
		return false
	}
	class, why, err := plan.Classify(ctx, m.primary, m.primaryInfo, m.origT, m.cfg.PlanTable(), m.analysis.Clause)
	if err != nil {
		m.instantNote = "instant DDL: could not classify the ALTER (" + err.Error() + "); copied"
		m.log.WithError(err).Warn("--attempt-instant-ddl: could not classify the ALTER; copying")
		return false
	}
	if class != plan.Instant {
		m.instantNote = fmt.Sprintf("instant DDL: not possible here (the server runs this ALTER as %s: %s); copied", class, why)
		m.log.WithField("class", string(class)).Info("--attempt-instant-ddl: the server cannot run this ALTER instantly; copying")
		return false
	}
	conn, err := m.primary.Conn(ctx)
	if err != nil {
		return false
	}
	defer func() {
		// The session's lock_wait_timeout is not ghost's: never hand it back to the pool.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", max(1, int(m.cfg.CutOverLockTimeout/time.Second)))); err != nil {
		return false
	}
	start := time.Now()
	_, err = conn.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s %s, ALGORITHM=INSTANT", m.origT, m.analysis.Clause))
	took := time.Since(start)
	if err != nil {
		m.instantNote = fmt.Sprintf("instant DDL: refused on the table (%v); copied", err)
		m.log.WithError(err).Warn("--attempt-instant-ddl: ALGORITHM=INSTANT failed on the table; copying instead")
		return false
	}
	m.blockedNs.Store(int64(took))
	m.instantNote = fmt.Sprintf("altered in place with ALGORITHM=INSTANT in %dms, no rows copied", took.Milliseconds())
	m.log.WithFields(logrus.Fields{"took": took.Round(time.Microsecond).String()}).Info("--attempt-instant-ddl: the ALTER ran instantly on the table")
	return true
}
