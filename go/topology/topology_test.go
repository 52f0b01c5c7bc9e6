package topology

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func startTopology(t *testing.T, opts Options) *Topology {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	opts.Log = t.Output()
	begin := time.Now()
	topo, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("Start took %v", time.Since(begin).Round(time.Millisecond))
	t.Cleanup(func() {
		if err := topo.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return topo
}

func TestStartReplicatesAndStopCleansUp(t *testing.T) {
	topo := startTopology(t, Options{})
	ctx := t.Context()
	if topo.Replica == nil {
		t.Fatal("no replica")
	}
	for _, s := range topo.Servers() {
		if s.Port == 3306 || s.Port == 0 {
			t.Errorf("%s: port %d", s.Name, s.Port)
		}
		if s.Version == "" || (s.Flavor != FlavorMariaDB && s.Flavor != FlavorMySQL) {
			t.Errorf("%s: flavor %q version %q", s.Name, s.Flavor, s.Version)
		}
		checkServerSettings(ctx, t, s)
	}

	// Write on the primary, read on the replica.
	for _, q := range []string{
		"CREATE DATABASE topo_test",
		"CREATE TABLE topo_test.t (id INT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO topo_test.t VALUES (1, 'one'), (2, 'two'), (3, 'three')",
		"UPDATE topo_test.t SET v = 'TWO' WHERE id = 2",
	} {
		if err := topo.Primary.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatalf("WaitReplicaCaughtUp: %v", err)
	}
	db, err := topo.Replica.Open("topo_test")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var v string
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*), MAX(CASE WHEN id = 2 THEN v END) FROM t").Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	if n != 3 || v != "TWO" {
		t.Errorf("replica has %d rows, row 2 = %q; want 3, TWO", n, v)
	}
	st, err := topo.Replica.ReplicaStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.IORunning || !st.SQLRunning || st.SecondsBehind == nil {
		t.Errorf("replica status %+v", st)
	}
	if st, err := topo.Primary.ReplicaStatus(ctx); err != nil || st.Configured {
		t.Errorf("primary replica status %+v, %v; want not configured", st, err)
	}

	// A stopped applier makes WaitReplicaCaughtUp fail at once instead of waiting for ever.
	w := topo.Replica.info().Replication()
	stop, start := w.StopReplica+" SQL_THREAD", w.StartReplica+" SQL_THREAD"
	if err := topo.Replica.Exec(ctx, stop); err != nil {
		t.Fatal(err)
	}
	if err := topo.Primary.Exec(ctx, "INSERT INTO topo_test.t VALUES (4, 'four')"); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = topo.WaitReplicaCaughtUp(waitCtx)
	cancel()
	if err == nil || !strings.Contains(err.Error(), "SQL thread not running") {
		t.Errorf("WaitReplicaCaughtUp with stopped SQL thread: %v", err)
	}
	if err := topo.Replica.Exec(ctx, start); err != nil {
		t.Fatal(err)
	}
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatalf("WaitReplicaCaughtUp after restart: %v", err)
	}

	if topo.Backend != BackendLocal {
		return
	}
	// Stop: processes gone, directory removed, ports free again.
	ports := []int{topo.Primary.Port, topo.Replica.Port}
	procs := []*Server{topo.Primary, topo.Replica}
	begin := time.Now()
	if err := topo.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("Stop took %v", time.Since(begin).Round(time.Millisecond))
	for _, s := range procs {
		if s.Running() || pidIsServer(s.PID, s.DataDir) {
			t.Errorf("%s (pid %d) still running after Stop", s.Name, s.PID)
		}
	}
	if _, err := os.Stat(topo.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still exists after Stop (%v)", topo.Dir, err)
	}
	for _, p := range ports {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			t.Errorf("port %d not free after Stop: %v", p, err)
			continue
		}
		l.Close()
	}
	if err := topo.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// checkServerSettings checks the replication settings every server must have.
func checkServerSettings(ctx context.Context, t *testing.T, s *Server) {
	t.Helper()
	slaveUpdates := "@@GLOBAL.log_slave_updates"
	if s.Flavor == FlavorMySQL && parseVersion(s.Version).AtLeast(8, 0, 26) {
		slaveUpdates = "@@GLOBAL.log_replica_updates"
	}
	want := map[string]string{
		"@@GLOBAL.log_bin":          "1",
		"@@GLOBAL.binlog_format":    "ROW",
		"@@GLOBAL.binlog_row_image": "FULL",
		slaveUpdates:                "1",
		"@@GLOBAL.server_id":        fmt.Sprint(s.ServerID),
		"@@GLOBAL.event_scheduler":  "ON",
	}
	if s.Flavor == FlavorMySQL {
		want["@@GLOBAL.gtid_mode"] = "ON"
	}
	for expr, w := range want {
		got, err := s.queryString(ctx, "SELECT "+expr)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if !strings.EqualFold(got, w) {
			t.Errorf("%s: %s = %q, want %q", s.Name, expr, got, w)
		}
	}
	if s.Host != "127.0.0.1" || s.ContainerID != "" {
		return
	}
	if got, err := s.queryString(ctx, "SELECT @@GLOBAL.bind_address"); err != nil || got != "127.0.0.1" {
		t.Errorf("%s: bind_address = %q, %v; want 127.0.0.1", s.Name, got, err)
	}
}

