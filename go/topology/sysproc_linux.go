package topology

import "syscall"

// sysProcAttr detaches a server into its own session (it outlives us), or keeps it in its own
// process group and has the kernel kill it when this process dies, so that a crashed or timed-out
// test binary leaves no server behind. Its own process group keeps a terminal's Ctrl-C away from it:
// the test binary decides how servers stop.
func sysProcAttr(detach bool) *syscall.SysProcAttr {
	if detach {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
