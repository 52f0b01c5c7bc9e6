package binlog

import (
	"fmt"
	"time"
)

// Action is what a row change does.
type Action int

const (
	Insert Action = iota + 1
	Update
	Delete
	// DDL is a statement (not a row change) that names a watched table.
	DDL
)

func (a Action) String() string {
	switch a {
	case Insert:
		return "insert"
	case Update:
		return "update"
	case Delete:
		return "delete"
	case DDL:
		return "ddl"
	}
	return "unknown"
}

// Change is one row change (or one DDL statement) of a watched table.
type Change struct {
	Schema string
	Table  string
	Action Action
	// Before is the row image before an update or delete; After the image after an
	// insert or update. Values are as go-mysql decodes them, by ordinal position.
	Before []any
	After  []any
	// Query is the statement text of a DDL change.
	Query string
}

// Position is a point in the binary log of the server being read: file and offset.
// It is the only coordinate that works the same on every flavour and is what the
// reader resumes from; GTID is kept alongside for the operator and checkpoints.
type Position struct {
	File string
	Pos  uint32
}

func (p Position) String() string { return fmt.Sprintf("%s:%d", p.File, p.Pos) }

// IsZero tells whether the position is unset.
func (p Position) IsZero() bool { return p.File == "" }

// Compare orders positions of one server: -1, 0 or 1.
func (p Position) Compare(o Position) int {
	switch {
	case p.File < o.File:
		return -1
	case p.File > o.File:
		return 1
	case p.Pos < o.Pos:
		return -1
	case p.Pos > o.Pos:
		return 1
	}
	return 0
}

// Transaction is a committed transaction's changes to watched tables, in binlog order.
type Transaction struct {
	Changes []Change
	// End is the position right after the transaction's commit.
	End Position
	// GTID is the transaction's GTID in the server's own format
	// (MariaDB domain-server-seq, MySQL uuid:n); "" without GTIDs.
	GTID string
	// GTIDState (MariaDB, with Config.GTIDState) is the GTID position right after the
	// transaction, every domain's last GTID: where another server of the topology would
	// continue from.
	GTIDState string
	// Timestamp is when the transaction was written on its origin.
	Timestamp time.Time
}
