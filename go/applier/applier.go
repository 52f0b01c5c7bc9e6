package applier

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Pair is an original column (Column.Ordinal locates it in a row image) and the
// ghost column its values go to.
type Pair struct {
	Orig  schema.Column
	Ghost string
}

// Config is what an Applier needs.
type Config struct {
	DB *sql.DB
	// Flavor decides how a statement relaxes sql_mode for ENUM error values.
	Flavor dbconn.Flavor
	Ghost  sqlgen.Table
	// OrigColumns are all columns of the original table in ordinal order: row images
	// are read through them.
	OrigColumns []schema.Column
	Pairs       []Pair
	// Key are the shared key's columns as in the original table.
	Key []schema.Column
	// RowsPerStatement bounds a multi-row statement; zero means 500.
	RowsPerStatement int
	// BytesPerStatement bounds the values of one multi-row INSERT, so that a batch of
	// large rows (BLOB/TEXT of several MB) does not exceed max_allowed_packet; a
	// statement always takes at least one row. Zero means DefaultBytesPerStatement.
	BytesPerStatement int
	// Retries bounds attempts of a batch on retryable errors; zero means 20.
	Retries int
	// OutageBudget is how long a batch waits out the server being out of reach (a restart,
	// a failover) before the apply fails; zero means dbconn.OutageBudget(10).
	OutageBudget time.Duration
	// PanicOnWarnings fails a batch whose statements left any warning (--panic-on-warnings).
	PanicOnWarnings bool
	// Skip, when set, names keys whose changes need not be written: rows the copy has not
	// reached yet, which it will copy as they are then (copier.Copier.Ahead). It is asked
	// once per change, when the batch is applied.
	Skip func(key []any) bool
}

// DefaultBytesPerStatement is the default Config.BytesPerStatement: well under the
// smallest common max_allowed_packet (4 MB in MySQL 5.7, 16 MB in MariaDB and MySQL 8)
// even when escaping doubles the size of binary values.
const DefaultBytesPerStatement = 1 << 20

// Applier applies batches of row changes.
type Applier struct {
	cfg       Config
	keyCols   []sqlgen.Col
	colNames  []sqlgen.Col
	valueCols []sqlgen.Col
	// stored maps the image position of every column when images leave out virtual columns.
	stored []int
	all    []int

	skipped atomic.Int64
}

// Skipped counts the changes left out because the copy had not reached their rows.
func (a *Applier) Skipped() int64 { return a.skipped.Load() }

// New prepares an Applier.
func New(cfg Config) *Applier {
	if cfg.RowsPerStatement == 0 {
		cfg.RowsPerStatement = 500
	}
	if cfg.Retries == 0 {
		cfg.Retries = 20
	}
	if cfg.OutageBudget == 0 {
		cfg.OutageBudget = dbconn.OutageBudget(10)
	}
	if cfg.BytesPerStatement == 0 {
		cfg.BytesPerStatement = DefaultBytesPerStatement
	}
	a := &Applier{cfg: cfg}
	for _, k := range cfg.Key {
		cs, coll, cast := k.Describe()
		a.keyCols = append(a.keyCols, sqlgen.Col{Name: k.Name, Charset: cs, Collation: coll, Cast: cast, Number: k.OrdersAsNumber()})
	}
	for _, p := range cfg.Pairs {
		cs, coll, _ := p.Orig.Describe()
		a.colNames = append(a.colNames, sqlgen.Col{Name: p.Ghost})
		a.valueCols = append(a.valueCols, sqlgen.Col{Name: p.Orig.Name, Charset: cs, Collation: coll})
	}
	// Row images carry every column (MariaDB, MySQL with FULL image); should a server
	// leave out virtual columns, positions shift and are recomputed.
	a.all = make([]int, len(cfg.OrigColumns))
	a.stored = make([]int, len(cfg.OrigColumns))
	n := 0
	for i, c := range cfg.OrigColumns {
		a.all[i] = i
		a.stored[i] = -1
		if !c.Virtual {
			a.stored[i] = n
			n++
		}
	}
	return a
}

// row is the folded state of one key: a row image to insert, or nil for deleted.
type row struct {
	key    []any
	values []any
	// enumErrors names the ghost columns that receive an ENUM error value ('').
	enumErrors []string
}

