//go:build unix && !linux

package topology

import "syscall"

// sysProcAttr detaches a server into its own session (it outlives us), or keeps it in its own
// process group. Without Pdeathsig outside Linux, a crashed test binary can leave servers behind.
func sysProcAttr(detach bool) *syscall.SysProcAttr {
	if detach {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true}
}
