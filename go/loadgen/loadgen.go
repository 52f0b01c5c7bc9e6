package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Limits and defaults of a run.
const (
	DefaultTable     = "sbtest1"
	DefaultWorkers   = 8
	DefaultOpTimeout = 10 * time.Second
	MaxDuration      = 24 * time.Hour
	MaxWrites        = 100_000_000 // bounds the memory the samples take (about 40 bytes each)
	// startLead is the time between the end of the set-up and the first scheduled write, so that
	// the first writes are not late by construction.
	startLead = 20 * time.Millisecond
)

// ErrNotLoopback is returned for a DSN that does not point at a loopback address or a socket.
var ErrNotLoopback = errors.New("loadgen: only loopback addresses and Unix sockets are allowed")

// Mix gives the relative weights of the kinds of writes. Zero weights disable a kind.
type Mix struct {
	Insert  int `json:"insert"`
	Update  int `json:"update"`
	Delete  int `json:"delete"`
	MoveKey int `json:"move_key"`
}

// DefaultMix is mostly updates, some inserts, a few deletes and primary-key moves.
func DefaultMix() Mix { return Mix{Insert: 30, Update: 50, Delete: 10, MoveKey: 10} }

func (m Mix) total() int { return m.Insert + m.Update + m.Delete + m.MoveKey }

func (m Mix) pick(n int) Kind {
	switch {
	case n < m.Insert:
		return Insert
	case n < m.Insert+m.Update:
		return Update
	case n < m.Insert+m.Update+m.Delete:
		return Delete
	default:
		return MoveKey
	}
}

// Config configures a Generator.
type Config struct {
	// DSN is a go-sql-driver DSN naming the database, on a loopback address or a Unix socket.
	DSN string
	// Table is the sysbench-like table written to (columns id, k, c, pad); default DefaultTable.
	Table string
	// Rate is the target in writes per second. Required.
	Rate float64
	// Workers is the number of connections writing at once; default DefaultWorkers.
	Workers int
	// Mix weights the kinds of writes; the zero value means DefaultMix.
	Mix Mix
	// Duration bounds the run: no write is scheduled at or after start+Duration. Required, at most
	// MaxDuration.
	Duration time.Duration
	// MaxWrites bounds the number of writes; 0 means Rate*Duration (rounded up). At most MaxWrites.
	MaxWrites int64
	// Window is the width of a statistics window; default DefaultWindow.
	Window time.Duration
	// OpTimeout bounds one write; default DefaultOpTimeout. A write that times out is recorded as
	// CodeTimeout (its connection is discarded by the driver).
	OpTimeout time.Duration
	// Seed makes the choice of writes and values reproducible; 0 picks a random seed.
	Seed uint64
}

// withDefaults applies the generator's own defaults and checks; Window, OpTimeout, Seed and
// the bounds of Workers, Duration and MaxWrites are the Loop's (see New).
func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.Table == "" {
		out.Table = DefaultTable
	}
	if out.Workers == 0 {
		out.Workers = DefaultWorkers
	}
	if out.Mix == (Mix{}) {
		out.Mix = DefaultMix()
	}
	switch {
	case !(out.Rate > 0):
		return out, fmt.Errorf("loadgen: rate must be > 0, got %v", out.Rate)
	case out.Duration <= 0:
		return out, fmt.Errorf("loadgen: duration must be in (0, %v], got %v", MaxDuration, out.Duration)
	case out.Mix.Insert < 0 || out.Mix.Update < 0 || out.Mix.Delete < 0 || out.Mix.MoveKey < 0:
		return out, fmt.Errorf("loadgen: negative weight in mix %+v", out.Mix)
	}
	if out.MaxWrites == 0 {
		n := int64(out.Rate*out.Duration.Seconds()) + 1
		if n > MaxWrites {
			return out, fmt.Errorf("loadgen: rate %v for %v is more than %d writes", out.Rate, out.Duration, MaxWrites)
		}
		out.MaxWrites = n
	}
	return out, nil
}

// Result describes a finished run.
type Result struct {
	Stats *Stats    `json:"-"`
	Start time.Time `json:"start"` // when write 0 was scheduled
	End   time.Time `json:"end"`   // when the last worker returned
	// Due is the number of writes scheduled before the run stopped scheduling; Sent the number
	// actually sent. Due-Sent > 0 means the generator fell behind its schedule (every worker was
	// busy) when it was stopped.
	Due  int64 `json:"due"`
	Sent int64 `json:"sent"`
	// StoppedBy is "duration", "max-writes", "stop" or "context".
	StoppedBy string `json:"stopped_by"`
}

// Generator runs one load of the sysbench-like workload on a Loop. Create it with New, run it
// once with Run; Stop ends it early.
type Generator struct {
	cfg   Config
	table string // quoted
	loop  *Loop
	ran   atomic.Bool

	db       *sql.DB      // set by Run before the loop starts
	maxID    atomic.Int64 // largest id known to exist (targets of updates and deletes)
	moved    atomic.Int64 // rows moved so far: the n-th move goes to id -(base+n)
	moveBase int64
}

// New validates cfg and returns a Generator. It does not connect yet.
func New(cfg Config) (*Generator, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkLoopback(c.DSN); err != nil {
		return nil, err
	}
	g := &Generator{cfg: c, table: quote(c.Table)}
	g.loop, err = NewLoop(LoopConfig{
		Op: g.op, Workers: c.Workers, Rate: c.Rate, Duration: c.Duration, MaxOps: c.MaxWrites,
		Window: c.Window, OpTimeout: c.OpTimeout, Seed: c.Seed,
	})
	if err != nil {
		return nil, err
	}
	lc := g.loop.Config()
	g.cfg.Window, g.cfg.OpTimeout, g.cfg.Seed = lc.Window, lc.OpTimeout, lc.Seed
	return g, nil
}

