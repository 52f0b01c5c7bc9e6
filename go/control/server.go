package control

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// DefaultSocketFile is the default --serve-socket-file for a table.
func DefaultSocketFile(database, table string) string {
	return fmt.Sprintf("/tmp/ghost.%s.%s.sock", database, table)
}

// DefaultConnTimeout bounds each connection when Config.ConnTimeout is zero.
const DefaultConnTimeout = 10 * time.Second

// maxCommandLen bounds a command line; a throttle-query can be long, but not
// this long.
const maxCommandLen = 64 << 10

// drainTimeout and maxDrain bound how long and how much unread input is
// discarded after the reply.
const (
	drainTimeout = time.Second
	maxDrain     = 1 << 20
)

// Config configures a Server.
type Config struct {
	// SocketFile is --serve-socket-file; empty serves no unix socket.
	SocketFile string
	// TCPPort is --serve-tcp-port; zero serves no TCP.
	TCPPort int
	// TCPHost is the address to bind the TCP port to. Empty binds every
	// interface, as gh-ost does; anyone who can reach the port can then
	// throttle or panic the migration.
	TCPHost string
	// ForceNamedCutOver is --force-named-cut-over: "unpostpone" must name the table.
	ForceNamedCutOver bool
	// ForceNamedPanic is --force-named-panic: "panic" must name the table.
	ForceNamedPanic bool
	// OnCommand, if set, is called with every non-empty command line before
	// it is executed, unknown and malformed ones included (the orchestrator
	// fires the interactive-command hook from it). It runs on the connection's
	// goroutine and delays the reply, so it should not block for long.
	OnCommand func(cmd string)
	// ConnTimeout bounds reading the command and writing the reply. Zero
	// means DefaultConnTimeout.
	ConnTimeout time.Duration
}

// Server answers interactive commands.
type Server struct {
	cfg      Config
	ctrl     Controller
	log      *logrus.Entry
	commands []command
	byName   map[string]*command
}

// New returns a Server driving ctrl. log receives commands and errors; nil
// discards them.
func New(cfg Config, ctrl Controller, log *logrus.Entry) *Server {
	if cfg.ConnTimeout <= 0 {
		cfg.ConnTimeout = DefaultConnTimeout
	}
	if log == nil {
		l := logrus.New()
		l.Out = io.Discard
		log = logrus.NewEntry(l)
	}
	s := &Server{cfg: cfg, ctrl: ctrl, log: log.WithField("component", "control")}
	s.commands = s.commandTable()
	s.byName = make(map[string]*command)
	for i := range s.commands {
		for _, name := range s.commands[i].names {
			s.byName[name] = &s.commands[i]
		}
	}
	return s
}

// Handle executes one command line and returns the reply, which always ends
// with a newline. Errors are replies starting with "ERROR: ".
func (s *Server) Handle(line string) string {
	line = strings.TrimSpace(line)
	if line == "" {
		return "ERROR: empty command; send \"help\" for the list of commands\n"
	}
	if s.cfg.OnCommand != nil {
		s.cfg.OnCommand(line)
	}
	name, arg, hasArg := strings.Cut(line, "=")
	c := call{name: strings.ToLower(strings.TrimSpace(name)), arg: strings.TrimSpace(arg), hasArg: hasArg}
	log := s.log.WithField("command", line)
	cmd, ok := s.byName[c.name]
	if !ok {
		log.Warn("unknown interactive command")
		return fmt.Sprintf("ERROR: unknown command %q; send \"help\" for the list of commands\n", c.name)
	}
	readOnly := cmd.readOnly || (cmd.arg == argValue && c.arg == "?")
	if err := s.checkArg(cmd, c); err != nil {
		log.WithError(err).Warn("interactive command refused")
		return "ERROR: " + err.Error() + "\n"
	}
	reply, err := cmd.run(c)
	if err != nil {
		log.WithError(err).Warn("interactive command failed")
		return "ERROR: " + err.Error() + "\n"
	}
	if readOnly {
		log.Debug("interactive command")
	} else {
		log.Info("interactive command applied")
	}
	if !strings.HasSuffix(reply, "\n") {
		reply += "\n"
	}
	return reply
}

