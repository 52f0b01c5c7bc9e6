package opstest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var (
	topo     *topology.Topology
	ghostBin string
	// serverIDs hands every ghost run its own --replica-server-id: runs overlap and
	// each binlog reader needs an id no other reader of the server uses (1 and 2 are
	// the servers).
	serverIDs atomic.Int64
)

// defaultParallel is how many tests run at once when -test.parallel is not given:
// they mostly wait (throttled, postponed, sleeping between chunks), not compute.
const defaultParallel = 6

// serverArgs are given to every server the tests start. Commits that do not wait
// for the disk keep the replica from falling behind the primary while a dozen
// ghosts write heartbeats and copy chunks at once on a small machine. (Each server
// keeps its temporary files in its own directory: the topology package sees to it.)
func serverArgs() []string {
	return []string{"--innodb-flush-log-at-trx-commit=2"}
}

// alterSQL is the ALTER every test applies.
const alterSQL = "ADD COLUMN c INT NOT NULL DEFAULT 7"

// table is the migrated table: each test has a database of its own, and every
// test's table is called t, as an operator's tables of one name in several
// databases (one per tenant, say) would be.
const table = "t"

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", strconv.Itoa(defaultParallel))
	}
	serverIDs.Store(100)
	dir, err := os.MkdirTemp("", "ghost-opstest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "opstest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if ghostBin, err = topotest.BuildGhost(dir, ""); err != nil {
		fmt.Fprintln(os.Stderr, "opstest:", err)
		return 1
	}
	if os.Getenv(topotest.EnvState) != "" {
		return topotest.Main(m, &topo)
	}
	return runWithTopology(m)
}

// runWithTopology is topotest.Main, keeping the servers' error logs when tests
// fail: a server crash otherwise leaves no trace once the topology is removed.
func runWithTopology(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	tp, err := topology.Start(ctx, topology.Options{ExtraArgs: serverArgs()})
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "opstest: %v\n(script/bootstrap installs the server)\n", err)
		return 1
	}
	topo = tp
	code := m.Run()
	if code != 0 {
		keepErrorLogs(tp)
	}
	if err := tp.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "opstest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// keepErrorLogs copies the servers' error logs to a directory that outlives the run.
func keepErrorLogs(tp *topology.Topology) {
	dir, err := os.MkdirTemp("", "ghost-opstest-logs-")
	if err != nil {
		return
	}
	for _, s := range tp.Servers() {
		if b, err := os.ReadFile(s.ErrorLog); err == nil {
			_ = os.WriteFile(filepath.Join(dir, s.Name+".err"), b, 0o644)
		}
	}
	fmt.Fprintf(os.Stderr, "opstest: server error logs kept in %s\n", dir)
}

// fixture is one test's database with a populated table, and the files and
// settings a ghost run against it uses.
type fixture struct {
	t       *testing.T
	topo    *topology.Topology
	db      string
	primary *sql.DB // on db
	replica *sql.DB // on db
	dir     string  // short temporary directory: sockets, flag files, hooks
	rows    int
	table   string // the migrated table
	// ghostTbl and delTbl are the ghost and old table names.
	ghostTbl, delTbl string
	ghkTbl           string     // the swap record a successful migration keeps beside delTbl
	before           tableState // of the table on the primary before any run
}

// newFixture creates a database with a table (id, a, b) holding rows rows, on
// the primary, and waits until the replica has it.
func newFixture(t *testing.T, tp *topology.Topology, rows int) *fixture {
	t.Helper()
	primary, db := topotest.NewDatabase(t, tp)
	replica, err := tp.Replica.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	tbl := table
	f := &fixture{t: t, topo: tp, db: db, primary: primary, replica: replica, dir: shortTempDir(t), rows: rows,
		table: tbl, ghostTbl: "_" + tbl + "_gho", delTbl: "_" + tbl + "_del", ghkTbl: "_" + tbl + "_ghk"}
	f.exec(f.primary, "CREATE TABLE "+tbl+" (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL, b VARCHAR(64) NOT NULL) ENGINE=InnoDB")
	const batch = 2000
	for lo := 1; lo <= rows; lo += batch {
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + tbl + " (id, a, b) VALUES ")
		for i := lo; i < lo+batch && i <= rows; i++ {
			if i > lo {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d,%d,'row-%d-%s')", i, i*7, i, strings.Repeat("x", i%23))
		}
		f.exec(f.primary, sb.String())
	}
	f.caughtUp()
	f.before = f.state(f.primary, tbl)
	return f
}

// shortTempDir is t.TempDir, unless its path is too long for a unix socket
// (108 bytes on Linux), then a shorter directory removed at cleanup.
func shortTempDir(t *testing.T) string {
	d := t.TempDir()
	if len(d) < 70 {
		return d
	}
	d, err := os.MkdirTemp("", "opstest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func (f *fixture) exec(db *sql.DB, q string, args ...any) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", firstWords(q), err)
	}
}

