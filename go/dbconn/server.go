package dbconn

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Flavor is the server family; binlog positions, GTID formats and a few statements differ.
type Flavor string

const (
	MariaDB Flavor = "mariadb"
	MySQL   Flavor = "mysql"
)

// ServerInfo describes a server.
type ServerInfo struct {
	Flavor   Flavor
	Version  string // as reported by VERSION()
	Major    int
	Minor    int
	Patch    int
	ServerID uint32
	Hostname string
	Port     int
}

// AtLeast compares the numeric version.
func (s ServerInfo) AtLeast(major, minor, patch int) bool {
	if s.Major != major {
		return s.Major > major
	}
	if s.Minor != minor {
		return s.Minor > minor
	}
	return s.Patch >= patch
}

func (s ServerInfo) String() string {
	return fmt.Sprintf("%s:%d (%s %s)", s.Hostname, s.Port, s.Flavor, s.Version)
}

// Inspect reads flavour, version and identity of the server behind db.
func Inspect(ctx context.Context, db *sql.DB) (ServerInfo, error) {
	var info ServerInfo
	var version, comment string
	if err := db.QueryRowContext(ctx, "SELECT VERSION(), @@version_comment, @@server_id, @@hostname, @@port").
		Scan(&version, &comment, &info.ServerID, &info.Hostname, &info.Port); err != nil {
		return info, fmt.Errorf("read server version: %w", err)
	}
	info.Version = version
	info.Flavor = MySQL
	if strings.Contains(strings.ToLower(version+" "+comment), "mariadb") {
		info.Flavor = MariaDB
	}
	nums := strings.SplitN(strings.SplitN(version, "-", 2)[0], ".", 3)
	for i, p := range nums {
		n, _ := strconv.Atoi(p)
		switch i {
		case 0:
			info.Major = n
		case 1:
			info.Minor = n
		case 2:
			info.Patch = n
		}
	}
	return info, nil
}

// Variable reads one global variable as text ("" when it does not exist).
func Variable(ctx context.Context, db *sql.DB, name string) (string, error) {
	var n, v sql.NullString
	err := db.QueryRowContext(ctx, "SHOW GLOBAL VARIABLES LIKE "+QuoteString(name)).Scan(&n, &v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read variable %s: %w", name, err)
	}
	return v.String, nil
}
