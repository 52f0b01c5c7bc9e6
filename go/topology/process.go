package topology

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// killWait bounds the wait for a process to disappear after SIGKILL.
const killWait = 5 * time.Second

// Running reports whether the server process is alive. For a topology loaded from a state file it
// checks the saved pid and that the process really is this server (not a recycled pid). Docker
// servers are reported as running while they have a container id; ping them to know more.
func (s *Server) Running() bool {
	switch {
	case s.ContainerID != "":
		return true
	case s.proc != nil:
		return !s.proc.exited()
	default:
		return pidIsServer(s.PID, s.DataDir)
	}
}

// stopServer stops one local server: SIGTERM, then SIGKILL after stopTimeout.
func stopServer(ctx context.Context, s *Server) error {
	if s.proc == nil && !pidIsServer(s.PID, s.DataDir) {
		return nil // never started, already gone, or the pid now belongs to another process
	}
	if err := signalServer(s, syscall.SIGTERM); err != nil {
		return err
	}
	termCtx, cancel := context.WithTimeout(ctx, stopTimeout)
	err := waitGone(termCtx, s)
	cancel()
	if err == nil {
		return nil
	}
	if err := signalServer(s, syscall.SIGKILL); err != nil {
		return err
	}
	killCtx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	if err := waitGone(killCtx, s); err != nil {
		return fmt.Errorf("stop %s (pid %d): still running after SIGKILL: %w", s.Name, s.PID, err)
	}
	return nil
}

// signalServer sends sig to the server process, ignoring a process that is already gone.
func signalServer(s *Server, sig syscall.Signal) error {
	var err error
	if s.proc != nil {
		err = s.proc.cmd.Process.Signal(sig)
		if errors.Is(err, os.ErrProcessDone) {
			return nil
		}
	} else {
		err = syscall.Kill(s.PID, sig)
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("signal %s (pid %d) with %v: %w", s.Name, s.PID, sig, err)
	}
	return nil
}

// waitGone waits until the server process has exited.
func waitGone(ctx context.Context, s *Server) error {
	if s.proc != nil {
		select {
		case <-s.proc.done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for pidIsServer(s.PID, s.DataDir) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
	return nil
}

// pidIsServer reports whether pid is a live (not zombie) server process using dataDir. Where there
// is no /proc it can only check that the pid exists.
func pidIsServer(pid int, dataDir string) bool {
	if pid <= 0 {
		return false
	}
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	proc := "/proc/" + strconv.Itoa(pid)
	cmdline, err := os.ReadFile(proc + "/cmdline")
	if err != nil {
		// Gone (fs.ErrNotExist) or not ours to read: either way not a server we may signal.
		return !errors.Is(err, fs.ErrNotExist) && syscall.Kill(pid, 0) == nil
	}
	// The arguments are NUL-terminated; matching the terminator avoids prefix matches.
	if dataDir != "" && !strings.Contains(string(cmdline), "--datadir="+dataDir+"\x00") {
		return false
	}
	// A zombie (exited, not yet reaped by its parent) is gone for our purposes. The state is the
	// first field after the command name, which is in parentheses and may itself contain spaces.
	stat, err := os.ReadFile(proc + "/stat")
	if err != nil {
		return false
	}
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 {
		if f := strings.Fields(string(stat[i+1:])); len(f) > 0 && f[0] == "Z" {
			return false
		}
	}
	return true
}