// Apply writes the net effect of changes (all of the original table, in binlog
// order) in one transaction.
func (a *Applier) Apply(ctx context.Context, changes []binlog.Change) error {
	if len(changes) == 0 {
		return nil
	}
	order := make([]string, 0, len(changes))
	final := make(map[string]*row, len(changes))
	set := func(id string, r *row) {
		if a.cfg.Skip != nil && a.cfg.Skip(r.key) {
			a.skipped.Add(1)
			return
		}
		if _, ok := final[id]; !ok {
			order = append(order, id)
		}
		final[id] = r
	}
	for _, ch := range changes {
		switch ch.Action {
		case binlog.Insert:
			r, id, err := a.image(ch.After, true)
			if err != nil {
				return err
			}
			set(id, r)
		case binlog.Delete:
			r, id, err := a.image(ch.Before, false)
			if err != nil {
				return err
			}
			set(id, r)
		case binlog.Update:
			before, bid, err := a.image(ch.Before, false)
			if err != nil {
				return err
			}
			after, aid, err := a.image(ch.After, true)
			if err != nil {
				return err
			}
			if bid != aid {
				set(bid, before) // the key moved: the old key is gone
			}
			set(aid, after)
		default:
			return fmt.Errorf("applier: unexpected %s change", ch.Action)
		}
	}
	if len(order) == 0 {
		return nil
	}
	// The batch is idempotent (delete the keys, insert the final rows), so a deadlock or a
	// lost connection is simply tried again.
	r := dbconn.Retrier{Attempts: a.cfg.Retries, Step: 20 * time.Millisecond, Budget: a.cfg.OutageBudget}
	for {
		err := a.write(ctx, order, final)
		if err == nil || !dbconn.Retryable(err) || ctx.Err() != nil {
			return err
		}
		wait, again := r.Next(err)
		if !again {
			return fmt.Errorf("apply: %w", r.GaveUp(err))
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
	}
}

func (a *Applier) write(ctx context.Context, order []string, final map[string]*row) error {
	tx, err := a.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("apply: begin: %w", err)
	}
	defer tx.Rollback()
	per := a.cfg.RowsPerStatement
	for start := 0; start < len(order); start += per {
		end := min(start+per, len(order))
		var args []any
		for _, id := range order[start:end] {
			args = append(args, final[id].key...)
		}
		q := sqlgen.DeleteKeys(a.cfg.Ghost, a.keyCols, end-start)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("apply: delete from %s: %w", a.cfg.Ghost, err)
		}
	}
	var rows []*row
	for _, id := range order {
		r := final[id]
		switch {
		case r.values == nil:
		case len(r.enumErrors) > 0:
			if err := a.insertEnumError(ctx, tx, r); err != nil {
				return err
			}
		default:
			rows = append(rows, r)
		}
	}
	for start, end := 0, 0; start < len(rows); start = end {
		end = a.statementEnd(rows, start)
		args := make([]any, 0, (end-start)*len(a.valueCols))
		for _, r := range rows[start:end] {
			args = append(args, r.values...)
		}
		q := sqlgen.InsertRows(a.cfg.Ghost, a.colNames, a.valueCols, end-start)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			if dbconn.Is(err, dbconn.ErrDupEntry) {
				return hint.New(fmt.Sprintf("applying writes to %s failed: %v", a.cfg.Ghost, err),
					"a unique key the ALTER adds is violated by rows the application wrote during the migration; remove the duplicates or drop the new UNIQUE key, then run again")
			}
			return fmt.Errorf("apply: insert into %s: %w", a.cfg.Ghost, err)
		}
		if a.cfg.PanicOnWarnings {
			if err := dbconn.CheckWarnings(ctx, tx, "apply: insert into "+a.cfg.Ghost.String()); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("apply: commit: %w", err)
	}
	return nil
}

// statementEnd returns the end of the INSERT that starts at rows[start]: at most
// RowsPerStatement rows and, past the first row, at most BytesPerStatement of values.
func (a *Applier) statementEnd(rows []*row, start int) int {
	end, size := start, 0
	for end < len(rows) && end-start < a.cfg.RowsPerStatement {
		n := rowSize(rows[end])
		if end > start && size+n > a.cfg.BytesPerStatement {
			break
		}
		size += n
		end++
	}
	return end
}

// rowSize estimates the bytes a row's values take in a statement.
func rowSize(r *row) int {
	n := 0
	for _, v := range r.values {
		switch x := v.(type) {
		case []byte:
			n += len(x)
		case string:
			n += len(x)
		}
		n += 8 // separators, quotes, numbers
	}
	return n
}

