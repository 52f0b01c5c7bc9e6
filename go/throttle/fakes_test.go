package throttle

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

// fakeCheck returns whatever its function returns and counts calls.
type fakeCheck struct {
	name  string
	calls atomic.Int64
	fn    func(ctx context.Context) (Result, error)
}

func (f *fakeCheck) Name() string { return f.name }

func (f *fakeCheck) Check(ctx context.Context) (Result, error) {
	f.calls.Add(1)
	return f.fn(ctx)
}

// switchCheck throttles while its flag is on.
func switchCheck(name, reason string) (*fakeCheck, *atomic.Bool) {
	var on atomic.Bool
	return &fakeCheck{name: name, fn: func(context.Context) (Result, error) {
		if on.Load() {
			return Result{Throttle: true, Reason: reason}, nil
		}
		return Result{}, nil
	}}, &on
}

func fixed(name string, res Result, err error) *fakeCheck {
	return &fakeCheck{name: name, fn: func(context.Context) (Result, error) { return res, err }}
}

// fakeServer serves status variables and query results from maps.
type fakeServer struct {
	mu      sync.Mutex
	status  map[string]int64
	queries map[string]int64
	err     error
	reads   []string
}

func (f *fakeServer) set(name string, v int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[name] = v
}

func (f *fakeServer) StatusVariable(_ context.Context, name string) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads = append(f.reads, name)
	if f.err != nil {
		return 0, f.err
	}
	v, ok := f.status[name]
	if !ok {
		return 0, errors.New("no such variable")
	}
	return v, nil
}

func (f *fakeServer) QueryInt(_ context.Context, query string) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return 0, f.err
	}
	return f.queries[query], nil
}

// rowsDriver is a database/sql driver answering each query text with fixed
// rows; it checks how SQLServer talks to database/sql, not a server.
type rowsDriver struct {
	mu      sync.Mutex
	answers map[string]fakeRows
	seen    []string
}

type fakeRows struct {
	columns []string
	rows    [][]driver.Value
	err     error
}

func (d *rowsDriver) db() *sql.DB { return sql.OpenDB(d) }

func (d *rowsDriver) Connect(context.Context) (driver.Conn, error) { return fakeConn{d}, nil }
func (d *rowsDriver) Driver() driver.Driver                        { return nil }

type fakeConn struct{ d *rowsDriver }

func (c fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (c fakeConn) Close() error                        { return nil }
func (c fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("not supported") }

func (c fakeConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	c.d.seen = append(c.d.seen, query)
	if len(args) > 0 {
		return nil, errors.New("unexpected arguments")
	}
	a, ok := c.d.answers[query]
	if !ok {
		return nil, errors.New("unexpected query: " + query)
	}
	if a.err != nil {
		return nil, a.err
	}
	return &fakeRowsIter{r: a}, nil
}

type fakeRowsIter struct {
	r fakeRows
	i int
}

func (r *fakeRowsIter) Columns() []string { return r.r.columns }
func (r *fakeRowsIter) Close() error      { return nil }
func (r *fakeRowsIter) Next(dest []driver.Value) error {
	if r.i >= len(r.r.rows) {
		return io.EOF
	}
	copy(dest, r.r.rows[r.i])
	r.i++
	return nil
}