func firstWords(q string) string {
	if len(q) > 80 {
		return q[:80] + "..."
	}
	return q
}

// caughtUp waits until the replica has applied everything the primary wrote.
func (f *fixture) caughtUp() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := f.topo.WaitReplicaCaughtUp(ctx); err != nil {
		f.t.Fatalf("replica catching up: %v", err)
	}
}

// tableState is what a run must leave unchanged (or change only as expected):
// the column list and a checksum of the original columns' rows.
type tableState struct {
	Columns  string
	Rows     int64
	Checksum int64
}

func (s tableState) String() string {
	return fmt.Sprintf("columns %s, %d rows, checksum %d", s.Columns, s.Rows, s.Checksum)
}

// state reads the columns of tbl and a checksum over (id, a, b). (Columns and
// tables are read with statements that need no temporary table on the server: on
// this machine other processes sometimes clean the server's tmpdir, /tmp.)
func (f *fixture) state(db *sql.DB, tbl string) tableState {
	f.t.Helper()
	var s tableState
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM %s LIMIT 0", dbconn.QuoteIdent(tbl)))
	if err != nil {
		f.t.Fatalf("columns of %s: %v", tbl, err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		f.t.Fatalf("columns of %s: %v", tbl, err)
	}
	s.Columns = strings.Join(cols, ",")
	q := fmt.Sprintf("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('#', id, a, b))), 0) FROM %s", dbconn.QuoteIdent(tbl))
	if err := db.QueryRow(q).Scan(&s.Rows, &s.Checksum); err != nil {
		f.t.Fatalf("checksum of %s: %v", tbl, err)
	}
	return s
}

// tables lists the tables of the test's database on a server, sorted.
func (f *fixture) tables(db *sql.DB) []string {
	f.t.Helper()
	out := topotest.Strings(context.Background(), f.t, db, "SHOW TABLES")
	slices.Sort(out)
	return out
}

// count returns the rows of tbl, or -1 when it does not exist.
func (f *fixture) count(db *sql.DB, tbl string) int64 {
	f.t.Helper()
	var n int64
	err := db.QueryRow("SELECT COUNT(*) FROM " + dbconn.QuoteIdent(tbl)).Scan(&n)
	if dbconn.Is(err, 1146) { // ER_NO_SUCH_TABLE
		return -1
	}
	if err != nil {
		f.t.Fatalf("count %s: %v", tbl, err)
	}
	return n
}

// assertUntouched checks a failed run: the original table has its old schema and
// rows on the primary, and nothing the run created is left on either server.
func (f *fixture) assertUntouched() {
	f.t.Helper()
	if got := f.state(f.primary, f.table); got != f.before {
		f.t.Errorf("original table changed on the primary:\n got  %s\n want %s", got, f.before)
	}
	if got := f.tables(f.primary); !slices.Equal(got, []string{f.table}) {
		f.t.Errorf("tables left on the primary: %v, want only [%s]", got, f.table)
	}
	f.caughtUp()
	if got := f.tables(f.replica); !slices.Equal(got, []string{f.table}) {
		f.t.Errorf("tables left on the replica: %v, want only [%s]", got, f.table)
	}
}

// assertMigrated checks a successful run: the table has the new column and the
// rows of want (the original's state at the cut-over), and the old table is kept as
// _<table>_del with exactly those rows.
func (f *fixture) assertMigrated(want tableState) {
	f.t.Helper()
	if got := f.state(f.primary, f.delTbl); got != want {
		f.t.Errorf("old table %s:\n got  %s\n want %s", f.delTbl, got, want)
	}
	got := f.state(f.primary, f.table)
	want.Columns = "id,a,b,c"
	if got != want {
		f.t.Errorf("migrated table on the primary:\n got  %s\n want %s", got, want)
	}
	if got, w := f.tables(f.primary), []string{f.delTbl, f.ghkTbl, f.table}; !slices.Equal(got, w) {
		f.t.Errorf("tables on the primary after success: %v, want %v", got, w)
	}
	f.caughtUp()
	if got := f.state(f.replica, f.table); got != want {
		f.t.Errorf("migrated table on the replica:\n got  %s\n want %s", got, want)
	}
}

// ghost is one ghost process.
type ghost struct {
	t        *testing.T
	f        *fixture
	args     []string
	sock     string
	cmd      *exec.Cmd
	stdout   syncBuffer
	stderr   syncBuffer
	done     chan struct{}
	exitCode int
	started  time.Time
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// baseArgs are the flags of every run: against the replica, with the test's own
// socket, shared throttle file and server id. --max-lag-millis is generous so that
// a loaded machine does not throttle tests that are not about lag, and heartbeats
// are less frequent than the default to keep the servers' load down.
func (f *fixture) baseArgs(sock string) []string {
	return []string{
		"--host", f.topo.Replica.Host, "--port", strconv.Itoa(f.topo.Replica.Port),
		"--user", topology.User, "--password", topology.Password,
		"--database", f.db, "--table", f.table, "--alter", alterSQL, "--execute",
		"--replica-server-id", strconv.FormatInt(serverIDs.Add(1), 10),
		"--serve-socket-file", sock,
		"--throttle-additional-flag-file", filepath.Join(f.dir, "ghost.throttle"),
		"--max-lag-millis", "10000",
		"--heartbeat-interval-millis", "500",
		"--verbose",
	}
}

// slowCopy makes the copy last (10-row chunks with 20 times their time as rest)
// until speedUp, so that a test can watch it.
var slowCopy = []string{"--chunk-size", "10", "--nice-ratio", "20"}

// start runs ghost with the base flags and extra (later flags win).
func (f *fixture) start(extra ...string) *ghost {
	f.t.Helper()
	sock := filepath.Join(f.dir, fmt.Sprintf("g%d.sock", serverIDs.Load()+1))
	args := append(f.baseArgs(sock), extra...)
	return f.startArgs(sock, args)
}

func (f *fixture) startArgs(sock string, args []string) *ghost {
	f.t.Helper()
	g := &ghost{t: f.t, f: f, args: args, sock: sock, done: make(chan struct{}), started: time.Now()}
	g.cmd = exec.Command(ghostBin, args...)
	g.cmd.Stdout, g.cmd.Stderr = &g.stdout, &g.stderr
	if err := g.cmd.Start(); err != nil {
		f.t.Fatalf("start ghost: %v", err)
	}
	go func() {
		err := g.cmd.Wait()
		g.exitCode = 0
		if err != nil {
			g.exitCode = -1
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				g.exitCode = ee.ExitCode()
			}
		}
		close(g.done)
	}()
	f.t.Cleanup(func() {
		if g.running() {
			_ = g.cmd.Process.Kill()
			<-g.done
		}
		if f.t.Failed() {
			f.t.Logf("ghost %s\n--- stdout ---\n%s\n--- stderr (last 6000 bytes) ---\n%s", strings.Join(args, " "), g.stdout.String(), tail(g.stderr.String(), 6000))
		}
	})
	return g
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

func (g *ghost) running() bool {
	select {
	case <-g.done:
		return false
	default:
		return true
	}
}

// wait waits for ghost to exit and returns its exit code.
func (g *ghost) wait(timeout time.Duration) int {
	g.t.Helper()
	select {
	case <-g.done:
		return g.exitCode
	case <-time.After(timeout):
		g.t.Fatalf("ghost still running after %s; last status: %s", timeout, g.lastStatusLine())
		return 0
	}
}

// succeed waits for ghost to exit 0.
func (g *ghost) succeed(timeout time.Duration) {
	g.t.Helper()
	if code := g.wait(timeout); code != 0 {
		g.t.Fatalf("ghost exited %d, want 0; stderr:\n%s", code, tail(g.stderr.String(), 3000))
	}
}

// fail waits for ghost to exit non-zero and returns the error line it printed.
func (g *ghost) fail(timeout time.Duration) string {
	g.t.Helper()
	code := g.wait(timeout)
	if code == 0 {
		g.t.Fatalf("ghost exited 0, want a failure")
	}
	line := errorLine(g.stderr.String())
	g.t.Logf("ghost exited %d: %s", code, line)
	return line
}

// errorLine is the final "ghost: error: ..." line.
func errorLine(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "ghost: error:") {
			return lines[i]
		}
	}
	return ""
}

