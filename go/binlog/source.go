package binlog

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"
	"github.com/sirupsen/logrus"
)

// Config says which server to read and what matters.
type Config struct {
	Host     string
	Port     int
	User     string
	Password string
	Flavor   dbconn.Flavor
	// ServerID is the replica id this reader registers with; it must be unique in the topology.
	ServerID uint32
	// Watch says whether row changes of schema.table are handed on.
	Watch func(schema, table string) bool
	// WatchStatement says whether a statement (DDL, or statement-based DML) run with
	// default schema is handed on as a DDL change.
	WatchStatement func(schema, query string) bool
	// MaxReconnects bounds consecutive reconnect attempts; zero means 10.
	MaxReconnects int
	// ReconnectDelay is the wait before the first reconnect, doubling up to 5s; zero means 200ms.
	ReconnectDelay time.Duration
	// TLS, when set, encrypts the binlog connection; nil means a plain one. It is not
	// changed: the reader works on a copy whose ServerName is Host when empty (unless
	// verification is skipped), as the connection pools do.
	TLS *tls.Config
	// TrackGTID (MariaDB): keep the GTID position up to date from GTIDState, the position at
	// the start (one GTID per domain, as BINLOG_GTID_POS gives it), and hand it on with every
	// transaction (Transaction.GTIDState): a position any server of the replication topology
	// can be read from. Run from a zero Position starts at GTIDState by GTID.
	TrackGTID bool
	GTIDState string
	Log       *logrus.Entry
}

// ErrPurged means the binary log ghost needs to read next no longer exists.
var ErrPurged = errors.New("binary log purged")

// Reader streams committed transactions from a start position.
type Reader struct {
	cfg Config
	log *logrus.Entry

	mu   sync.Mutex
	read Position // end of the last complete transaction read, watched or not
	gtid string   // last GTID seen

	// domains is the MariaDB GTID position, by domain, as read so far (GTIDState); only
	// the streaming goroutine touches it.
	domains map[uint32]string
}

// NewReader prepares a reader; nothing connects until Run.
func NewReader(cfg Config) *Reader {
	if cfg.MaxReconnects == 0 {
		cfg.MaxReconnects = 10
	}
	if cfg.ReconnectDelay == 0 {
		cfg.ReconnectDelay = 200 * time.Millisecond
	}
	if cfg.TLS != nil {
		// go-mysql hands the config to crypto/tls as it is, which refuses to verify a
		// certificate without a server name.
		cfg.TLS = cfg.TLS.Clone()
		if cfg.TLS.ServerName == "" && !cfg.TLS.InsecureSkipVerify {
			cfg.TLS.ServerName = cfg.Host
		}
	}
	log := cfg.Log
	if log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		log = logrus.NewEntry(l)
	}
	r := &Reader{cfg: cfg, log: log.WithField("component", "binlog")}
	if cfg.TrackGTID {
		r.domains = map[uint32]string{}
		for _, g := range strings.Split(cfg.GTIDState, ",") {
			g = strings.TrimSpace(g)
			var d, s uint32
			var n uint64
			if _, err := fmt.Sscanf(g, "%d-%d-%d", &d, &s, &n); err == nil {
				r.domains[d] = g
			}
		}
	}
	return r
}

// gtidState formats the MariaDB GTID position read so far, domains in order.
func (r *Reader) gtidState() string {
	ds := make([]uint32, 0, len(r.domains))
	for d := range r.domains {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = r.domains[d]
	}
	return strings.Join(parts, ",")
}

// Position is the end of the last complete transaction read.
func (r *Reader) Position() Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.read
}

// GTID is the last GTID read, in the server's format.
func (r *Reader) GTID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gtid
}

