package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"github.com/go-sql-driver/mysql"
)

// Environment variables read by the runner.
const (
	// EnvParallel sets how many cases run at once when -test.parallel is not given (default 3).
	EnvParallel = "GHOST_E2E_PARALLEL"
	// EnvBinary names a ghost binary to test instead of building one.
	EnvBinary = "GHOST_E2E_BINARY"
	// EnvShow, when set, logs ghost's whole output for every case, not only for failures.
	EnvShow = "GHOST_E2E_SHOW"
)

const (
	defaultParallel = 3
	// caseTimeout bounds one case, ghost run included.
	caseTimeout = 3 * time.Minute
	// serverIDBase + the case's index is the --replica-server-id of its ghost run: cases
	// run at once and every binlog reader needs its own id (the servers are 1 and 2).
	serverIDBase = 1000
	// cutOverLockTimeout keeps a blocked cut-over attempt short while writes run.
	cutOverLockTimeout = "2"
	// holdTransactions and holdMax bound how long the cut-over is held while writes run.
	holdTransactions = 20
	holdMax          = 5 * time.Second
	// twinSuffix names the twin of a case's table.
	twinSuffix = "_twin"
)

var (
	topo       *topology.Topology
	ghostBin   string
	ghostFlags map[string]bool // long flags ghost --help lists
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	flag.Parse()
	setParallel()
	dir, err := os.MkdirTemp("", "ghost-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if ghostBin, err = topotest.BuildGhost(dir, EnvBinary); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if ghostFlags, err = readFlags(ghostBin); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return topotest.Main(m, &topo)
}

// setParallel runs defaultParallel cases at once (GOMAXPROCS would be the default): they
// mostly wait on the servers, not on the CPU. An explicit -test.parallel wins.
func setParallel() {
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if explicit {
		return
	}
	n := defaultParallel
	if v := os.Getenv(EnvParallel); v != "" {
		if k, err := strconv.Atoi(v); err == nil && k > 0 {
			n = k
		}
	}
	_ = flag.Set("test.parallel", strconv.Itoa(n))
}

var helpFlag = regexp.MustCompile(`--([a-z0-9][a-z0-9-]*)`)

// reChecksum reads the checksum of the summary line: chunks, differed.
var reChecksum = regexp.MustCompile(`checksum: (\d+) chunks, (\d+) differed, \d+ repaired`)

// readFlags lists the long flags of the binary, so the runner passes optional ones
// (--serve-socket-file) only when ghost has them.
func readFlags(bin string) (map[string]bool, error) {
	out, err := exec.Command(bin, "--help").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s --help: %v\n%s", bin, err, out)
	}
	flags := map[string]bool{}
	for _, m := range helpFlag.FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	return flags, nil
}

// TestLocal runs every folder of localtests/ as a subtest: go test ./go/e2e -run 'TestLocal/<case>'.
func TestLocal(t *testing.T) { runCases(t, 0) }

// TestLocalLockingCopy runs every case again with --copy=locking: both copies pass every case
// (the default, --copy=snapshot, is TestLocal's).
func TestLocalLockingCopy(t *testing.T) { runCases(t, 1, "--copy=locking") }

// runCases runs the cases with extra flags before each case's own; pass tells server ids of
// the passes apart.
func runCases(t *testing.T, pass int, extra ...string) {
	root, err := topotest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadCases(filepath.Join(root, "localtests"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases in localtests/")
	}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			if c.IgnoreVersions != nil && c.IgnoreVersions.MatchString(topo.Primary.Version) {
				t.Skipf("ignore_versions %q matches server version %s", c.IgnoreVersions, topo.Primary.Version)
			}
			r := &caseRun{t: t, c: c, serverID: serverIDBase + pass*len(cases) + i, extra: extra}
			r.run()
		})
	}
}

