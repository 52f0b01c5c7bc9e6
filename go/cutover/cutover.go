package cutover

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/sirupsen/logrus"
)

// Config is what a cut-over needs.
type Config struct {
	DB    *sql.DB // the primary
	Orig  sqlgen.Table
	Ghost sqlgen.Table
	Old   sqlgen.Table // the name the original gets
	// Swap trades the two tables' names instead (a revert): the original passes through Old,
	// which only the cut-over's sentry holds, to the ghost table's name.
	Swap bool
	// LockTimeout bounds how long writes are blocked in one attempt.
	LockTimeout time.Duration
	// WaitApplied writes an in-band marker and returns once every binlog event up to
	// it has been applied to the ghost table.
	WaitApplied func(ctx context.Context) error
	// BeforeRename, when set, runs once every event up to the lock is applied and before the
	// tables are renamed, while writes to the original are blocked (--include-triggers creates
	// the ghost table's triggers here: no write can reach them before the swap). Undo reverses
	// it when the attempt fails after it ran.
	BeforeRename func(ctx context.Context) error
	Undo         func(ctx context.Context)
	// Pause, when set, is called between steps with the step's name (fault tests).
	Pause func(step string)
	Log   *logrus.Entry
}

// Result describes a successful cut-over.
type Result struct {
	// Blocked is how long writes to the table were blocked.
	Blocked time.Duration
}

// Strategy runs one cut-over attempt. On error the original table is in place.
type Strategy interface {
	Attempt(ctx context.Context) (Result, error)
	Name() string
}

// ErrHalfDone: the attempt failed after changing the tables (two-step: the original renamed
// away, the ghost table not renamed in). Unlike every other failure, the original is not in
// place.
var ErrHalfDone = errors.New("cut-over half done")

// ErrTimeout is returned when an attempt could not finish within its lock timeout.
var ErrTimeout = errors.New("cut-over lock timeout")

func (c *Config) pause(step string) {
	if c.Pause != nil {
		c.Pause(step)
	}
}

func lockSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// pinned opens a dedicated session with a short lock_wait_timeout.
func pinned(ctx context.Context, db *sql.DB, timeout time.Duration) (*sql.Conn, int64, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, 0, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", lockSeconds(timeout))); err != nil {
		conn.Close()
		return nil, 0, err
	}
	id, err := dbconn.ConnectionID(ctx, conn)
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	return conn, id, nil
}

// Atomic is the sentry-table cut-over.
type Atomic struct{ Cfg Config }

func (a *Atomic) Name() string { return "atomic" }

