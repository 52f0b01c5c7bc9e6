package binlog

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// CurrentPosition reads the server's current binlog write position.
// MySQL 8.4 renamed SHOW MASTER STATUS to SHOW BINARY LOG STATUS; MariaDB keeps the old name.
func CurrentPosition(ctx context.Context, db *sql.DB, info dbconn.ServerInfo) (Position, error) {
	q := "SHOW MASTER STATUS"
	if info.Flavor == dbconn.MySQL && info.AtLeast(8, 4, 0) {
		q = "SHOW BINARY LOG STATUS"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return Position{}, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return Position{}, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Position{}, err
		}
		return Position{}, fmt.Errorf("%s returned nothing: binary logging is off on %s", q, info)
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return Position{}, err
	}
	var pos uint32
	if _, err := fmt.Sscan(string(vals[1]), &pos); err != nil {
		return Position{}, fmt.Errorf("parse position %q: %w", vals[1], err)
	}
	return Position{File: string(vals[0]), Pos: pos}, rows.Err()
}