// caseRun is one case being run.
type caseRun struct {
	t        *testing.T
	c        *Case
	serverID int
	extra    []string // flags before the case's own

	db     string  // the case's own database on the primary
	pool   *sql.DB // primary, case's sql_mode, time_zone +00:00, multi-statements
	twin   string  // name of the twin table
	ghost  ghostResult
	exists bool // the case's table exists after create.sql / before.sql
}

// snapshot is the state a failed run must leave unchanged.
type snapshot struct {
	tables []string
	create string
}

type ghostResult struct {
	args           []string
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

func (r *caseRun) run() {
	t, c := r.t, r.c
	_, r.db = topotest.NewDatabase(t, topo)
	r.twin = c.Table + twinSuffix
	ctx, cancel := context.WithTimeout(t.Context(), caseTimeout)
	defer cancel()
	r.pool = r.open(c.SQLMode, c.HasSQLMode)
	defer func() {
		if t.Failed() {
			r.dump()
		}
	}()

	r.script(ctx, "create.sql", c.Create)
	if strings.TrimSpace(c.Before) != "" {
		r.script(ctx, "before.sql", c.Before)
	}
	r.exists = r.tableExists(ctx, c.Table)
	if !r.exists && c.ExpectFailure == "" {
		t.Fatalf("create.sql did not create table %s", c.Table)
	}
	if r.exists {
		r.makeTwin(ctx)
	}
	before := r.snapshot(ctx)
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatal(err)
	}

	var w *writer
	if r.exists && strings.TrimSpace(c.Writes) != "" {
		w = r.startWrites()
		defer w.halt() // when the case stops early
	}
	r.ghost = r.runGhost(ctx, w)
	if w != nil {
		w.halt()
		t.Logf("writes: %s", w.summary())
	}
	if strings.TrimSpace(c.After) != "" {
		r.script(ctx, "after.sql", c.After)
	}
	if c.ExpectFailure != "" {
		r.checkFailure(ctx, before)
	} else {
		r.checkSuccess(ctx)
	}
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatalf("replication after the run: %v", err)
	}
	if c.ExpectFailure == "" && !t.Failed() {
		r.checkReplica(ctx)
	}
}

// open returns a pool on the case's database on the primary, closed at cleanup.
func (r *caseRun) open(sqlMode string, setMode bool) *sql.DB {
	cfg, err := mysql.ParseDSN(topo.Primary.DSN(r.db))
	if err != nil {
		r.t.Fatal(err)
	}
	return r.openConfig(cfg, sqlMode, setMode)
}

