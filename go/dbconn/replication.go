package dbconn

import (
	"context"
	"database/sql"
	"fmt"
)

// Replication is the wording of the replication statements a server understands and
// of the columns its replica status shows. Get it from ServerInfo.Replication.
//
// Why two wordings: MySQL 8.0.22 renamed SLAVE to REPLICA and MASTER to SOURCE, both
// in the statements and in the columns the status statement returns (the column names
// follow the form of the statement that was run); MySQL 8.4 removed the old statements.
// MariaDB accepts REPLICA as a synonym since 10.5.1 but still names the columns
// Master_* and Slave_*, so ghost keeps the SLAVE wording there in every version.
// SHOW MASTER STATUS had its own rename: SHOW BINARY LOG STATUS exists since MySQL
// 8.2.0, and 8.4 removed the old name; MariaDB keeps SHOW MASTER STATUS.
type Replication struct {
	// ReplicaStatus shows the replica threads: SHOW SLAVE STATUS or SHOW REPLICA STATUS.
	// It returns no row on a server that replicates from nothing.
	ReplicaStatus string
	// StartReplica and StopReplica start and stop both replica threads.
	StartReplica string
	StopReplica  string
	// BinlogStatus shows the server's own binary log write position:
	// SHOW MASTER STATUS or SHOW BINARY LOG STATUS.
	BinlogStatus string

	// Column names of a ReplicaStatus row.
	SourceHost    string // Master_Host / Source_Host
	SourcePort    string // Master_Port / Source_Port
	SecondsBehind string // Seconds_Behind_Master / Seconds_Behind_Source (NULL while a thread is stopped)
	IORunning     string // Slave_IO_Running / Replica_IO_Running: "Yes", "No" or "Connecting"
	SQLRunning    string // Slave_SQL_Running / Replica_SQL_Running: "Yes" or "No"
	LastIOError   string // Last_IO_Error (not renamed)
	LastSQLError  string // Last_SQL_Error (not renamed)
}

// Replication returns the wording for this server's flavour and version.
func (s ServerInfo) Replication() Replication {
	r := Replication{
		ReplicaStatus: "SHOW SLAVE STATUS",
		StartReplica:  "START SLAVE",
		StopReplica:   "STOP SLAVE",
		BinlogStatus:  "SHOW MASTER STATUS",
		SourceHost:    "Master_Host",
		SourcePort:    "Master_Port",
		SecondsBehind: "Seconds_Behind_Master",
		IORunning:     "Slave_IO_Running",
		SQLRunning:    "Slave_SQL_Running",
		LastIOError:   "Last_IO_Error",
		LastSQLError:  "Last_SQL_Error",
	}
	if s.Flavor != MySQL {
		return r
	}
	if s.AtLeast(8, 0, 22) {
		r.ReplicaStatus = "SHOW REPLICA STATUS"
		r.StartReplica = "START REPLICA"
		r.StopReplica = "STOP REPLICA"
		r.SourceHost = "Source_Host"
		r.SourcePort = "Source_Port"
		r.SecondsBehind = "Seconds_Behind_Source"
		r.IORunning = "Replica_IO_Running"
		r.SQLRunning = "Replica_SQL_Running"
	}
	if s.AtLeast(8, 2, 0) {
		r.BinlogStatus = "SHOW BINARY LOG STATUS"
	}
	return r
}

// Querier is what ShowRow needs: *sql.DB, *sql.Conn and *sql.Tx all have it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ShowRow runs a statement that answers with at most one row of interest, such as
// SHOW SLAVE STATUS, and returns its first row as column name -> value. A NULL value
// reads as ""; a column the statement does not return is absent from the map (look
// it up with the two-value form to tell). A statement that returns no row gives a nil
// map and no error.
//
// Columns are read by name because their number and order differ between flavours
// and versions.
func ShowRow(ctx context.Context, db Querier, statement string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, statement)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", statement, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", statement, err)
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", statement, err)
		}
		return nil, nil
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("%s: %w", statement, err)
	}
	row := make(map[string]string, len(cols))
	for i, c := range cols {
		row[c] = vals[i].String
	}
	return row, nil
}
