// Package config holds a migration's settings, fixed once validated, and the bounds of the
// ones an operator may change while it runs (go/migration's settings check the socket's
// changes against the same bounds). It imports nothing internal.
package config