func (r *caseRun) openConfig(cfg *mysql.Config, sqlMode string, setMode bool) *sql.DB {
	cfg.MultiStatements = true
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	if setMode {
		cfg.Params["sql_mode"] = quoteString(sqlMode)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	r.t.Cleanup(func() { db.Close() })
	return db
}

// script runs a case's script on a session of its own, so that what it sets (time_zone,
// sql_mode) stays in that session.
func (r *caseRun) script(ctx context.Context, what, script string) {
	r.t.Helper()
	db := r.open(r.c.SQLMode, r.c.HasSQLMode)
	defer db.Close()
	r.exec(ctx, db, what, script)
}

// exec runs a script (any number of statements) in one round trip.
func (r *caseRun) exec(ctx context.Context, db *sql.DB, what, script string) {
	r.t.Helper()
	if _, err := db.ExecContext(ctx, script); err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
}

func (r *caseRun) tableExists(ctx context.Context, name string) bool {
	var n int
	err := r.pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", r.db, name).Scan(&n)
	if err != nil {
		r.t.Fatal(err)
	}
	return n > 0
}

// makeTwin creates the twin: same definition, same rows, same AUTO_INCREMENT counter.
func (r *caseRun) makeTwin(ctx context.Context) {
	t := r.t
	cols := r.columns(ctx, r.c.Table)
	var names []string
	for _, col := range cols {
		if !col.generated {
			names = append(names, quoteIdent(col.name))
		}
	}
	list := strings.Join(names, ", ")
	// The copy must store every value as it is: no strictness about stored zero dates,
	// and a 0 in an AUTO_INCREMENT column stays 0.
	copier := r.open("NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION", true)
	script := fmt.Sprintf("CREATE TABLE %s LIKE %s; INSERT INTO %s (%s) SELECT %s FROM %s",
		quoteIdent(r.twin), quoteIdent(r.c.Table), quoteIdent(r.twin), list, list, quoteIdent(r.c.Table))
	r.exec(ctx, copier, "create the twin", script)
	var ai sql.NullInt64
	if err := r.pool.QueryRowContext(ctx, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
		r.db, r.c.Table).Scan(&ai); err != nil {
		t.Fatal(err)
	}
	if ai.Valid {
		r.exec(ctx, r.pool, "twin AUTO_INCREMENT", fmt.Sprintf("ALTER TABLE %s AUTO_INCREMENT = %d", quoteIdent(r.twin), ai.Int64))
	}
}

func (r *caseRun) snapshot(ctx context.Context) snapshot {
	s := snapshot{tables: r.tables(ctx)}
	if r.exists {
		s.create = r.showCreate(ctx, r.pool, r.c.Table)
	}
	return s
}

func (r *caseRun) tables(ctx context.Context) []string {
	return topotest.Strings(ctx, r.t, r.pool, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", r.db)
}

func (r *caseRun) showCreate(ctx context.Context, db *sql.DB, table string) string {
	var name, create string
	if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE "+quoteIdent(r.db)+"."+quoteIdent(table)).Scan(&name, &create); err != nil {
		r.t.Fatalf("SHOW CREATE TABLE %s: %v", table, err)
	}
	return create
}

// ghostArgs are the flags of the case's ghost run; postpone names the cut-over flag file.
func (r *caseRun) ghostArgs(postpone string) []string {
	args := []string{
		"--host=" + topo.Replica.Host,
		"--port=" + strconv.Itoa(topo.Replica.Port),
		"--user=" + topology.User,
		"--password=" + topology.Password,
		"--database=" + r.db,
		"--table=" + r.c.Table,
		"--alter=" + r.c.Alter,
		"--execute",
		"--cut-over-lock-timeout-seconds=" + cutOverLockTimeout,
		"--replica-server-id=" + strconv.Itoa(r.serverID),
		"--verbose",
	}
	if ghostFlags["serve-socket-file"] {
		// A short path of its own: a unix socket path is limited to about 100 bytes.
		dir, err := os.MkdirTemp("", "ghe2e")
		if err != nil {
			r.t.Fatal(err)
		}
		r.t.Cleanup(func() { os.RemoveAll(dir) })
		args = append(args, "--serve-socket-file="+filepath.Join(dir, "ghost.sock"))
	}
	if postpone != "" {
		args = append(args, "--postpone-cut-over-flag-file="+postpone)
	}
	// Later flags win: extra_args may override any of the above.
	return append(append(args, r.extra...), r.c.ExtraArgs...)
}

// runGhost runs ghost to its end. With writes running, the cut-over is held (through
// ghost's postpone flag file) until the writer has committed holdTransactions more
// transactions or holdMax has passed, so that writes always reach ghost through the
// binlog as well as through the copy, however quickly the copy ends.
func (r *caseRun) runGhost(ctx context.Context, w *writer) ghostResult {
	var postpone string
	if w != nil && ghostFlags["postpone-cut-over-flag-file"] {
		postpone = filepath.Join(r.t.TempDir(), "postpone-cut-over")
		if err := os.WriteFile(postpone, nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			until := w.commits() + holdTransactions
			deadline := time.After(holdMax)
			for w.commits() < until {
				select {
				case <-stop:
					return
				case <-deadline:
					until = 0
				case <-time.After(10 * time.Millisecond):
				}
			}
			os.Remove(postpone)
		}()
	}
	res := ghostResult{args: r.ghostArgs(postpone)}
	r.t.Logf("ghost %s", shellQuote(res.args))
	cmd := exec.CommandContext(ctx, ghostBin, res.args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	res.elapsed = time.Since(start)
	res.stdout, res.stderr = stdout.String(), stderr.String()
	res.code = -1
	if cmd.ProcessState != nil {
		res.code = cmd.ProcessState.ExitCode()
	}
	r.ghost = res // for dump, should the run stop here
	if ctx.Err() != nil {
		r.t.Fatalf("ghost did not finish within %v", caseTimeout)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		r.t.Fatalf("run ghost: %v", err)
	}
	r.t.Logf("ghost exited with %d after %v", res.code, res.elapsed.Round(time.Millisecond))
	if os.Getenv(EnvShow) != "" {
		r.t.Logf("stderr:\n%s\nstdout:\n%s", res.stderr, res.stdout)
	}
	return res
}

func (r *caseRun) checkSuccess(ctx context.Context) {
	t, c := r.t, r.c
	if r.ghost.code != 0 {
		t.Fatalf("ghost failed with exit code %d: %s", r.ghost.code, lastErrorLine(r.ghost.stderr))
	}
	// The checksum runs by default on every case: no case of the suite (types, charsets,
	// conversions) may show a false difference; differences there can only come from the
	// data, which the cases do not corrupt.
	if m := reChecksum.FindStringSubmatch(r.ghost.stdout); m == nil {
		if !slices.Contains(c.ExtraArgs, "--checksum=false") {
			t.Errorf("the summary has no checksum: %s", tail(r.ghost.stdout, 2))
		}
	} else if m[2] != "0" {
		t.Errorf("the checksum found differences the case did not make: %s", m[0])
	} else {
		t.Logf("%s", m[0])
	}
	tables := r.tables(ctx)
	for _, leftover := range []string{"_" + c.Table + "_gho", "_" + c.Table + "_ghc"} {
		if slices.Contains(tables, leftover) {
			t.Errorf("table %s left behind after a successful run", leftover)
		}
	}
	if !slices.Contains(tables, c.Table) {
		t.Fatalf("table %s is gone after the run (tables: %v)", c.Table, tables)
	}
	if c.OrigColumns != nil {
		// The twin still has the original definition here: compare the original
		// columns' values with the migrated table's, as text.
		orig := r.selectRows(ctx, r.pool, r.twin, c.OrigColumns, false)
		got := r.selectRows(ctx, r.pool, c.Table, c.GhostColumns, false)
		r.compareRows(r.twin+" (orig_columns)", orig, c.Table+" (ghost_columns)", got, c.GhostColumns)
	}
	alter := fmt.Sprintf("ALTER TABLE %s %s", quoteIdent(r.twin), c.Alter)
	if _, err := r.pool.ExecContext(ctx, alter); err != nil {
		t.Fatalf("ghost succeeded but the server refuses the same ALTER on the twin: %s: %v", alter, err)
	}
	want := r.normalCreate(r.showCreate(ctx, r.pool, r.twin), r.twin)
	got := r.normalCreate(r.showCreate(ctx, r.pool, c.Table), c.Table)
	if want != got {
		t.Errorf("SHOW CREATE TABLE differs\n--- twin altered by the server:\n%s\n--- %s migrated by ghost:\n%s", want, c.Table, got)
	}
	if c.OrigColumns == nil {
		cols := r.columnNames(ctx, c.Table)
		twinRows := r.selectRows(ctx, r.pool, r.twin, cols, true)
		rows := r.selectRows(ctx, r.pool, c.Table, cols, true)
		r.compareRows(r.twin, twinRows, c.Table, rows, cols)
	}
}

// checkReplica compares the migrated table on the replica with the primary's.
func (r *caseRun) checkReplica(ctx context.Context) {
	cfg, err := mysql.ParseDSN(topo.Replica.DSN(r.db))
	if err != nil {
		r.t.Fatal(err)
	}
	replica := r.openConfig(cfg, "", false)
	want := r.showCreate(ctx, r.pool, r.c.Table)
	if got := r.showCreate(ctx, replica, r.c.Table); got != want {
		r.t.Errorf("SHOW CREATE TABLE differs on the replica\n--- primary:\n%s\n--- replica:\n%s", want, got)
	}
	cols := r.columnNames(ctx, r.c.Table)
	r.compareRows("primary", r.selectRows(ctx, r.pool, r.c.Table, cols, true),
		"replica", r.selectRows(ctx, replica, r.c.Table, cols, true), cols)
}

func (r *caseRun) checkFailure(ctx context.Context, before snapshot) {
	t, c := r.t, r.c
	if r.ghost.code == 0 {
		t.Fatalf("ghost succeeded; the case expects a failure containing %q", c.ExpectFailure)
	}
	if !strings.Contains(r.ghost.stderr, c.ExpectFailure) {
		t.Errorf("ghost failed, but its stderr does not contain %q; error: %s", c.ExpectFailure, lastErrorLine(r.ghost.stderr))
	}
	if after := r.tables(ctx); !slices.Equal(after, before.tables) {
		t.Errorf("the failed run changed the database's tables\nbefore: %v\nafter:  %v", before.tables, after)
	}
	if !r.exists {
		return
	}
	if got := r.showCreate(ctx, r.pool, c.Table); got != before.create {
		t.Errorf("the failed run changed the table's definition\nbefore:\n%s\nafter:\n%s", before.create, got)
	}
	cols := r.columnNames(ctx, c.Table)
	r.compareRows(r.twin, r.selectRows(ctx, r.pool, r.twin, cols, true), c.Table, r.selectRows(ctx, r.pool, c.Table, cols, true), cols)
}

var autoIncrementOption = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// normalCreate makes SHOW CREATE TABLE of a table comparable with another's: the name
// becomes the case's table name and, unless the case checks it, the counter goes.
func (r *caseRun) normalCreate(create, name string) string {
	create = strings.Replace(create, "CREATE TABLE "+quoteIdent(name), "CREATE TABLE "+quoteIdent(r.c.Table), 1)
	if !r.c.CheckAutoIncrement {
		create = autoIncrementOption.ReplaceAllString(create, "")
	}
	return create
}

type column struct {
	name, dataType string
	generated      bool
}

func (r *caseRun) columns(ctx context.Context, table string) []column {
	rows, err := r.pool.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, IS_GENERATED FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, r.db, table)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var gen string
		if err := rows.Scan(&c.name, &c.dataType, &gen); err != nil {
			r.t.Fatal(err)
		}
		c.dataType = strings.ToLower(c.dataType)
		c.generated = strings.EqualFold(gen, "ALWAYS")
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	if len(cols) == 0 {
		r.t.Fatalf("table %s has no columns (does it exist?)", table)
	}
	return cols
}

func (r *caseRun) columnNames(ctx context.Context, table string) []string {
	var names []string
	for _, c := range r.columns(ctx, table) {
		names = append(names, c.name)
	}
	return names
}

// exactExpr renders a column so that two values print the same only if they are the
// same: strings and bytes as hex (long ones as length and hash), FLOAT widened to
// DOUBLE (whose text is exact), other types as the server prints them.
func exactExpr(c column) string {
	q := quoteIdent(c.name)
	switch c.dataType {
	case "char", "varchar", "binary", "varbinary", "enum", "set":
		return "HEX(" + q + ")"
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "json":
		return fmt.Sprintf("IF(LENGTH(%s) > 256, CONCAT('length ', LENGTH(%s), ' sha256 ', SHA2(%s, 256)), HEX(%s))", q, q, q, q)
	case "float":
		return "CAST(" + q + " AS DOUBLE)"
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection":
		return "HEX(ST_AsBinary(" + q + "))"
	}
	return q
}

// selectRows reads the named columns of every row, in order_by order or sorted.
// exact picks exactExpr; otherwise values are read as text in the connection's
// charset, which compares columns across a type or charset change.
func (r *caseRun) selectRows(ctx context.Context, db *sql.DB, table string, names []string, exact bool) [][]string {
	t := r.t
	var exprs []string
	if exact {
		types := map[string]column{}
		for _, c := range r.columns(ctx, table) {
			types[strings.ToLower(c.name)] = c
		}
		for _, n := range names {
			c, ok := types[strings.ToLower(n)]
			if !ok {
				t.Fatalf("table %s has no column %s", table, n)
			}
			exprs = append(exprs, exactExpr(c))
		}
	} else {
		for _, n := range names {
			exprs = append(exprs, quoteIdent(n))
		}
	}
	q := fmt.Sprintf("SELECT %s FROM %s.%s", strings.Join(exprs, ", "), quoteIdent(r.db), quoteIdent(table))
	if r.c.OrderBy != "" {
		q += " ORDER BY " + r.c.OrderBy
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("read rows of %s: %s: %v", table, q, err)
	}
	defer rows.Close()
	var out [][]string
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("read rows of %s: %v", table, err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			if v.Valid {
				row[i] = "v" + v.String // a prefix keeps NULL apart from every value
			} else {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read rows of %s: %v", table, err)
	}
	if r.c.OrderBy == "" {
		slices.SortFunc(out, slices.Compare)
	}
	return out
}

// compareRows reports rows found on one side only (sorted sets), or the first rows
// that differ (order_by).
func (r *caseRun) compareRows(wantName string, want [][]string, gotName string, got [][]string, cols []string) {
	t := r.t
	t.Helper()
	const maxReported = 8
	var diffs []string
	if r.c.OrderBy != "" {
		for i := 0; i < max(len(want), len(got)) && len(diffs) < maxReported; i++ {
			switch {
			case i >= len(want):
				diffs = append(diffs, fmt.Sprintf("row %d only in %s: %s", i+1, gotName, formatRow(cols, got[i])))
			case i >= len(got):
				diffs = append(diffs, fmt.Sprintf("row %d only in %s: %s", i+1, wantName, formatRow(cols, want[i])))
			case !slices.Equal(want[i], got[i]):
				diffs = append(diffs, fmt.Sprintf("row %d differs:\n    %s: %s\n    %s: %s", i+1, wantName, formatRow(cols, want[i]), gotName, formatRow(cols, got[i])))
			}
		}
	} else {
		i, j := 0, 0
		for (i < len(want) || j < len(got)) && len(diffs) < maxReported {
			switch {
			case j >= len(got) || (i < len(want) && slices.Compare(want[i], got[j]) < 0):
				diffs = append(diffs, fmt.Sprintf("only in %s: %s", wantName, formatRow(cols, want[i])))
				i++
			case i >= len(want) || slices.Compare(want[i], got[j]) > 0:
				diffs = append(diffs, fmt.Sprintf("only in %s: %s", gotName, formatRow(cols, got[j])))
				j++
			default:
				i++
				j++
			}
		}
	}
	if len(diffs) > 0 {
		t.Errorf("rows differ (%s: %d rows, %s: %d rows; first differences):\n  %s", wantName, len(want), gotName, len(got), strings.Join(diffs, "\n  "))
	}
}

func formatRow(cols []string, row []string) string {
	parts := make([]string, len(row))
	for i, v := range row {
		name := "?"
		if i < len(cols) {
			name = cols[i]
		}
		if v != "NULL" {
			v = strconv.Quote(v[1:])
			if len(v) > 100 {
				v = v[:100] + "..."
			}
		}
		parts[i] = name + "=" + v
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// dump shows what helps to understand a failed case: ghost's stderr and the servers'
// error logs (shared by all cases running at the time).
func (r *caseRun) dump() {
	t := r.t
	if r.ghost.args != nil {
		t.Logf("ghost exit code %d after %v; stdout tail:\n%s\nstderr tail:\n%s", r.ghost.code, r.ghost.elapsed.Round(time.Millisecond),
			tail(r.ghost.stdout, 5), tail(r.ghost.stderr, 40))
	}
	for _, s := range topo.Servers() {
		if s.ErrorLog == "" {
			continue
		}
		b, err := os.ReadFile(s.ErrorLog)
		if err != nil {
			continue
		}
		t.Logf("%s error log tail (%s):\n%s", s.Name, s.ErrorLog, tail(string(b), 15))
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// lastErrorLine is the line ghost ends a failed run with, or the last line.
func lastErrorLine(stderr string) string {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "error") {
			return lines[i]
		}
	}
	return lines[len(lines)-1]
}

// writer drives a case's writes on a loadgen closed loop of one worker: every transaction
// runs writes.sql against the table, then against the twin, with the same @i, @r and @r2, and
// commits both or neither.
type writer struct {
	pool   *sql.DB
	tw     loadgen.Twin
	script string
	loop   *loadgen.Loop
	first  chan error // the outcome of the first transaction
}

// startWrites starts the writer and returns once its first transaction committed; a
// writes.sql that cannot run stops the case.
func (r *caseRun) startWrites() *writer {
	w := &writer{
		// A pool of its own: writes.sql may change session settings (time_zone).
		pool:   r.open(r.c.SQLMode, r.c.HasSQLMode),
		tw:     loadgen.Twin{Table: r.c.Table, Twin: r.twin},
		script: r.c.Writes,
		first:  make(chan error, 1),
	}
	loop, err := loadgen.NewLoop(loadgen.LoopConfig{Op: w.transaction, Pause: r.c.WritesInterval, OpTimeout: 30 * time.Second})
	if err != nil {
		r.t.Fatal(err)
	}
	w.loop = loop
	// Not the case's context: halt waits for the transaction in flight, so that both tables
	// always see the same transactions.
	if err := loop.Start(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	if err := <-w.first; err != nil {
		w.halt()
		r.t.Fatalf("writes.sql: %v", err)
	}
	return w
}

// transaction is the loop's Op: one write transaction on both tables.
func (w *writer) transaction(ctx context.Context, wk *loadgen.Worker) (loadgen.Kind, int64, error) {
	err := w.transact(ctx, wk.Seq+1, wk.Rand)
	if wk.Seq == 0 {
		w.first <- err
	}
	return "transaction", 0, err
}

func (w *writer) transact(ctx context.Context, i int64, rng *rand.Rand) error {
	conn, err := w.pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET @i = ?, @r = ?, @r2 = ?", i, rng.Int64N(1_000_000_000), rng.Int64N(1_000_000_000)); err != nil {
		return err
	}
	return loadgen.InTx(ctx, conn, func(tx *sql.Tx) error {
		_, err := w.tw.Exec(ctx, tx, w.script)
		return err
	})
}

// commits is the number of transactions committed so far.
func (w *writer) commits() int64 {
	ok, _ := w.loop.Stats().Counts()
	return ok
}

// halt stops the writer after its current transaction; it may be called again.
func (w *writer) halt() {
	w.loop.Stop()
	w.loop.Wait()
}

// summary describes what the writer did, for the log.
func (w *writer) summary() string {
	ok, failed := w.loop.Stats().Counts()
	s := fmt.Sprintf("%d transactions committed, %d rolled back", ok, failed)
	for code, err := range w.loop.FirstErrors() {
		s += fmt.Sprintf("; %d x %s, the first: %v", w.loop.Stats().Errors()[code], code, err)
	}
	return s
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// shellQuote renders args so that the logged command line can be pasted into a shell.
func shellQuote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
