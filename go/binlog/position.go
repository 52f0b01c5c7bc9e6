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
	return currentPosition(ctx, db, info)
}

func currentPosition(ctx context.Context, db dbconn.Querier, info dbconn.ServerInfo) (Position, error) {
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

// CurrentPositionGTID is CurrentPosition with, on MariaDB, the GTID position there (as
// GTIDStateAt gives it) without having the server read the binlog file up to it: the server's
// @@gtid_binlog_pos read before and after the position, when both reads agree (no transaction
// reached the binlog in between), is the GTID state at that position. On a server whose binlog
// never pauses for that long it falls back to GTIDStateAt, which reads the current file up to
// the position (once per run; its cost grows with the file, up to max_binlog_size).
func CurrentPositionGTID(ctx context.Context, db *sql.DB, info dbconn.ServerInfo) (Position, string, error) {
	if info.Flavor != dbconn.MariaDB {
		p, err := CurrentPosition(ctx, db, info)
		return p, "", err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return Position{}, "", err
	}
	defer conn.Close()
	binlogPos := func() (string, error) {
		var s string
		err := conn.QueryRowContext(ctx, "SELECT @@global.gtid_binlog_pos").Scan(&s)
		return s, err
	}
	var p Position
	for range 5 {
		before, err := binlogPos()
		if err != nil {
			return Position{}, "", fmt.Errorf("read @@gtid_binlog_pos: %w", err)
		}
		if p, err = currentPosition(ctx, conn, info); err != nil {
			return Position{}, "", err
		}
		after, err := binlogPos()
		if err != nil {
			return Position{}, "", fmt.Errorf("read @@gtid_binlog_pos: %w", err)
		}
		if before == after {
			return p, after, nil
		}
	}
	g, err := GTIDStateAt(ctx, db, info, p)
	return p, g, err
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
