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

// GTIDStateAt is the MariaDB GTID position (every domain's last GTID) at a binlog position
// of the server db is connected to, as the server itself computes it (BINLOG_GTID_POS, which
// reads the file up to the position: once per run). MySQL: "" (its GTID sets are not
// tracked; resuming elsewhere is refused there).
func GTIDStateAt(ctx context.Context, db *sql.DB, info dbconn.ServerInfo, p Position) (string, error) {
	if info.Flavor != dbconn.MariaDB {
		return "", nil
	}
	var s sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT BINLOG_GTID_POS(?, ?)", p.File, p.Pos).Scan(&s); err != nil {
		return "", fmt.Errorf("GTID position at %s: %w", p, err)
	}
	return s.String, nil
}