// insertEnumError writes one row holding an ENUM error value (”), which a strict
// session refuses. The row's statement alone runs without strict mode, and may then
// have warned only about those columns (none when the ghost column is no longer an
// ENUM): any other truncation still stops the migration.
func (a *Applier) insertEnumError(ctx context.Context, tx *sql.Tx, r *row) error {
	q := sqlgen.InsertRows(a.cfg.Ghost, a.colNames, a.valueCols, 1)
	const relaxed = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"
	if a.cfg.Flavor == dbconn.MySQL {
		q = strings.Replace(q, "INSERT INTO", "INSERT /*+ SET_VAR(sql_mode='"+relaxed+"') */ INTO", 1)
	} else {
		q = "SET STATEMENT sql_mode='" + relaxed + "' FOR " + q
	}
	if _, err := tx.ExecContext(ctx, q, r.values...); err != nil {
		return fmt.Errorf("apply: insert into %s: %w", a.cfg.Ghost, err)
	}
	rows, err := tx.QueryContext(ctx, "SHOW WARNINGS")
	if err != nil {
		return fmt.Errorf("apply: read warnings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, msg string
		var code int
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return err
		}
		ok := false
		for _, col := range r.enumErrors {
			// Message text is the only place the column is named; this path is narrow.
			if code == dbconn.ErrWarnDataTruncated && strings.Contains(msg, "'"+col+"'") {
				ok = true
			}
		}
		if !ok {
			return hint.New(fmt.Sprintf("applying a row with an ENUM error value to %s changed another value: %s %d %s", a.cfg.Ghost, level, code, msg),
				"the ALTER narrows a column; widen it in --alter or fix the data")
		}
	}
	return rows.Err()
}

// image converts a row image; with values false only the key is kept. id identifies
// the key as the table compares it.
func (a *Applier) image(img []any, values bool) (*row, string, error) {
	pos, err := a.positions(len(img))
	if err != nil {
		return nil, "", err
	}
	r := &row{key: make([]any, len(a.cfg.Key))}
	var id strings.Builder
	for i, k := range a.cfg.Key {
		v, err := keyValue(k, img[pos[k.Ordinal-1]])
		if err != nil {
			return nil, "", err
		}
		r.key[i] = v
		id.WriteString(identity(k, v))
		id.WriteByte(0)
	}
	if values {
		r.values = make([]any, len(a.cfg.Pairs))
		for i, p := range a.cfg.Pairs {
			v, err := value(p.Orig, img[pos[p.Orig.Ordinal-1]])
			if err != nil {
				return nil, "", err
			}
			if _, ok := v.(enumError); ok {
				v = ""
				r.enumErrors = append(r.enumErrors, p.Ghost)
			}
			r.values[i] = v
		}
	}
	return r, id.String(), nil
}

func (a *Applier) positions(width int) ([]int, error) {
	switch width {
	case len(a.cfg.OrigColumns):
		return a.all, nil
	case len(a.cfg.OrigColumns) - countVirtual(a.cfg.OrigColumns):
		return a.stored, nil
	}
	return nil, hint.New(fmt.Sprintf("a row image of the original table has %d columns where ghost expects %d", width, len(a.cfg.OrigColumns)),
		"the table was altered while ghost ran; run the migration again")
}

func countVirtual(cols []schema.Column) int {
	n := 0
	for _, c := range cols {
		if c.Virtual {
			n++
		}
	}
	return n
}

// identity renders a key value so that two values the column compares as equal
// usually render the same: case-insensitive collations fold case, PAD SPACE
// collations ignore trailing spaces. It only groups changes within one batch; two
// equal keys that still render differently are each deleted before any insert, so
// the worst case is ordering between them, documented as a limitation.
func identity(c schema.Column, v any) string {
	b, ok := v.([]byte)
	if !ok {
		return fmt.Sprint(v)
	}
	if !c.IsText() {
		return string(b)
	}
	s := string(b)
	coll := strings.ToLower(c.Collation)
	if !strings.Contains(coll, "nopad") {
		s = strings.TrimRight(s, " ")
	}
	if strings.HasSuffix(coll, "_ci") && utf8.ValidString(s) {
		s = strings.ToLower(s)
	}
	return s
}
