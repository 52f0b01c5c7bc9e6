package hooks

import (
	"fmt"
	"strconv"
	"time"
)

// Environment variable prefixes. Every variable is exported under both.
const (
	EnvPrefix      = "GHOST_"
	GhOstEnvPrefix = "GH_OST_"
)

// Env is what hooks learn about the migration. The orchestrator fills it from
// its configuration and a status snapshot at the moment of the event.
type Env struct {
	DatabaseName   string
	TableName      string
	GhostTableName string
	OldTableName   string
	DDL            string // the ALTER clause as given to --alter

	Elapsed     time.Duration // since the migration started
	ElapsedCopy time.Duration // spent copying rows

	EstimatedRows int64
	CopiedRows    int64

	InspectedHost string // host:port ghost reads binlogs and table structure from
	MigratedHost  string // host:port where the table is altered (the primary)
	ExecutingHost string // host name of the machine running ghost

	InspectedLag time.Duration // replication lag of the inspected server
	HeartbeatLag time.Duration // age of the last heartbeat seen in the binlog

	Progress float64       // copy progress in percent
	ETA      time.Duration // remaining copy time; negative when unknown

	HooksHint      string // --hooks-hint
	HooksHintOwner string // --hooks-hint-owner
	HooksHintToken string // --hooks-hint-token

	DryRun bool // --execute was not given

	// Event-specific values, exported only when non-empty.
	Command            string // interactive-command: the command received
	Status             string // status: the status line
	LastBatchCopyError string // batch-copy-retry: the error that made the copy retry
}

// Var is one environment variable, named without prefix.
type Var struct {
	Name  string
	Value string
}

// Vars is THE table of the environment contract: every variable a hook can
// read, named without prefix, with its value for e. docs/hooks.md documents
// the same list. Formats follow gh-ost: whole seconds for elapsed times and the
// ETA, fractional seconds for lags, a percentage for progress.
func (e Env) Vars() []Var {
	seconds := func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }
	fractional := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 6, 64) }
	eta := "-1"
	if e.ETA >= 0 {
		eta = seconds(e.ETA)
	}
	vars := []Var{
		{"DATABASE_NAME", e.DatabaseName},
		{"TABLE_NAME", e.TableName},
		{"GHOST_TABLE_NAME", e.GhostTableName},
		{"OLD_TABLE_NAME", e.OldTableName},
		{"DDL", e.DDL},
		{"ELAPSED_SECONDS", seconds(e.Elapsed)},
		{"ELAPSED_COPY_SECONDS", seconds(e.ElapsedCopy)},
		{"ESTIMATED_ROWS", strconv.FormatInt(e.EstimatedRows, 10)},
		{"COPIED_ROWS", strconv.FormatInt(e.CopiedRows, 10)},
		{"INSPECTED_HOST", e.InspectedHost},
		{"MIGRATED_HOST", e.MigratedHost},
		{"EXECUTING_HOST", e.ExecutingHost},
		{"INSPECTED_LAG", fractional(e.InspectedLag)},
		{"HEARTBEAT_LAG", fractional(e.HeartbeatLag)},
		{"PROGRESS", strconv.FormatFloat(e.Progress, 'f', 6, 64)},
		{"ETA_SECONDS", eta},
		{"HOOKS_HINT", e.HooksHint},
		{"HOOKS_HINT_OWNER", e.HooksHintOwner},
		{"HOOKS_HINT_TOKEN", e.HooksHintToken},
		{"DRY_RUN", strconv.FormatBool(e.DryRun)},
	}
	for _, v := range []Var{
		{"COMMAND", e.Command},
		{"STATUS", e.Status},
		{"LAST_BATCH_COPY_ERROR", e.LastBatchCopyError},
	} {
		if v.Value != "" {
			vars = append(vars, v)
		}
	}
	return vars
}

// Environ returns e's variables and extra as NAME=value strings, each under
// both prefixes. extra names must be upper-case letters, digits and
// underscores and must not collide with Vars.
func (e Env) Environ(extra map[string]string) ([]string, error) {
	return e.environ(extra)
}

func (e Env) environ(extra map[string]string) ([]string, error) {
	vars := e.Vars()
	known := make(map[string]bool, len(vars))
	for _, v := range vars {
		known[v.Name] = true
	}
	for _, name := range sortedKeys(extra) {
		if !validEnvName(name) {
			return nil, fmt.Errorf("invalid hook variable name %q", name)
		}
		if known[name] {
			return nil, fmt.Errorf("hook variable %s is already set by ghost", name)
		}
		vars = append(vars, Var{name, extra[name]})
	}
	out := make([]string, 0, 2*len(vars))
	for _, v := range vars {
		out = append(out, EnvPrefix+v.Name+"="+v.Value, GhOstEnvPrefix+v.Name+"="+v.Value)
	}
	return out, nil
}

func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