// Attempt runs one atomic cut-over.
func (a *Atomic) Attempt(ctx context.Context) (res Result, err error) {
	c := &a.Cfg
	// The sentry holds the old table's name: while it exists, the queued RENAME
	// cannot succeed, so only an explicit drop by the lock holder lets it through.
	sentry := fmt.Sprintf("CREATE TABLE %s (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB COMMENT='ghost cut-over sentry'", c.Old)
	if _, err := c.DB.ExecContext(ctx, sentry); err != nil {
		return res, fmt.Errorf("create sentry table %s: %w", c.Old, err)
	}
	sentryDropped := false
	defer func() {
		if !sentryDropped {
			// Best effort with a fresh context: the attempt's may be cancelled.
			dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, derr := c.DB.ExecContext(dctx, fmt.Sprintf("DROP TABLE IF EXISTS %s", c.Old)); derr != nil && c.Log != nil {
				c.Log.WithError(derr).Warn("could not drop the cut-over sentry table")
			}
		}
	}()

	lockConn, _, err := pinned(ctx, c.DB, c.LockTimeout)
	if err != nil {
		return res, fmt.Errorf("open lock session: %w", err)
	}
	defer lockConn.Close()
	renameConn, renameID, err := pinned(ctx, c.DB, 2*c.LockTimeout+time.Second)
	if err != nil {
		return res, fmt.Errorf("open rename session: %w", err)
	}
	defer renameConn.Close()

	lockStart := time.Now()
	if _, err := lockConn.ExecContext(ctx, fmt.Sprintf("LOCK TABLES %s WRITE, %s WRITE", c.Orig, c.Old)); err != nil {
		if dbconn.Is(err, dbconn.ErrLockWaitTimeout) {
			return res, fmt.Errorf("%w: LOCK TABLES %s waited %s: %v", ErrTimeout, c.Orig, c.LockTimeout, err)
		}
		return res, fmt.Errorf("lock %s: %w", c.Orig, err)
	}
	locked := true
	unlock := func() {
		if locked {
			locked = false
			uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			lockConn.ExecContext(uctx, "UNLOCK TABLES")
		}
	}
	defer unlock()
	c.pause("locked")

	wctx, cancel := context.WithDeadline(ctx, lockStart.Add(c.LockTimeout))
	err = c.WaitApplied(wctx)
	cancel()
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return res, fmt.Errorf("%w: events up to the lock not applied within %s", ErrTimeout, c.LockTimeout)
		}
		return res, fmt.Errorf("wait for events up to the lock: %w", err)
	}
	c.pause("applied")
	if err := c.beforeRename(ctx); err != nil {
		return res, err
	}
	swapped := false
	defer func() {
		if !swapped {
			c.undo()
		}
	}()

	renameDone := make(chan error, 1)
	go func() {
		_, err := renameConn.ExecContext(context.Background(), c.rename())
		renameDone <- err
	}()
	// If anything below fails the lock is released while the sentry still exists,
	// so the queued RENAME fails and the original stays.
	if err := waitQueued(ctx, c.DB, renameID, lockStart.Add(c.LockTimeout), renameDone); err != nil {
		unlock()
		<-renameDone
		return res, err
	}
	c.pause("rename-queued")

	if _, err := lockConn.ExecContext(ctx, fmt.Sprintf("DROP TABLE %s", c.Old)); err != nil {
		unlock()
		<-renameDone
		return res, fmt.Errorf("drop sentry table %s: %w", c.Old, err)
	}
	sentryDropped = true
	c.pause("sentry-dropped")

	// Why: the RENAME takes its metadata locks one by one in key order (schema, then
	// name byte by byte), so with the usual names (_t_del, _t_gho before t) it waited
	// on the sentry, not on t, and only after the DROP goes on to the ghost table and
	// then t. Only once it waits on t is it granted ahead of the writes queued there.
	// Unlocking earlier (the RENAME thread not yet scheduled, or a session reading the
	// ghost table) lets those writes run on the old table after its last event was
	// applied: they would be lost (gh-ost#887). So wait until the RENAME holds the lock
	// of the last table it takes before t; failing that, stop it while t is still
	// locked (it cannot have finished), and only then unlock.
	if last, ok := lastLockedBefore(ctx, c.DB, c.Orig, c.Old, c.Ghost); ok {
		if err := waitHeld(ctx, c.DB, last, lockStart.Add(c.LockTimeout), renameDone); err != nil {
			if !errors.Is(err, errRenameEnded) {
				kctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if _, kerr := c.DB.ExecContext(kctx, fmt.Sprintf("KILL QUERY %d", renameID)); kerr != nil && c.Log != nil {
					c.Log.WithError(kerr).Warn("could not stop the cut-over RENAME")
				}
				cancel()
			}
			unlock()
			if rerr := <-renameDone; rerr == nil {
				// The lock session died meanwhile and the RENAME, queued on t, went
				// through: every event up to the lock was applied, the swap is whole.
				swapped = true
				res.Blocked = time.Since(lockStart)
				return res, nil
			}
			return res, err
		}
	}
	unlock()
	if err := <-renameDone; err != nil {
		return res, fmt.Errorf("rename %s to %s: %w", c.Ghost, c.Orig, err)
	}
	swapped = true
	res.Blocked = time.Since(lockStart)
	return res, nil
}

// rename is the statement that swaps the tables at once.
func (c *Config) rename() string {
	q := fmt.Sprintf("RENAME TABLE %s TO %s, %s TO %s", c.Orig, c.Old, c.Ghost, c.Orig)
	if c.Swap {
		q += fmt.Sprintf(", %s TO %s", c.Old, c.Ghost)
	}
	return q
}

func (c *Config) beforeRename(ctx context.Context) error {
	if c.BeforeRename == nil {
		return nil
	}
	if err := c.BeforeRename(ctx); err != nil {
		c.undo()
		return fmt.Errorf("before the rename: %w", err)
	}
	return nil
}

// undo reverses BeforeRename with a context of its own: the attempt's may be cancelled.
func (c *Config) undo() {
	if c.Undo == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.Undo(ctx)
}

// errRenameEnded: the RENAME ended while it was expected to wait.
var errRenameEnded = errors.New("the rename ended while the original was locked")

// lastLockedBefore returns, of the other tables of the RENAME, the one whose metadata
// lock comes last before the original's in the order the server takes them, and false
// when the original's comes first. Keys compare as schema and name bytes; the server
// lower-cases names first when lower_case_table_names is set.
func lastLockedBefore(ctx context.Context, db *sql.DB, orig sqlgen.Table, others ...sqlgen.Table) (sqlgen.Table, bool) {
	var lower int
	if err := db.QueryRowContext(ctx, "SELECT @@lower_case_table_names").Scan(&lower); err != nil {
		lower = 0
	}
	key := func(t sqlgen.Table) string {
		k := t.Schema + "\x00" + t.Name
		if lower != 0 {
			k = strings.ToLower(k)
		}
		return k
	}
	var last sqlgen.Table
	found := false
	for _, o := range others {
		if key(o) < key(orig) && (!found || key(o) > key(last)) {
			last, found = o, true
		}
	}
	return last, found
}

