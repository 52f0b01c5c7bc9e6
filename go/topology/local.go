package topology

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/go-sql-driver/mysql"
	"golang.org/x/sync/errgroup"
)

// Limits of the local backend.
const (
	readyTimeout   = 60 * time.Second // server launch to first successful ping (MySQL is slower than MariaDB)
	portAttempts   = 5                // launches with a fresh port when the chosen one was taken meanwhile
	maxSocketPath  = 100              // sun_path holds 108 bytes; keep a margin
	pollInterval   = 20 * time.Millisecond
	bufferPoolSize = "256M"
	dirPrefix      = "ghost-topology-" // of the directory Start creates
	staleAge       = 10 * time.Minute  // age of a directory without live servers that sweepStale removes
)

// errPortInUse marks a launch that failed because another process took the port first.
var errPortInUse = errors.New("port already in use")

// localBinary is the server installation the local backend runs.
type localBinary struct {
	server  string // mariadbd or mysqld
	install string // mariadb-install-db (MariaDB only; MySQL initialises with mysqld --initialize-insecure)
	flavor  string
	version dbconn.ServerInfo // version numbers only
	// versionLine is the output of `server --version`.
	versionLine string
}

// serverProcess is a server started by this process.
type serverProcess struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited and been reaped
}

func (p *serverProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// startLocal starts local server processes.
func startLocal(ctx context.Context, opts Options) (*Topology, error) {
	log := newLogger(opts.Log)
	started := time.Now()
	bin, err := findBinary(ctx, opts.Binary)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	parent := opts.Dir
	if parent == "" {
		parent = os.TempDir()
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	if parent, err = filepath.Abs(parent); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	sweepStale(parent, log)
	dir, err := os.MkdirTemp(parent, dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	t := &Topology{Dir: dir, Backend: BackendLocal, bin: bin, opts: opts}
	t.Primary = newLocalServer("primary", 1, dir, bin.flavor)
	if !opts.NoReplica {
		t.Replica = newLocalServer("replica", 2, dir, bin.flavor)
	}
	if len(t.Primary.Socket) > maxSocketPath {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("topology: socket path %s is longer than %d bytes; use a shorter Options.Dir",
			t.Primary.Socket, maxSocketPath)
	}
	ok := false
	defer func() {
		if !ok {
			_ = t.Stop()
		}
	}()

	template, err := dataDirTemplate(ctx, bin, opts.ExtraArgs, log)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	// Both servers are independent until the replica is wired: prepare and launch them together.
	g, gctx := errgroup.WithContext(ctx)
	for _, s := range t.Servers() {
		g.Go(func() error { return launchLocal(gctx, s, bin, template, opts, log) })
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	if t.Replica != nil {
		if err := wireReplica(ctx, t, "127.0.0.1", t.Primary.Port, log); err != nil {
			return nil, fmt.Errorf("topology: %w%s", err, logTail(t.Replica.ErrorLog))
		}
	}
	ok = true
	log("ready in %v (%s %s, dir %s)", time.Since(started).Round(time.Millisecond), bin.flavor, t.Primary.Version, dir)
	return t, nil
}

// newLocalServer lays out one server's files under dir/name.
func newLocalServer(name string, serverID int, dir, flavor string) *Server {
	base := filepath.Join(dir, name)
	return &Server{
		Name:     name,
		Host:     "127.0.0.1",
		User:     User,
		Password: Password,
		DataDir:  filepath.Join(base, "data"),
		Socket:   filepath.Join(dir, name+".sock"), // next to the dirs: sun_path is short
		PidFile:  filepath.Join(base, "server.pid"),
		ErrorLog: filepath.Join(base, "error.log"),
		Flavor:   flavor,
		ServerID: serverID,
	}
}

// serverDir is the directory holding the server's data dir and logs.
func (s *Server) serverDir() string { return filepath.Dir(s.DataDir) }

// launchLocal creates s's data dir (a copy of template, or initialised from scratch when template
// is ""), launches the server on a free port, creates the users and reads the version.
func launchLocal(ctx context.Context, s *Server, bin localBinary, template string, opts Options, log func(string, ...any)) error {
	if err := os.MkdirAll(filepath.Join(s.serverDir(), "tmp"), 0o755); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	begin := time.Now()
	if template != "" {
		err := copyDataDir(template, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
	} else {
		err := initDataDir(ctx, s.DataDir, filepath.Join(s.serverDir(), "install.log"), bin, opts.ExtraArgs)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	initTime := time.Since(begin)
	begin = time.Now()
	var root *sql.DB
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		s.Port = port
		proc, err := spawn(s, bin, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		s.proc = proc
		s.PID = proc.cmd.Process.Pid
		root, err = waitReady(ctx, s)
		if errors.Is(err, errPortInUse) && attempt < portAttempts {
			log("%s: port %d was taken, retrying", s.Name, port)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s on port %d: %w", s.Name, port, err)
		}
		break
	}
	defer root.Close()
	if err := setupUsers(ctx, root); err != nil {
		return fmt.Errorf("%s: %w%s", s.Name, err, logTail(s.ErrorLog))
	}
	v, err := s.queryString(ctx, "SELECT VERSION()")
	if err != nil {
		return fmt.Errorf("%s: connect as %s over TCP: %w", s.Name, s.User, err)
	}
	s.Version = v
	log("%s %s up on %s (pid %d; data dir ready in %v, server ready in %v)", s.Name, v, s.Addr(), s.PID,
		initTime.Round(time.Millisecond), time.Since(begin).Round(time.Millisecond))
	return nil
}

// initDataDir creates the system tables in a new data dir, logging to logPath. Nothing it does is
// binlogged.
func initDataDir(ctx context.Context, dataDir, logPath string, bin localBinary, extra []string) error {
	var cmd *exec.Cmd
	switch bin.flavor {
	case FlavorMariaDB:
		// normal root authentication: root@localhost without password, so this process can
		// connect over the socket whatever OS user it runs as.
		args := []string{"--no-defaults", "--datadir=" + dataDir,
			"--auth-root-authentication-method=normal", "--skip-test-db"}
		if base := filepath.Dir(filepath.Dir(bin.server)); base != "/usr" {
			args = append(args, "--basedir="+base)
		}
		args = append(args, rootUserArgs()...)
		cmd = exec.CommandContext(ctx, bin.install, append(args, extra...)...)
	default:
		args := []string{"--no-defaults", "--initialize-insecure", "--datadir=" + dataDir}
		args = append(args, rootUserArgs()...)
		cmd = exec.CommandContext(ctx, bin.server, append(args, extra...)...)
	}
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return fmt.Errorf("initialise data dir: %w", err)
	}
	out, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("initialise data dir: %w", err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initialise data dir (%s): %w%s", filepath.Base(cmd.Path), err, logTail(logPath))
	}
	return nil
}

// serverArgs are the command-line options of a local server.
func serverArgs(s *Server, bin localBinary, extra []string) []string {
	args := []string{
		"--no-defaults", // must come first: ignore /etc/mysql/my.cnf and friends
		"--datadir=" + s.DataDir,
		"--socket=" + s.Socket,
		"--pid-file=" + s.PidFile,
		"--log-error=" + s.ErrorLog,
		// Temporary tables in the server's own directory: files in a shared /tmp
		// were seen to vanish under concurrent test runs, crashing the server.
		"--tmpdir=" + filepath.Join(s.serverDir(), "tmp"),
		fmt.Sprintf("--port=%d", s.Port),
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--server-id=%d", s.ServerID),
		"--log-bin=mysql-bin",
		"--relay-log=relay-bin", // the default name contains the host name
		"--binlog-format=ROW",
		"--binlog-row-image=FULL",
		"--event-scheduler=ON",
		"--innodb-buffer-pool-size=" + bufferPoolSize,
	}
	args = append(args, rootUserArgs()...)
	switch bin.flavor {
	case FlavorMariaDB:
		// MariaDB always has GTIDs (gtid_domain_id 0 by default); nothing to switch on.
		args = append(args, "--log-slave-updates")
	default:
		args = append(args,
			"--gtid-mode=ON",
			"--enforce-gtid-consistency=ON",
			"--loose-mysqlx=OFF", // X plugin would listen on 33060 in both servers
			"--secure-file-priv="+filepath.Join(s.serverDir(), "files"), // the compiled default may not exist
		)
		if bin.version.AtLeast(8, 0, 26) {
			args = append(args, "--log-replica-updates")
		} else {
			args = append(args, "--log-slave-updates")
		}
	}
	return append(args, extra...)
}

// spawn launches the server process. Its stdout and stderr go to a file: the server logs to its
// error log and a pipe would tie the server's life to ours.
func spawn(s *Server, bin localBinary, opts Options) (*serverProcess, error) {
	if bin.flavor == FlavorMySQL {
		if err := os.MkdirAll(filepath.Join(s.serverDir(), "files"), 0o755); err != nil {
			return nil, fmt.Errorf("launch: %w", err)
		}
	}
	out, err := os.OpenFile(filepath.Join(s.serverDir(), "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("launch: %w", err)
	}
	defer out.Close() // the child holds its own copy
	// exec.Command, not CommandContext: the server must outlive the ctx of Start.
	cmd := exec.Command(bin.server, serverArgs(s, bin, opts.ExtraArgs)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr(opts.Detach)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("launch %s: %w", bin.server, err)
	}
	p := &serverProcess{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// waitReady waits until the server accepts a root connection on its socket and returns that pool.
func waitReady(ctx context.Context, s *Server) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.User = "root"
	cfg.Net = "unix"
	cfg.Addr = s.Socket
	cfg.Timeout = 2 * time.Second
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("root connector: %w", err)
	}
	db := sql.OpenDB(connector)
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var lastErr error
	for {
		if s.proc.exited() {
			db.Close()
			tail := logTail(s.ErrorLog)
			if strings.Contains(tail, "Address already in use") {
				return nil, fmt.Errorf("%w%s", errPortInUse, tail)
			}
			return nil, fmt.Errorf("server exited during start-up: %s%s", s.proc.cmd.ProcessState, tail)
		}
		pingCtx, pingCancel := context.WithTimeout(ctx, 2*time.Second)
		lastErr = db.PingContext(pingCtx)
		pingCancel()
		if lastErr == nil {
			return db, nil
		}
		select {
		case <-ctx.Done():
			db.Close()
			return nil, fmt.Errorf("server not ready (last error: %v): %w%s", lastErr, ctx.Err(), logTail(s.ErrorLog))
		case <-s.proc.done:
		case <-time.After(pollInterval):
		}
	}
}

// freePort returns a loopback TCP port that is free right now (never 3306).
func freePort() (int, error) {
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if err := l.Close(); err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		if port != 3306 {
			return port, nil
		}
	}
}

// rootUserArgs lets the server run as root: mariadbd and mysqld refuse to unless told so.
func rootUserArgs() []string {
	if os.Geteuid() == 0 {
		return []string{"--user=root"}
	}
	return nil
}

// findBinary locates the server binary and its flavour.
func findBinary(ctx context.Context, explicit string) (localBinary, error) {
	if explicit == "" {
		explicit = os.Getenv(EnvServerBin)
	}
	var candidates []string
	if explicit != "" {
		candidates = []string{explicit}
	} else {
		candidates = []string{"mariadbd", "mysqld"}
	}
	var server string
	for _, name := range candidates {
		if p := lookPath(name, "/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/libexec"); p != "" {
			server = p
			break
		}
	}
	if server == "" {
		if explicit != "" {
			return localBinary{}, fmt.Errorf("server binary %q not found: %w", explicit, ErrNoServer)
		}
		return localBinary{}, ErrNoServer
	}
	out, err := exec.CommandContext(ctx, server, "--no-defaults", "--version").CombinedOutput()
	if err != nil {
		return localBinary{}, fmt.Errorf("%s --version: %w: %s", server, err, strings.TrimSpace(string(out)))
	}
	line := strings.TrimSpace(string(out))
	bin := localBinary{server: server, version: parseVersion(line), versionLine: line, flavor: FlavorMySQL}
	if strings.Contains(line, "MariaDB") {
		bin.flavor = FlavorMariaDB
		dir := filepath.Dir(server)
		base := filepath.Dir(dir)
		bin.install = lookPath("mariadb-install-db", dir, filepath.Join(base, "bin"), filepath.Join(base, "scripts"))
		if bin.install == "" {
			bin.install = lookPath("mysql_install_db", dir, filepath.Join(base, "bin"), filepath.Join(base, "scripts"))
		}
		if bin.install == "" {
			return localBinary{}, fmt.Errorf("mariadb-install-db not found next to %s (install mariadb-server)", server)
		}
	}
	return bin, nil
}

// lookPath finds name in $PATH, then in the extra dirs. A name with a slash is checked as is.
func lookPath(name string, extra ...string) string {
	if strings.ContainsRune(name, '/') {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		return ""
	}
	if p, err := exec.LookPath(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	for _, dir := range extra {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// logTail returns the last lines of a log file, formatted to be appended to an error.
func logTail(path string) string {
	const maxBytes = 3000
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	off := fi.Size() - maxBytes
	if off < 0 {
		off = 0
	}
	buf := make([]byte, fi.Size()-off)
	n, _ := f.ReadAt(buf, off)
	text := string(buf[:n])
	if off > 0 {
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[i+1:]
		}
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	return "\n--- tail of " + path + " ---\n" + text
}

// stopLocal stops the servers of a local topology and removes its directory.
func stopLocal(ctx context.Context, t *Topology) error {
	var g errgroup.Group
	for _, s := range t.Servers() {
		g.Go(func() error { return stopServer(ctx, s) })
	}
	err := g.Wait()
	if err != nil {
		// Keep the files of a server that may still run: removing its data dir under it would
		// only hide the problem.
		return fmt.Errorf("topology: %w (left %s in place)", err, t.Dir)
	}
	if t.Dir != "" {
		// A state file can be edited by hand: remove only a directory Start could have created.
		if !strings.HasPrefix(filepath.Base(t.Dir), dirPrefix) {
			return fmt.Errorf("topology: refusing to remove %s: not a %s* directory", t.Dir, dirPrefix)
		}
		if err := os.RemoveAll(t.Dir); err != nil {
			return fmt.Errorf("topology: remove %s: %w", t.Dir, err)
		}
	}
	return nil
}

// sweepStale removes topology directories under parent that a killed test binary left behind (its
// servers died with it, its Stop never ran): older than staleAge and without a live server. The age
// keeps it away from a topology another process is starting right now. Housekeeping only: errors
// are ignored.
func sweepStale(parent string, log func(string, ...any)) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), dirPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < staleAge {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "primary")); err != nil || topologyDirLive(dir) {
			continue // not laid out by Start, or still in use
		}
		if err := os.RemoveAll(dir); err == nil {
			log("removed stale %s", dir)
		}
	}
}

// topologyDirLive reports whether a server of the topology in dir still runs.
func topologyDirLive(dir string) bool {
	for _, name := range []string{"primary", "replica"} {
		s := newLocalServer(name, 0, dir, "")
		b, err := os.ReadFile(s.PidFile)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err == nil && pidIsServer(pid, s.DataDir) {
			return true
		}
	}
	return false
}

// Restart stops one server of a local topology this process started (SIGTERM: a clean
// shutdown, as a DBA's restart) and launches it again on the same port and data dir; down
// is how long it stays down. A replica starts replicating again on its own.
func (t *Topology) Restart(ctx context.Context, s *Server, down time.Duration) error {
	if t.Backend != BackendLocal || t.bin.server == "" {
		return fmt.Errorf("topology: restart needs a local topology started by this process")
	}
	if err := s.closeAdmin(); err != nil {
		return fmt.Errorf("restart %s: %w", s.Name, err)
	}
	if err := stopServer(ctx, s); err != nil {
		return fmt.Errorf("restart %s: %w", s.Name, err)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(down):
	}
	proc, err := spawn(s, t.bin, t.opts)
	if err != nil {
		return fmt.Errorf("restart %s: %w", s.Name, err)
	}
	s.proc = proc
	s.PID = proc.cmd.Process.Pid
	root, err := waitReady(ctx, s)
	if err != nil {
		return fmt.Errorf("restart %s on port %d: %w", s.Name, s.Port, err)
	}
	return root.Close()
}
