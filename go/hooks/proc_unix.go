//go:build unix

package hooks

import (
	"os/exec"
	"syscall"
)

// killProcessGroup runs the hook in its own process group and, on timeout or
// cancellation, kills the whole group: a shell script's children (sleep,
// curl, mysql) would otherwise outlive it.
func killProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
