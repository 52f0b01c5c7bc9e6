package control

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Controller is what the interactive commands act on. The orchestrator
// implements it; every method may be called concurrently from several
// connections.
type Controller interface {
	// StatusBlock is the multi-line "status"/"info" reply: settings, flag
	// files and their state, then the status line.
	StatusBlock() string
	// StatusLine is the one-line "sup" reply.
	StatusLine() string
	// Coordinates describes the binlog position the streamer has reached.
	Coordinates() string
	// Applier describes the server the table is migrated on.
	Applier() string
	// Inspector describes the server binlogs and table structure are read from.
	Inspector() string
	// Get returns the current value of a settable knob, for "name=?".
	Get(name string) (string, error)
	// Set changes a knob at run time. Numeric values arrive validated and in
	// canonical form; the Controller validates the rest (load syntax, URLs,
	// host lists) and returns an error to refuse.
	Set(name, value string) error
	// Throttle and NoThrottle turn the user-commanded throttle on and off.
	Throttle()
	NoThrottle()
	// Unpostpone lets a postponed cut-over proceed; it returns an error when
	// the cut-over is not being postponed.
	Unpostpone() error
	// Revert swaps the old table back while --keep-old-table-in-sync keeps it in sync; it
	// returns an error when there is nothing to swap back.
	Revert() error
	// StatusJSON is the status as one JSON object.
	StatusJSON() string
	// Checksum starts a checksum of the ghost table against the original; it returns an
	// error when none can run now.
	Checksum() (string, error)
	// Panic aborts the migration at once, without cut-over.
	Panic()
	// TableName is the migrated table's name, which forced-name commands
	// must repeat.
	TableName() string
}

// Settable knob names, as used in commands and passed to Controller.Get/Set.
const (
	KnobChunkSize               = "chunk-size"
	KnobDMLBatchSize            = "dml-batch-size"
	KnobMaxLagMillis            = "max-lag-millis"
	KnobNiceRatio               = "nice-ratio"
	KnobMaxLoad                 = "max-load"
	KnobCriticalLoad            = "critical-load"
	KnobThrottleQuery           = "throttle-query"
	KnobThrottleHTTP            = "throttle-http"
	KnobThrottleControlReplicas = "throttle-control-replicas"
)

// argKind says what may follow "=" in a command.
type argKind int

const (
	argNone  argKind = iota // no argument
	argValue                // a value, or "?" to read the current one
	argTable                // optionally the table name, as a safety check
)

// call is one parsed command line.
type call struct {
	name   string // the name used, which may be an alias
	arg    string
	hasArg bool // "=" was present, even with an empty value
}

// command is one row of the command table.
type command struct {
	names    []string // first is the canonical name, the rest aliases
	usage    string   // how to write it, for help
	help     string
	arg      argKind
	readOnly bool // logged at debug level only: monitoring polls these
	run      func(c call) (string, error)
}

// commandTable builds the table of commands bound to s.
func (s *Server) commandTable() []command {
	ctrl := s.ctrl
	return []command{
		{
			names: []string{"help"}, usage: "help", help: "list the commands", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return s.Help(), nil },
		},
		{
			names: []string{"status", "info"}, usage: "status", help: "settings, flag files and the status line", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.StatusBlock(), nil },
		},
		{
			names: []string{"status json", "status-json"}, usage: "status json", help: "the status as one JSON object (the status line's fields, state, throttle reason, last error)", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.StatusJSON() + "\n", nil },
		},
		{
			names: []string{"sup"}, usage: "sup", help: "the status line only", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.StatusLine(), nil },
		},
		{
			names: []string{"coordinates"}, usage: "coordinates", help: "binlog coordinates the streamer has reached", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.Coordinates(), nil },
		},
		{
			names: []string{"applier"}, usage: "applier", help: "the server the table is migrated on", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.Applier(), nil },
		},
		{
			names: []string{"inspector"}, usage: "inspector", help: "the server binlogs and structure are read from", arg: argNone, readOnly: true,
			run: func(call) (string, error) { return ctrl.Inspector(), nil },
		},
		s.knob(KnobChunkSize, "<rows>", "rows copied per chunk", nonNegativeInt),
		s.knob(KnobDMLBatchSize, "<events>", "binlog events applied per transaction", nonNegativeInt),
		s.knob(KnobMaxLagMillis, "<ms>", "throttle while replication lag exceeds this", nonNegativeInt),
		s.knob(KnobNiceRatio, "<ratio>", "sleep this many times each chunk's copy time (0 = none)", nonNegativeFloat),
		s.knob(KnobMaxLoad, "<var=n,...>", "throttle while a status variable reaches its threshold (empty clears)", anyText),
		s.knob(KnobCriticalLoad, "<var=n,...>", "abort when a status variable reaches its threshold (empty clears)", anyText),
		s.knob(KnobThrottleQuery, "<query>", "throttle while this query returns > 0 (empty clears)", anyText),
		s.knob(KnobThrottleHTTP, "<url>", "throttle unless this URL answers 200 (empty clears)", anyText),
		s.knob(KnobThrottleControlReplicas, "<host:port,...>", "replicas whose lag also throttles (empty clears)", anyText),
		{
			names: []string{"throttle", "pause", "suspend"}, usage: "throttle", help: "pause row copy and event apply until no-throttle", arg: argTable,
			run: func(call) (string, error) {
				ctrl.Throttle()
				return "# Throttled by user. Binary logs must be kept until the migration resumes.\n" + ctrl.StatusBlock(), nil
			},
		},
		{
			names: []string{"no-throttle", "unthrottle", "resume", "continue"}, usage: "no-throttle", help: "end a user throttle", arg: argTable,
			run: func(call) (string, error) {
				ctrl.NoThrottle()
				return ctrl.StatusBlock(), nil
			},
		},
		{
			names: []string{"unpostpone", "no-postpone", "cut-over"}, usage: "unpostpone", help: "let a postponed cut-over proceed", arg: argTable,
			run: func(call) (string, error) {
				if err := ctrl.Unpostpone(); err != nil {
					return "", err
				}
				return "Unpostponed\n" + ctrl.StatusBlock(), nil
			},
		},
		{
			names: []string{"checksum"}, usage: "checksum", help: "compare the ghost table with the original now and repair what differs (after the copy)", arg: argNone,
			run: func(call) (string, error) {
				return ctrl.Checksum()
			},
		},
		{
			names: []string{"revert"}, usage: "revert", help: "swap the old table back (after the cut-over, with --keep-old-table-in-sync)", arg: argTable,
			run: func(call) (string, error) {
				if err := ctrl.Revert(); err != nil {
					return "", err
				}
				return "Reverting: swapping the old table back\n" + ctrl.StatusBlock(), nil
			},
		},
		{
			names: []string{"panic"}, usage: "panic", help: "abort the migration now, without cut-over", arg: argTable,
			run: func(call) (string, error) {
				ctrl.Panic()
				return "Panic: the migration is aborting without cut-over; the original table is untouched\n", nil
			},
		},
	}
}

