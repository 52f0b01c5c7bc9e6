package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/hint"
)

// TestDescribe: the final error line says what is wrong and what to do.
func TestDescribe(t *testing.T) {
	userErr := hint.New("table d.t has no PRIMARY KEY", "add a primary key or a unique key on NOT NULL columns")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"hint", userErr, "table d.t has no PRIMARY KEY; add a primary key or a unique key on NOT NULL columns"},
		{"wrapped hint", fmt.Errorf("prepare: %w", fmt.Errorf("inspect: %w", userErr)),
			"table d.t has no PRIMARY KEY; add a primary key or a unique key on NOT NULL columns"},
		{"hint with a cause", hint.Wrap(errors.New("dial tcp: refused"), "cannot connect to h:3306", "check --host and --port"),
			"cannot connect to h:3306; check --host and --port"},
		{"invalid configuration", fmt.Errorf("%w: --chunk-size must be positive", config.ErrInvalid),
			"invalid configuration: --chunk-size must be positive; see ghost --help"},
		{"other", errors.New("copy rows: connection reset"), "copy rows: connection reset"},
	} {
		if got := describe(tc.err); got != tc.want {
			t.Errorf("%s: describe = %q, want %q", tc.name, got, tc.want)
		}
	}
}
