package topotest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
)

// EnvState names a state file written by `ghost-topology up`; Main reuses that topology.
const EnvState = "GHOST_TOPOLOGY_STATE"

// startTimeout bounds starting the package's topology (the first run on a machine also builds the
// data dir template).
const startTimeout = 3 * time.Minute

// Main starts one topology (primary + replica) for the test binary, stores it in *topo, runs the
// tests and stops it. Use it from TestMain: os.Exit(topotest.Main(m, &topo)).
// It returns a non-zero code when the topology cannot be started or stopped cleanly.
func Main(m *testing.M, topo **topology.Topology) int {
	if path := os.Getenv(EnvState); path != "" {
		t, err := reuse(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "topotest: %s=%s: %v\n", EnvState, path, err)
			return 1
		}
		*topo = t
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	t, err := topology.Start(ctx, topology.Options{})
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "topotest: %v\n(script/bootstrap installs the server)\n", err)
		return 1
	}
	*topo = t
	code := m.Run()
	if err := t.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "topotest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// reuse loads a running topology from a state file and checks that it answers.
func reuse(path string) (*topology.Topology, error) {
	t, err := topology.Load(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, s := range t.Servers() {
		if err := s.Exec(ctx, "SELECT 1"); err != nil {
			return nil, fmt.Errorf("topology from state is not usable (script/topology status): %w", err)
		}
	}
	return t, nil
}

// NewDatabase creates a fresh, uniquely named database on the primary and returns a pool on it
// and its name. The database has reached the replica when NewDatabase returns. It is dropped and
// the pool closed at t.Cleanup.
func NewDatabase(t testing.TB, topo *topology.Topology) (*sql.DB, string) {
	t.Helper()
	if topo == nil {
		t.Fatal("topotest: no topology (call topotest.Main from TestMain)")
	}
	name := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := topo.Primary.Exec(ctx, "CREATE DATABASE "+dbconn.QuoteIdent(name)); err != nil {
		t.Fatalf("topotest: %v", err)
	}
	db, err := topo.Primary.Open(name)
	if err != nil {
		t.Fatalf("topotest: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("topotest: close pool on %s: %v", name, err)
		}
		// t.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := topo.Primary.Exec(ctx, "DROP DATABASE IF EXISTS "+dbconn.QuoteIdent(name)); err != nil {
			t.Errorf("topotest: %v", err)
		}
	})
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatalf("topotest: %v", err)
	}
	return db, name
}

// databaseName derives a valid, unique database name (at most 64 characters) from a test name.
func databaseName(testName string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	suffix := "_" + strconv.FormatUint(rand.Uint64()&0xffffffffff, 36)
	const maxLen = 64
	if len(base)+len(suffix) > maxLen {
		base = base[:maxLen-len(suffix)]
	}
	return base + suffix
}

// ModuleRoot is the directory of go.mod above the current directory (a test's
// package directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// BuildGhost builds the ghost command into dir and returns its path, or returns the
// binary named by the environment variable env when that is set (to test a given
// build). Under the race detector (go test -race) the binary is built with it too.
func BuildGhost(dir, env string) (string, error) {
	if p := os.Getenv(env); env != "" && p != "" {
		return p, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out := filepath.Join(dir, "ghost")
	args := []string{"build", "-o", out}
	if raceEnabled {
		// A data race in the binary then fails the test: it exits with status 66.
		args = append(args, "-race")
	}
	cmd := exec.Command(goBin, append(args, "./go/cmd/ghost")...)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build ghost: %v\n%s", err, b)
	}
	return out, nil
}

// Private starts a primary + replica for one test, stopped when the test ends.
func Private(t testing.TB, opts topology.Options) *topology.Topology {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tp, err := topology.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start a topology of the test's own: %v", err)
	}
	t.Cleanup(func() {
		if err := tp.Stop(); err != nil {
			t.Errorf("stop the test's topology: %v", err)
		}
	})
	return tp
}

// GhostPool opens a pool on database of the topology's primary with ghost's own
// session settings (strict sql_mode, UTC), closed when the test ends.
func GhostPool(t testing.TB, topo *topology.Topology, database string) *sql.DB {
	t.Helper()
	p := topo.Primary
	db, err := dbconn.Open(context.Background(), dbconn.Config{Host: p.Host, Port: p.Port, User: p.User, Password: p.Password, Database: database})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Strings runs a query that returns one string column; any error fails the test.
func Strings(ctx context.Context, t testing.TB, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}
