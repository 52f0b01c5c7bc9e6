package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ghost-osc/ghost/go/hint"
	"golang.org/x/term"
)

// askPassword prompts on w and reads one line from the terminal on stdin with echo
// off (--ask-pass). A stdin that is not a terminal is an error rather than a silent
// read of a pipe, which would echo nothing but could block or take the wrong input.
func askPassword(stdin *os.File, w io.Writer) (string, error) {
	if stdin == nil || !term.IsTerminal(int(stdin.Fd())) {
		return "", hint.New("--ask-pass needs a terminal on stdin to read the password from",
			"run ghost from a terminal, or give the password in the [client] section of a --conf file (mode 0600)")
	}
	fmt.Fprint(w, "Password: ")
	b, err := term.ReadPassword(int(stdin.Fd()))
	fmt.Fprintln(w)
	if err != nil {
		return "", fmt.Errorf("--ask-pass: read the password: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("--ask-pass: empty password")
	}
	return string(b), nil
}