// Serve listens on the configured socket file and TCP port and answers
// connections concurrently until ctx is done; then it closes the listeners,
// removes the socket file, waits for open connections to finish and returns
// nil. Only failing to listen is an error. A stale
// socket file left by a dead process is replaced; one a live process answers
// on is an error. With neither socket nor port configured Serve returns nil
// at once.
func (s *Server) Serve(ctx context.Context) error {
	var listeners []net.Listener
	closeAll := func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}
	if s.cfg.SocketFile != "" {
		l, err := listenUnix(ctx, s.cfg.SocketFile)
		if err != nil {
			return err
		}
		listeners = append(listeners, l)
		s.log.WithField("socket", s.cfg.SocketFile).Info("serving interactive commands on unix socket")
	}
	if s.cfg.TCPPort > 0 {
		addr := net.JoinHostPort(s.cfg.TCPHost, strconv.Itoa(s.cfg.TCPPort))
		var lc net.ListenConfig
		l, err := lc.Listen(ctx, "tcp", addr)
		if err != nil {
			closeAll()
			return fmt.Errorf("listen on tcp %s: %w", addr, err)
		}
		listeners = append(listeners, l)
		s.log.WithField("address", addr).Info("serving interactive commands on tcp")
	}
	if len(listeners) == 0 {
		return nil
	}
	// Closing the listeners is what unblocks Accept; the unix listener
	// unlinks its socket file when closed.
	stop := context.AfterFunc(ctx, closeAll)
	defer stop()
	defer closeAll()

	var accepting, conns sync.WaitGroup
	for _, l := range listeners {
		accepting.Go(func() { s.accept(ctx, l, &conns) })
	}
	accepting.Wait()
	conns.Wait()
	return nil
}

// accept answers connections on l until l is closed.
func (s *Server) accept(ctx context.Context, l net.Listener, conns *sync.WaitGroup) {
	backoff := 5 * time.Millisecond
	for {
		conn, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			// Running out of file descriptors and the like are worth waiting
			// out: losing the control socket mid-migration is worse.
			s.log.WithError(err).Warn("accept on control socket failed; retrying")
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		conns.Go(func() { s.serveConn(ctx, conn) })
	}
}

// serveConn reads one command line, writes the reply and closes conn.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(s.cfg.ConnTimeout))
	line, err := bufio.NewReader(io.LimitReader(conn, maxCommandLen+1)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		s.log.WithError(err).Debug("read interactive command")
		return
	}
	var reply string
	switch {
	case len(line) > maxCommandLen:
		reply = fmt.Sprintf("ERROR: command longer than %d bytes\n", maxCommandLen)
	case strings.TrimSpace(line) == "":
		if err != nil {
			return // connected and left without a word: a liveness probe
		}
		reply = s.Handle(line)
	default:
		reply = s.Handle(line)
	}
	if _, err := io.WriteString(conn, reply); err != nil {
		s.log.WithError(err).Debug("write interactive command reply")
		return
	}
	// Closing with unread input (a second line, the rest of an over-long
	// one) makes the kernel reset the connection, and the client could lose
	// the reply. Signal the end of the reply, then drain briefly.
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
		_ = conn.SetReadDeadline(time.Now().Add(drainTimeout))
		_, _ = io.Copy(io.Discard, io.LimitReader(conn, maxDrain))
	}
}

// listenUnix listens on path, first removing a socket file that nothing
// answers on (left by a process that died). A live socket means another
// process, probably another migration of the same table, is serving there.
func listenUnix(ctx context.Context, path string) (*net.UnixListener, error) {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("check socket file: %w", err)
	case info.Mode()&fs.ModeSocket == 0:
		return nil, fmt.Errorf("socket file %s exists and is not a socket; refusing to replace it", path)
	default:
		d := net.Dialer{Timeout: time.Second}
		if conn, err := d.DialContext(ctx, "unix", path); err == nil {
			_ = conn.Close()
			return nil, fmt.Errorf("socket file %s is in use by another process (another migration of the same table?)", path)
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove stale socket file: %w", err)
		}
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on unix socket %s: %w", path, err)
	}
	ul := l.(*net.UnixListener)
	ul.SetUnlinkOnClose(true)
	return ul, nil
}