// Run reads from start and sends every transaction that changes a watched table to
// out, in order, until ctx ends or reading fails for good. A dropped connection is
// resumed at the end of the last complete transaction; a partly read transaction is
// read again from its start, so nothing is lost and nothing repeats.
func (r *Reader) Run(ctx context.Context, start Position, out chan<- Transaction) error {
	r.mu.Lock()
	r.read = start
	r.mu.Unlock()
	failures := 0
	delay := r.cfg.ReconnectDelay
	for {
		from := r.Position()
		progressed, err := r.stream(ctx, from, out)
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if err == nil {
			continue
		}
		if isPurged(err) {
			return &purgedError{hint: hint.New(fmt.Sprintf("cannot read binary log at %s on %s:%d: %v", from, r.cfg.Host, r.cfg.Port, ErrPurged),
				"binary logs were purged before ghost read them; keep binlogs longer (expire_logs_days / binlog_expire_logs_seconds) and run again")}
		}
		if progressed {
			failures = 0
			delay = r.cfg.ReconnectDelay
		}
		failures++
		if failures > r.cfg.MaxReconnects {
			return fmt.Errorf("read binary log from %s: giving up after %d reconnects: %w", from, failures-1, err)
		}
		r.log.WithError(err).WithField("position", from.String()).Warn("binlog connection lost; reconnecting at the last complete transaction")
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(delay):
		}
		delay *= 2
		if delay > 5*time.Second {
			delay = 5 * time.Second
		}
	}
}

// purgedError is the user's hint that is also ErrPurged for errors.Is: hint.Error
// carries text only, so without this the sentinel could not be recognised.
type purgedError struct{ hint error }

func (e *purgedError) Error() string   { return e.hint.Error() }
func (e *purgedError) Unwrap() []error { return []error{e.hint, ErrPurged} }

func isPurged(err error) bool {
	var me *gomysql.MyError
	if errors.As(err, &me) && me.Code == dbconn.ErrMasterFatal {
		return true
	}
	// go-mysql flattens some server errors into text through errors.Trace.
	s := err.Error()
	return strings.Contains(s, "ERROR 1236") || strings.Contains(s, "Could not find first log file")
}

