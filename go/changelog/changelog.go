package changelog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Hints name the rows of the changelog table.
const (
	HintHeartbeat = "heartbeat"
	HintState     = "state"
)

// StateAllApplied prefixes the state marker AllAppliedMarker makes: once the marker
// comes back through the binlog and is applied, so is every change written before it.
const StateAllApplied = "AllEventsUpToLockProcessed"

// Changelog writes to the changelog table.
type Changelog struct {
	db    *sql.DB
	table sqlgen.Table
}

// New binds a changelog table on the primary.
func New(db *sql.DB, table sqlgen.Table) *Changelog { return &Changelog{db: db, table: table} }

// Table is the changelog table's name.
func (c *Changelog) Table() sqlgen.Table { return c.table }

// Create creates the table; it must not exist.
func (c *Changelog) Create(ctx context.Context) error {
	q := fmt.Sprintf(`CREATE TABLE %s (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  hint VARCHAR(64) CHARACTER SET ascii NOT NULL,
  value VARCHAR(4096) CHARACTER SET utf8mb4 NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY hint_uidx (hint)
) ENGINE=InnoDB COMMENT='ghost changelog'`, c.table)
	if _, err := c.db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create changelog table %s: %w", c.table, err)
	}
	return nil
}

func (c *Changelog) write(ctx context.Context, id int, hint, value string) error {
	q := fmt.Sprintf("INSERT INTO %s (id, hint, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), last_update = NOW(6)", c.table)
	if _, err := c.db.ExecContext(ctx, q, id, hint, value); err != nil {
		return fmt.Errorf("write %s to %s: %w", hint, c.table, err)
	}
	return nil
}

// Heartbeat writes the current time; its return through the binlog measures lag.
func (c *Changelog) Heartbeat(ctx context.Context, now time.Time) error {
	return c.write(ctx, 1, HintHeartbeat, strconv.FormatInt(now.UnixNano(), 10))
}

// State writes a state marker.
func (c *Changelog) State(ctx context.Context, value string) error {
	return c.write(ctx, 2, HintState, value)
}

// Entry is a changelog row read back from a row image.
type Entry struct {
	Hint  string
	Value string
}

// Parse reads a row image of the changelog table (id, last_update, hint, value).
func Parse(image []any) (Entry, bool) {
	if len(image) < 4 {
		return Entry{}, false
	}
	return Entry{Hint: str(image[2]), Value: str(image[3])}, true
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// HeartbeatTime decodes a heartbeat value.
func HeartbeatTime(value string) (time.Time, bool) {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}

// AllAppliedMarker returns a unique marker value for one cut-over attempt.
func AllAppliedMarker(now time.Time) string {
	return StateAllApplied + ":" + strconv.FormatInt(now.UnixNano(), 10)
}