// knob builds a command that reads ("name=?") or sets ("name=value") a knob.
func (s *Server) knob(name, placeholder, help string, validate func(string) (string, error)) command {
	return command{
		names: []string{name},
		usage: name + "=" + placeholder,
		help:  help,
		arg:   argValue,
		run: func(c call) (string, error) {
			if c.arg == "?" {
				v, err := s.ctrl.Get(name)
				if err != nil {
					return "", err
				}
				return v, nil
			}
			v, err := validate(c.arg)
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			if err := s.ctrl.Set(name, v); err != nil {
				return "", err
			}
			return s.ctrl.StatusBlock(), nil
		},
	}
}

var errNotNonNegative = errors.New("not a non-negative number")

func nonNegativeInt(v string) (string, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return "", fmt.Errorf("%q is %w (a whole number >= 0 is expected)", v, errNotNonNegative)
	}
	return strconv.FormatInt(n, 10), nil
}

func nonNegativeFloat(v string) (string, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("%q is %w (a decimal >= 0 is expected)", v, errNotNonNegative)
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

func anyText(v string) (string, error) { return v, nil }

// checkArg enforces the command's argument rules, including the optional
// (or, with the force options, mandatory) table name.
func (s *Server) checkArg(cmd *command, c call) error {
	switch cmd.arg {
	case argNone:
		if c.hasArg {
			return fmt.Errorf("%s takes no argument", c.name)
		}
	case argValue:
		if !c.hasArg {
			return fmt.Errorf("%s needs a value: %s, or %s=? to read it", c.name, cmd.usage, cmd.names[0])
		}
	case argTable:
		forced := (cmd.names[0] == "unpostpone" && s.cfg.ForceNamedCutOver) || (cmd.names[0] == "panic" && s.cfg.ForceNamedPanic)
		table := s.ctrl.TableName()
		if c.arg == "" && forced {
			return fmt.Errorf("%s requires the table name (%s=%s) because --force-named-%s is set", c.name, c.name, table, forcedFlag(cmd.names[0]))
		}
		if c.arg != "" && c.arg != table {
			return fmt.Errorf("%s names table %q but the migrated table is %q; ignored", c.name, c.arg, table)
		}
	}
	return nil
}

func forcedFlag(command string) string {
	if command == "unpostpone" {
		return "cut-over"
	}
	return command
}

// Help lists the commands.
func (s *Server) Help() string {
	var b strings.Builder
	b.WriteString("Send one command per connection, e.g.: echo status | nc -U <socket>\n")
	for _, cmd := range s.commands {
		usage := cmd.usage
		if cmd.arg == argTable {
			usage += "[=<table>]"
		}
		line := fmt.Sprintf("  %-42s %s", usage, cmd.help)
		if len(cmd.names) > 1 {
			line += " (also: " + strings.Join(cmd.names[1:], ", ") + ")"
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("A value command followed by =? (e.g. chunk-size=?) shows the current value.\n")
	return b.String()
}
