//go:build !unix

package hooks

import "os/exec"

// killProcessGroup keeps exec's default on systems without process groups:
// only the hook process itself is killed.
func killProcessGroup(*exec.Cmd) {}