// Config returns the configuration with defaults applied.
func (g *Generator) Config() Config { return g.cfg }

// Stop asks the run to end: no further write is started; writes in flight complete. It may be
// called at any time and more than once.
func (g *Generator) Stop() { g.loop.Stop() }

// Started is closed once the schedule has begun; Stats is valid from then on.
func (g *Generator) Started() <-chan struct{} { return g.loop.Started() }

// Stats returns the live statistics, or nil before the schedule has begun.
func (g *Generator) Stats() *Stats { return g.loop.Stats() }

// checkLoopback refuses DSNs that reach beyond this machine.
func checkLoopback(dsn string) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return fmt.Errorf("loadgen: %w", err)
	}
	switch cfg.Net {
	case "unix":
		return nil
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %q", ErrNotLoopback, cfg.Net)
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host = cfg.Addr // the driver adds the default port later
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrNotLoopback, cfg.Addr)
}

// Run connects, runs the load until its duration or write count is reached, Stop is called or
// ctx is done, and returns the result. Failed writes are recorded, not returned: the error is
// only for a failed set-up (connection, missing table).
func (g *Generator) Run(ctx context.Context) (Result, error) {
	if !g.ran.CompareAndSwap(false, true) {
		return Result{}, errors.New("loadgen: Run called twice")
	}
	dcfg, err := mysql.ParseDSN(g.cfg.DSN)
	if err != nil {
		return Result{}, fmt.Errorf("loadgen: %w", err)
	}
	// Why: client-side interpolation sends plain statements. Server-side prepared statements
	// would cost a round trip each and would have to be re-prepared when the table is swapped.
	dcfg.InterpolateParams = true
	if dcfg.Timeout == 0 {
		dcfg.Timeout = 5 * time.Second
	}
	connector, err := mysql.NewConnector(dcfg)
	if err != nil {
		return Result{}, fmt.Errorf("loadgen: %w", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(g.cfg.Workers)
	db.SetMaxIdleConns(g.cfg.Workers)
	if err := g.setup(ctx, db); err != nil {
		return Result{}, err
	}
	g.db = db
	if err := g.loop.Start(ctx); err != nil {
		return Result{}, err
	}
	return g.loop.Wait(), nil
}

// setup opens the workers' connections and reads the table's id range.
func (g *Generator) setup(ctx context.Context, db *sql.DB) error {
	// Open every connection now so that connecting is not part of the first writes' latency.
	conns := make([]*sql.Conn, 0, g.cfg.Workers)
	defer func() {
		for _, c := range conns {
			_ = c.Close() // back to the idle pool
		}
	}()
	for range g.cfg.Workers {
		c, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("loadgen: connect: %w", err)
		}
		conns = append(conns, c)
	}
	var maxID, minID int64
	q := "SELECT COALESCE(MAX(id), 0), COALESCE(MIN(id), 0) FROM " + g.table
	if err := conns[0].QueryRowContext(ctx, q).Scan(&maxID, &minID); err != nil {
		return fmt.Errorf("loadgen: read id range of %s: %w", g.table, err)
	}
	g.maxID.Store(maxID)
	// Moved rows get negative ids below any existing one: they never collide with each other,
	// with AUTO_INCREMENT ids or with rows moved by an earlier run.
	g.moveBase = max(0, -minID)
	return nil
}

// op is the loop's Op: one write of a kind picked by the mix.
func (g *Generator) op(ctx context.Context, w *Worker) (Kind, int64, error) {
	kind := g.cfg.Mix.pick(w.Rand.IntN(g.cfg.Mix.total()))
	affected, err := g.write(ctx, g.db, kind, w.Rand)
	return kind, affected, err
}

// write runs one write of the given kind and returns the rows it affected.
func (g *Generator) write(ctx context.Context, db *sql.DB, kind Kind, rng *rand.Rand) (int64, error) {
	var res sql.Result
	var err error
	switch kind {
	case Insert:
		res, err = db.ExecContext(ctx, "INSERT INTO "+g.table+" (k, c, pad) VALUES (?, ?, ?)",
			g.randomID(rng), digits(rng, 11, 10), digits(rng, 11, 5))
		if err == nil {
			if id, e := res.LastInsertId(); e == nil {
				g.raiseMaxID(id)
			}
		}
	case Update:
		res, err = db.ExecContext(ctx, "UPDATE "+g.table+" SET k = k + 1, c = ? WHERE id = ?",
			digits(rng, 11, 10), g.randomID(rng))
	case Delete:
		res, err = db.ExecContext(ctx, "DELETE FROM "+g.table+" WHERE id = ?", g.randomID(rng))
	case MoveKey:
		to := -(g.moveBase + g.moved.Add(1))
		res, err = db.ExecContext(ctx, "UPDATE "+g.table+" SET id = ? WHERE id = ?", to, g.randomID(rng))
	}
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// randomID returns an id in [1, maxID], uniformly (1 for an empty table).
func (g *Generator) randomID(rng *rand.Rand) int64 {
	n := g.maxID.Load()
	if n < 1 {
		return 1
	}
	return 1 + rng.Int64N(n)
}

func (g *Generator) raiseMaxID(id int64) {
	for {
		cur := g.maxID.Load()
		if id <= cur || g.maxID.CompareAndSwap(cur, id) {
			return
		}
	}
}

// digits returns sysbench-style filler: groups of width random digits joined by '-'.
func digits(rng *rand.Rand, width, groups int) string {
	b := make([]byte, 0, groups*(width+1))
	for g := range groups {
		if g > 0 {
			b = append(b, '-')
		}
		for range width {
			b = append(b, byte('0'+rng.IntN(10)))
		}
	}
	return string(b)
}