// stream runs one connection. progressed reports whether a transaction completed.
func (r *Reader) stream(ctx context.Context, from Position, out chan<- Transaction) (progressed bool, err error) {
	syncer := replication.NewBinlogSyncer(replication.BinlogSyncerConfig{
		ServerID:                r.cfg.ServerID,
		Flavor:                  string(r.cfg.Flavor),
		Host:                    r.cfg.Host,
		Port:                    uint16(r.cfg.Port),
		User:                    r.cfg.User,
		Password:                r.cfg.Password,
		TLSConfig:               r.cfg.TLS,
		UseDecimal:              true,
		TimestampStringLocation: time.UTC,
		HeartbeatPeriod:         time.Second,
		ReadTimeout:             15 * time.Second,
		// ghost reconnects itself, at transaction boundaries.
		DisableRetrySync: true,
		DiscardGTIDSet:   true,
		// Rows of tables nobody watches (the ghost table's own copy traffic among
		// them) are not decoded at all: on a busy server that is most of the binlog.
		RowsEventDecodeFunc: r.decodeRows,
		Logger:              slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	defer syncer.Close()
	var st *replication.BinlogStreamer
	byGTID := from.IsZero() && r.cfg.TrackGTID
	if byGTID {
		// Nothing read yet on this server: start where the GTID position says; every
		// reconnect after the first transaction uses the file and offset read since.
		set, perr := gomysql.ParseMariadbGTIDSet(r.cfg.GTIDState)
		if perr != nil {
			return false, fmt.Errorf("GTID position %q: %w", r.cfg.GTIDState, perr)
		}
		st, err = syncer.StartSyncGTID(set)
	} else {
		st, err = syncer.StartSync(gomysql.Position{Name: from.File, Pos: from.Pos})
	}
	if err != nil {
		if byGTID {
			return false, fmt.Errorf("start binlog sync at GTID %s: %w", r.cfg.GTIDState, err)
		}
		return false, fmt.Errorf("start binlog sync at %s: %w", from, err)
	}
	file := from.File
	var tx *Transaction
	var gtid string
	for {
		ev, err := st.GetEvent(ctx)
		if err != nil {
			return progressed, err
		}
		if ev.Header.EventType == replication.ROTATE_EVENT {
			rot := ev.Event.(*replication.RotateEvent)
			file = string(rot.NextLogName)
			// A start by GTID begins with a rotate to the file's start, not to where the
			// GTID is: the position is only known from the first transaction's end.
			if tx == nil && !(byGTID && r.Position().IsZero()) {
				r.mu.Lock()
				r.read = Position{File: file, Pos: uint32(rot.Position)}
				r.mu.Unlock()
			}
			continue
		}
		end := Position{File: file, Pos: ev.Header.LogPos}
		done, err := r.handle(ev, &tx, &gtid, end)
		if err != nil {
			return progressed, err
		}
		if !done {
			continue
		}
		t := tx
		tx = nil
		r.mu.Lock()
		r.read = end
		r.gtid = gtid
		r.mu.Unlock()
		progressed = true
		if t == nil || len(t.Changes) == 0 {
			continue
		}
		t.End = end
		t.GTID = gtid
		if r.domains != nil {
			t.GTIDState = r.gtidState()
		}
		select {
		case out <- *t:
		case <-ctx.Done():
			return progressed, context.Cause(ctx)
		}
	}
}

// decodeRows decodes a rows event only when its table is watched; the others keep
// their header (table, type) and no rows.
func (r *Reader) decodeRows(e *replication.RowsEvent, data []byte) error {
	pos, err := e.DecodeHeader(data)
	if err != nil {
		return err
	}
	if r.cfg.Watch == nil || !r.cfg.Watch(string(e.Table.Schema), string(e.Table.Table)) {
		return nil
	}
	return e.DecodeData(pos, data)
}

// handle folds one event into the open transaction; done reports a commit (or a
// statement that is its own transaction).
func (r *Reader) handle(ev *replication.BinlogEvent, tx **Transaction, gtid *string, end Position) (done bool, err error) {
	open := func() {
		if *tx == nil {
			*tx = &Transaction{Timestamp: time.Unix(int64(ev.Header.Timestamp), 0)}
		}
	}
	switch e := ev.Event.(type) {
	case *replication.MariadbGTIDEvent:
		*gtid = fmt.Sprintf("%d-%d-%d", e.GTID.DomainID, e.GTID.ServerID, e.GTID.SequenceNumber)
		if r.domains != nil {
			r.domains[e.GTID.DomainID] = *gtid
		}
		*tx = nil
		open()
	case *replication.GTIDEvent:
		*gtid = formatMySQLGTID(e.SID, e.GNO)
		*tx = nil
		open()
	case *replication.QueryEvent:
		q := strings.TrimSpace(string(e.Query))
		switch strings.ToUpper(q) {
		case "BEGIN":
			open()
			return false, nil
		case "COMMIT":
			return true, nil
		case "ROLLBACK":
			*tx = nil
			return true, nil
		}
		// Any other statement is its own transaction (DDL, or statement-based DML the
		// caller must refuse). Hand it on when it may touch a watched table.
		open()
		if r.cfg.WatchStatement != nil && r.cfg.WatchStatement(string(e.Schema), q) {
			(*tx).Changes = append((*tx).Changes, Change{Schema: string(e.Schema), Action: DDL, Query: q})
		}
		return true, nil
	case *replication.XIDEvent:
		return true, nil
	case *replication.RowsEvent:
		open()
		r.addRows(*tx, ev.Header.EventType, e)
	case *replication.TransactionPayloadEvent:
		// MySQL binlog_transaction_compression: the whole transaction is inside.
		for _, inner := range e.Events {
			d, err := r.handle(inner, tx, gtid, end)
			if err != nil {
				return false, err
			}
			if d {
				done = true
			}
		}
		return done, nil
	}
	return false, nil
}

func (r *Reader) addRows(tx *Transaction, et replication.EventType, e *replication.RowsEvent) {
	schema, table := string(e.Table.Schema), string(e.Table.Table)
	if r.cfg.Watch == nil || !r.cfg.Watch(schema, table) {
		return
	}
	switch e.Type() {
	case replication.EnumRowsEventTypeInsert:
		for _, row := range e.Rows {
			tx.Changes = append(tx.Changes, Change{Schema: schema, Table: table, Action: Insert, After: row})
		}
	case replication.EnumRowsEventTypeDelete:
		for _, row := range e.Rows {
			tx.Changes = append(tx.Changes, Change{Schema: schema, Table: table, Action: Delete, Before: row})
		}
	case replication.EnumRowsEventTypeUpdate:
		for i := 0; i+1 < len(e.Rows); i += 2 {
			tx.Changes = append(tx.Changes, Change{Schema: schema, Table: table, Action: Update, Before: e.Rows[i], After: e.Rows[i+1]})
		}
	}
}

func formatMySQLGTID(sid []byte, gno int64) string {
	if len(sid) != 16 {
		return fmt.Sprintf("%x:%d", sid, gno)
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x:%d", sid[0:4], sid[4:6], sid[6:8], sid[8:10], sid[10:16], gno)
}