// lastStatusLine is the last status line ghost printed on stdout.
func (g *ghost) lastStatusLine() string {
	lines := strings.Split(strings.TrimSpace(g.stdout.String()), "\n")
	return lines[len(lines)-1]
}

// send sends one interactive command and returns the reply. It waits for the
// socket to appear first.
func (g *ghost) send(command string) string {
	g.t.Helper()
	reply, err := g.trySend(command, 90*time.Second)
	if err != nil {
		g.t.Fatalf("command %q: %v", command, err)
	}
	return reply
}

func (g *ghost) trySend(command string, within time.Duration) (string, error) {
	deadline := time.Now().Add(within)
	var conn net.Conn
	var err error
	for {
		conn, err = net.DialTimeout("unix", g.sock, 5*time.Second)
		if err == nil {
			break
		}
		if !g.running() {
			return "", fmt.Errorf("ghost exited (%d) before serving: %v", g.exitCode, errorLine(g.stderr.String()))
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("socket %s not served within %s: %v", g.sock, within, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, command+"\n"); err != nil {
		return "", err
	}
	b, err := io.ReadAll(conn)
	if err != nil {
		return string(b), err
	}
	return string(b), nil
}

var (
	copyRe  = regexp.MustCompile(`Copy: (\d+)/(\d+)`)
	stateRe = regexp.MustCompile(`State: (.*); ETA:`)
)

// status is the parsed status line.
type status struct {
	Line   string
	Copied int64
	State  string
}

func parseStatus(line string) (status, bool) {
	s := status{Line: line}
	m := copyRe.FindStringSubmatch(line)
	st := stateRe.FindStringSubmatch(line)
	if m == nil || st == nil {
		return s, false
	}
	s.Copied, _ = strconv.ParseInt(m[1], 10, 64)
	s.State = st[1]
	return s, true
}

// sup asks for the status line.
func (g *ghost) sup() status {
	g.t.Helper()
	reply := strings.TrimSpace(g.send("sup"))
	s, ok := parseStatus(reply)
	if !ok {
		g.t.Fatalf("sup reply is not a status line: %q", reply)
	}
	return s
}

// eventually polls cond every 100ms until it holds or timeout passes.
func (g *ghost) eventually(what string, timeout time.Duration, cond func(s status) bool) status {
	g.t.Helper()
	deadline := time.Now().Add(timeout)
	var last status
	for {
		if !g.running() {
			g.t.Fatalf("waiting for %s: ghost exited %d: %s", what, g.exitCode, errorLine(g.stderr.String()))
		}
		reply, err := g.trySend("sup", 90*time.Second)
		if err == nil {
			if s, ok := parseStatus(strings.TrimSpace(reply)); ok {
				last = s
				if cond(s) {
					return s
				}
			}
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("waiting for %s: not within %s; last status: %s", what, timeout, last.Line)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// copying waits until at least n rows have been copied.
func (g *ghost) copying(n int64) status {
	g.t.Helper()
	return g.eventually(fmt.Sprintf("%d rows copied", n), 90*time.Second, func(s status) bool { return s.Copied >= n })
}

// speedUp makes the copy fast, to end a test quickly.
func (g *ghost) speedUp() {
	g.t.Helper()
	for _, c := range []string{"chunk-size=2000", "nice-ratio=0"} {
		if r := g.send(c); strings.HasPrefix(r, "ERROR") {
			g.t.Fatalf("%s: %s", c, r)
		}
	}
}

// frozen checks that the copy does not move while throttled: two samples of the
// copied-row count and of the rows in _t_gho about a second apart are equal. It
// returns the count.
func (g *ghost) frozen() int64 {
	g.t.Helper()
	time.Sleep(500 * time.Millisecond) // let a chunk in flight finish
	s1 := g.sup()
	n1 := g.f.count(g.f.primary, g.f.ghostTbl)
	time.Sleep(1200 * time.Millisecond)
	s2 := g.sup()
	n2 := g.f.count(g.f.primary, g.f.ghostTbl)
	if s1.Copied != s2.Copied || n1 != n2 {
		g.t.Errorf("copy moved while throttled: copied %d -> %d, rows in _t_gho %d -> %d (%s)", s1.Copied, s2.Copied, n1, n2, s2.State)
	}
	return s2.Copied
}

// growing checks that the copy moves again: the count passes from within timeout.
func (g *ghost) growing(from int64) {
	g.t.Helper()
	g.eventually(fmt.Sprintf("copy growing past %d", from), 30*time.Second, func(s status) bool { return s.Copied > from })
}

// write runs one statement on the primary.
func (f *fixture) write(q string, args ...any) { f.t.Helper(); f.exec(f.primary, q, args...) }

// touch creates a file.
func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// isError tells whether a reply is an ERROR reply.
func isError(reply string) bool { return strings.HasPrefix(reply, "ERROR:") }

// expectOK fails the test on an ERROR reply.
func (g *ghost) expectOK(command string) string {
	g.t.Helper()
	r := g.send(command)
	if isError(r) {
		g.t.Fatalf("%s: %s", command, strings.TrimSpace(r))
	}
	return r
}

// run starts ghost and waits until it is migrating: streaming, and copying unless
// throttled.
func (f *fixture) run(extra ...string) *ghost {
	f.t.Helper()
	g := f.start(extra...)
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(g.stderr.String(), "state=migrating") {
		if !g.running() {
			f.t.Fatalf("ghost exited %d before migrating: %s", g.exitCode, errorLine(g.stderr.String()))
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("ghost not migrating within 90s; stderr:\n%s", tail(g.stderr.String(), 3000))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return g
}
