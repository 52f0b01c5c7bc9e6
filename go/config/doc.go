// Package config holds a migration's settings: Config is fixed once validated;
// Tunables are the knobs an operator may change while the migration runs.
// It imports nothing internal.
package config
