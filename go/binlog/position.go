package binlog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// CurrentPosition reads the server's current binlog write position. The statement's
// name depends on flavour and version (see dbconn.Replication).
func CurrentPosition(ctx context.Context, db *sql.DB, info dbconn.ServerInfo) (Position, error) {
	q := info.Replication().BinlogStatus
	row, err := dbconn.ShowRow(ctx, db, q)
	if err != nil {
		return Position{}, err
	}
	if row == nil {
		return Position{}, fmt.Errorf("%s returned nothing: binary logging is off on %s", q, info)
	}
	pos, err := strconv.ParseUint(row["Position"], 10, 32)
	if err != nil {
		return Position{}, fmt.Errorf("%s: parse position %q: %w", q, row["Position"], err)
	}
	return Position{File: row["File"], Pos: uint32(pos)}, nil
}