// waitHeld waits until another session holds an exclusive metadata lock on table. The
// probe, SHOW CREATE TABLE without waiting, takes the weakest shared lock, which is
// granted past waiting exclusive requests and refused only by a granted one: it fails
// with a lock wait timeout exactly when the lock is held. (MariaDB takes a zero
// lock_wait_timeout; MySQL raises it to one second.)
func waitHeld(ctx context.Context, db *sql.DB, table sqlgen.Table, deadline time.Time, done chan error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open probe session: %w", err)
	}
	defer func() {
		// Never hand the zero timeout back to the pool: close the session.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, "SET SESSION lock_wait_timeout = 0"); err != nil {
		return fmt.Errorf("probe session: %w", err)
	}
	for {
		rows, err := conn.QueryContext(ctx, "SHOW CREATE TABLE "+table.String())
		if err == nil {
			rows.Close()
		}
		switch {
		case dbconn.Is(err, dbconn.ErrLockWaitTimeout):
			return nil
		case err != nil && !dbconn.Is(err, dbconn.ErrNoSuchTable):
			return fmt.Errorf("probe the lock on %s: %w", table, err)
		}
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("%w: %v", errRenameEnded, err)
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: the rename did not get the lock on %s (a session holds it)", ErrTimeout, table)
		}
	}
}

// waitQueued waits until the RENAME session is waiting on the table lock.
// A rename that ends while waited for is put back on done: the caller receives its
// result again before returning.
func waitQueued(ctx context.Context, db *sql.DB, id int64, deadline time.Time, done chan error) error {
	for {
		var state sql.NullString
		err := db.QueryRowContext(ctx, "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?", id).Scan(&state)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check rename session: %w", err)
		}
		if state.Valid && (state.String == "Waiting for table metadata lock" || state.String == "Waiting for table level lock") {
			return nil
		}
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("rename finished before the lock was released (it must wait): %v", err)
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: the rename was not seen waiting on the lock", ErrTimeout)
		}
	}
}

// TwoStep locks the original, renames it away, unlocks, then renames the ghost in.
// Between the two renames the table does not exist.
type TwoStep struct{ Cfg Config }

func (t *TwoStep) Name() string { return "two-step" }

// Attempt runs one two-step cut-over.
func (t *TwoStep) Attempt(ctx context.Context) (res Result, err error) {
	c := &t.Cfg
	conn, _, err := pinned(ctx, c.DB, c.LockTimeout)
	if err != nil {
		return res, fmt.Errorf("open lock session: %w", err)
	}
	defer conn.Close()
	lockStart := time.Now()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("LOCK TABLES %s WRITE", c.Orig)); err != nil {
		if dbconn.Is(err, dbconn.ErrLockWaitTimeout) {
			return res, fmt.Errorf("%w: LOCK TABLES %s: %v", ErrTimeout, c.Orig, err)
		}
		return res, fmt.Errorf("lock %s: %w", c.Orig, err)
	}
	locked := true
	defer func() {
		if locked {
			conn.ExecContext(context.Background(), "UNLOCK TABLES")
		}
	}()
	wctx, cancel := context.WithDeadline(ctx, lockStart.Add(c.LockTimeout))
	err = c.WaitApplied(wctx)
	cancel()
	if err != nil {
		return res, fmt.Errorf("%w: wait for events up to the lock: %v", ErrTimeout, err)
	}
	if err := c.beforeRename(ctx); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s RENAME TO %s", c.Orig, c.Old)); err != nil {
		c.undo()
		return res, fmt.Errorf("rename %s away: %w", c.Orig, err)
	}
	locked = false
	if _, err := conn.ExecContext(ctx, "UNLOCK TABLES"); err != nil {
		return res, fmt.Errorf("unlock: %w", err)
	}
	// The original is renamed away: the second rename must run even if the run is
	// being cancelled, or the table stays missing.
	second := fmt.Sprintf("RENAME TABLE %s TO %s", c.Ghost, c.Orig)
	if c.Swap {
		second += fmt.Sprintf(", %s TO %s", c.Old, c.Ghost)
	}
	if _, err := c.DB.ExecContext(context.WithoutCancel(ctx), second); err != nil {
		return res, fmt.Errorf("%w: rename %s in (the table %s is missing until this is done by hand): %v", ErrHalfDone, c.Ghost, c.Orig, err)
	}
	res.Blocked = time.Since(lockStart)
	return res, nil
}