func TestPrimaryOnly(t *testing.T) {
	if os.Getenv(EnvBackend) == BackendDocker {
		t.Skip("local backend test")
	}
	t.Setenv(EnvCache, "off") // also covers initialising a data dir without the template
	topo := startTopology(t, Options{NoReplica: true, Dir: t.TempDir()})
	if topo.Replica != nil {
		t.Fatal("replica started with NoReplica")
	}
	if err := topo.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Errorf("WaitReplicaCaughtUp without replica: %v", err)
	}
	if err := topo.Primary.Exec(t.Context(), "CREATE DATABASE only_primary"); err != nil {
		t.Fatal(err)
	}

	// sweepStale removes old directories without live servers, and nothing else.
	parent := filepath.Dir(topo.Dir)
	old := time.Now().Add(-time.Hour)
	stale := filepath.Join(parent, dirPrefix+"stale")
	young := filepath.Join(parent, dirPrefix+"young")
	other := filepath.Join(parent, "not-a-topology")
	for _, d := range []string{filepath.Join(stale, "primary"), young, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A pid file naming a live process that is not this server must not keep the directory.
	if err := os.WriteFile(filepath.Join(stale, "primary", "server.pid"), []byte(fmt.Sprintln(os.Getpid())), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{stale, other, topo.Dir} {
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
	}
	sweepStale(parent, t.Logf)
	for d, wantKept := range map[string]bool{stale: false, young: true, other: true, topo.Dir: true} {
		_, err := os.Stat(d)
		if kept := err == nil; kept != wantKept {
			t.Errorf("after sweepStale %s kept=%v, want %v", d, kept, wantKept)
		}
	}
}

// TestSaveLoadStop stops a topology through its saved state, as `ghost-topology down` does.
func TestSaveLoadStop(t *testing.T) {
	if os.Getenv(EnvBackend) == BackendDocker {
		t.Skip("local backend test")
	}
	topo := startTopology(t, Options{})
	state := filepath.Join(t.TempDir(), "state.json")
	if err := topo.Save(state); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(state)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Primary.Addr() != topo.Primary.Addr() || loaded.Replica.PID != topo.Replica.PID || loaded.Dir != topo.Dir {
		t.Fatalf("loaded %+v, saved %+v", loaded, topo)
	}
	for _, s := range loaded.Servers() {
		if !s.Running() {
			t.Errorf("loaded %s (pid %d) not running", s.Name, s.PID)
		}
	}
	if err := loaded.WaitReplicaCaughtUp(t.Context()); err != nil {
		t.Errorf("WaitReplicaCaughtUp on loaded topology: %v", err)
	}
	if err := loaded.Stop(); err != nil {
		t.Fatalf("Stop loaded: %v", err)
	}
	for _, s := range topo.Servers() {
		select {
		case <-s.proc.done:
		case <-time.After(5 * time.Second):
			t.Errorf("%s still running after Stop of the loaded topology", s.Name)
		}
	}
	if _, err := os.Stat(topo.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still exists (%v)", topo.Dir, err)
	}
}

// TestPortTaken forces every launch onto a taken port: Start must retry, then fail with the server's
// own complaint and leave nothing behind.
func TestPortTaken(t *testing.T) {
	if os.Getenv(EnvBackend) == BackendDocker {
		t.Skip("local backend test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	t.Setenv(EnvCache, t.TempDir()) // --port is part of the template key: keep the user's cache clean
	_, err = Start(t.Context(), Options{NoReplica: true, Dir: dir, ExtraArgs: []string{fmt.Sprintf("--port=%d", port)}})
	if !errors.Is(err, errPortInUse) {
		t.Fatalf("Start on a taken port: %v, want errPortInUse", err)
	}
	if !strings.Contains(err.Error(), "Address already in use") {
		t.Errorf("error lacks the error log tail: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed Start left %d entries in %s", len(entries), dir)
	}
}

func TestDockerWithoutEngine(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if dockerReachable(ctx) == nil {
		t.Skip("a Docker engine is reachable")
	}
	_, err := Start(ctx, Options{Backend: BackendDocker})
	if !errors.Is(err, ErrNoDocker) {
		t.Fatalf("Start(docker) without engine: %v, want ErrNoDocker", err)
	}
	t.Logf("error: %v", err)
}

func TestUnknownBackend(t *testing.T) {
	if _, err := Start(t.Context(), Options{Backend: "podman"}); err == nil {
		t.Fatal("Start with an unknown backend succeeded")
	}
}

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in                  string
		major, minor, patch int
	}{
		{"10.11.19-MariaDB-0+deb12u1-log", 10, 11, 19},
		{"mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)", 10, 11, 19},
		{"/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)", 8, 0, 36},
		{"8.4.3", 8, 4, 3},
		{"garbage", 0, 0, 0},
	} {
		got := parseVersion(tc.in)
		if got.Major != tc.major || got.Minor != tc.minor || got.Patch != tc.patch {
			t.Errorf("parseVersion(%q) = %d.%d.%d, want %d.%d.%d", tc.in, got.Major, got.Minor, got.Patch, tc.major, tc.minor, tc.patch)
		}
	}
}

func TestChangeSourceStatements(t *testing.T) {
	for _, tc := range []struct {
		flavor, version string
		want            []string
	}{
		{FlavorMariaDB, "10.11.19-MariaDB", []string{"MASTER_USE_GTID=slave_pos", "START SLAVE"}},
		{FlavorMySQL, "8.0.36", []string{"CHANGE REPLICATION SOURCE TO", "SOURCE_AUTO_POSITION=1", "GET_SOURCE_PUBLIC_KEY=1", "START REPLICA"}},
		{FlavorMySQL, "8.0.22", []string{"CHANGE MASTER TO", "MASTER_AUTO_POSITION=1", "GET_MASTER_PUBLIC_KEY=1", "START REPLICA"}},
		{FlavorMySQL, "8.0.20", []string{"CHANGE MASTER TO", "MASTER_AUTO_POSITION=1", "GET_MASTER_PUBLIC_KEY=1", "START SLAVE"}},
		{FlavorMySQL, "5.7.44-log", []string{"CHANGE MASTER TO", "MASTER_AUTO_POSITION=1", "START SLAVE"}},
	} {
		stmts := strings.Join(changeSourceStatements(&Server{Flavor: tc.flavor, Version: tc.version}, "primary", 3306), "; ")
		for _, w := range tc.want {
			if !strings.Contains(stmts, w) {
				t.Errorf("%s %s: %q lacks %q", tc.flavor, tc.version, stmts, w)
			}
		}
		if !strings.Contains(stmts, "'primary'") || !strings.Contains(stmts, "3306") {
			t.Errorf("%s %s: %q lacks host or port", tc.flavor, tc.version, stmts)
		}
	}
}

func TestPidIsServer(t *testing.T) {
	if pidIsServer(0, "/x") || pidIsServer(-1, "") {
		t.Error("non-positive pid reported as a server")
	}
	if pidIsServer(os.Getpid(), "/no/such/datadir") {
		t.Error("the test binary reported as a server with a data dir")
	}
	if !pidIsServer(os.Getpid(), "") {
		t.Error("own pid without data dir check not reported alive")
	}
}

func TestTemplateCopyAndValidation(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"zeros":      make([]byte, 300<<10),                                                             // all hole
		"sub/mixed":  append(append(make([]byte, 100<<10), []byte("data")...), make([]byte, 70<<10)...), // hole, data, trailing hole
		"small":      []byte("hello"),
		"empty":      nil,
		"sub/unalig": append([]byte("x"), make([]byte, 65<<10+3)...),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "tmpl")
	manifest, err := copyTree(src, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: copy differs (len %d, want %d)", name, len(got), len(want))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	if !templateValid(dir) {
		t.Fatalf("fresh template invalid; manifest:\n%s", manifest)
	}
	if err := os.Remove(filepath.Join(dir, "data", "sub", "mixed")); err != nil {
		t.Fatal(err)
	}
	if templateValid(dir) {
		t.Error("template with a missing file reported valid")
	}
	if templateValid(t.TempDir()) {
		t.Error("directory without manifest reported valid")
	}
}

func TestDSN(t *testing.T) {
	s := &Server{Host: "127.0.0.1", Port: 41234, User: User, Password: Password}
	if got, want := s.Addr(), "127.0.0.1:41234"; got != want {
		t.Errorf("Addr() = %q, want %q", got, want)
	}
	if got, want := s.DSN("db"), "ghost:ghost@tcp(127.0.0.1:41234)/db?interpolateParams=true&timeout=10s"; got != want {
		t.Errorf("DSN() = %q, want %q", got, want)
	}
}
