package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Class says how ghost treats one of gh-ost's flags.
type Class int

const (
	// Same: ghost does what gh-ost does with the flag.
	Same Class = iota + 1
	// Equivalent: ghost reaches gh-ost's end its own way (a different default, a
	// stricter check); docs/command-line-flags.md says how.
	Equivalent
	// NotNeeded: accepted; what it asks gh-ost to do or skip is something ghost
	// does not need. A run that names it logs one line saying why.
	NotNeeded
	// Refused: ghost does not implement it yet. Given with a value that asks for
	// something (anything but gh-ost's default), the run stops before connecting
	// with one line naming the flag, why and what to do instead; --check-flag
	// answers non-zero for it.
	Refused
)

func (c Class) String() string {
	switch c {
	case Same:
		return "same"
	case Equivalent:
		return "equivalent"
	case NotNeeded:
		return "accepted, not needed"
	case Refused:
		return "refused"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// kind is the value type of a flag as gh-ost's --help shows it ("" for a boolean).
type kind string

const (
	kindBool   kind = ""
	kindString kind = "string"
	kindInt    kind = "int"
	kindFloat  kind = "float"
	kindUint   kind = "uint"
	kindList   kind = "value" // repeatable
)

// ghOstFlag is one flag of gh-ost v1.1.10 and what ghost does with it.
type ghOstFlag struct {
	name  string
	class Class
	// does says what ghost does with the flag (docs; for NotNeeded also the log line).
	does string
	// For Refused: why ghost does not do it and what to do instead; the error line is
	// "--name is not supported yet: why; instead".
	why, instead string

	// The remaining fields are only for flags ghost had no definition of before it
	// took gh-ost's whole list: such flags are defined from the table.
	kind kind
	// def is gh-ost's default, as the flag's text value.
	def string
	// neutral are values that ask for nothing ghost lacks (besides def): a Refused
	// flag given one of them is accepted.
	neutral []string
	// refuseValue, when set on a flag of another class, refuses the values it
	// reports (with why and instead); the flag's class still answers --check-flag.
	refuseValue func(v string) bool
	// defined: the flag is defined in flags() with ghost's own usage text and default.
	defined bool
}

// ghOstFlags is THE table of gh-ost's flags: the CLI defines the flags ghost had not
// yet, refuses and logs from it, --check-flag answers from it, and the flag section
// of docs/command-line-flags.md is generated from it (TestFlagDocs keeps them equal).
// TestFlagTable checks it against testdata/gh-ost-flags.txt, gh-ost v1.1.10's list.
func ghOstFlags() []ghOstFlag {
	return []ghOstFlag{
		{name: "aliyun-rds", class: NotNeeded, kind: kindBool,
			does: "gh-ost skips comparing the port and host name the server reports with --port and --host; ghost never compares them"},
		{name: "allow-master-master", class: NotNeeded, kind: kindBool,
			does: "ghost does not walk the topology: it writes to the server --host replicates from (or --assume-master-host), so a master-master pair needs no permission"},
		{name: "allow-nullable-unique-key", class: Same, defined: true,
			does: "With no usable NOT NULL unique key, ghost copies along a unique key with nullable columns (a NOT NULL key is always preferred). Unlike gh-ost, which trusts the DBA, ghost checks: a NULL in the key's columns when the copy starts, or a change that writes one during the migration, stops the migration before the cut-over with the column named, the original untouched."},
		{name: "allow-on-master", class: Same, defined: true, does: "--host is the primary: ghost reads its binlog and migrates there."},
		{name: "allow-setup-metadata-lock-instruments", class: Equivalent, defined: true,
			does: "gh-ost enables performance_schema's metadata lock instrument; on MariaDB ghost loads the metadata_lock_info plugin, so that the cut-over sees exactly which sessions block its lock (cut-over.md)."},
		{name: "allow-zero-in-date", class: Same, defined: true,
			does: "The ghost table is created and altered under the server's sql_mode without NO_ZERO_DATE and NO_ZERO_IN_DATE, so zero date defaults pass; without it an ALTER the server would refuse is refused. Stored zero dates are copied either way."},
		{name: "alter", class: Same, defined: true,
			does: "The ALTER: a clause list or a full ALTER TABLE statement; a statement naming the table can stand in for --database and --table."},
		{name: "analyze-ghost-table-before-cutover", class: Same, defined: true,
			does: "ANALYZE TABLE on the ghost table before the cut-over, so that the new table starts with fresh index statistics."},
		{name: "approve-renamed-columns", class: Same, defined: true, does: "Copies the values of renamed columns to their new names."},
		{name: "ask-pass", class: Same, defined: true, does: "Prompts for the password (on stderr; gh-ost uses stdout) and reads it from the terminal without echo; an error when stdin is not a terminal."},
		{name: "assume-master-host", class: Same, defined: true, does: "host[:port] of the primary instead of discovering it."},
		{name: "assume-rbr", class: NotNeeded, kind: kindBool,
			does: "gh-ost skips restarting replication to apply binlog_format=ROW; ghost never restarts it and needs no SUPER (it still refuses a server whose binlog_format is not ROW)"},
		{name: "attempt-instant-ddl", class: Equivalent, defined: true,
			does: "Run the ALTER on the table with ALGORITHM=INSTANT when the server can (ghost asks it first on an empty copy of the table, as ghost plan does; gh-ost tries blindly), with a lock wait bounded by --cut-over-lock-timeout-seconds; copy otherwise. The summary says which path was taken (docs/plan.md)."},
		{name: "azure", class: NotNeeded, kind: kindBool,
			does: "gh-ost skips comparing the port and host name the server reports with --port and --host; ghost never compares them"},
		{name: "binlogsyncer-max-reconnect-attempts", class: Equivalent, kind: kindInt, def: "0",
			does: "ghost reconnects a broken binlog connection at the last complete transaction on its own terms: up to 10 attempts in a row (the count restarts after progress), waiting 200ms doubling to 5s; then the migration stops with the original untouched. The value is not used"},
		{name: "charset", class: Equivalent, kind: kindString, def: "utf8mb4,utf8,latin1",
			does: "ghost's sessions always use utf8mb4, the first of gh-ost's default list. A list starting with utf8mb4 (or a utf8mb4 collation) is accepted; another first choice is refused",
			refuseValue: func(v string) bool {
				first := strings.ToLower(strings.TrimSpace(strings.Split(v, ",")[0]))
				return first != "utf8mb4" && !strings.HasPrefix(first, "utf8mb4_")
			},
			why:     "ghost reads names and writes JSON, ENUM and SET values as utf8mb4 text, which another connection charset would re-encode",
			instead: "drop --charset (or pass utf8mb4); ghost copies the table's bytes whatever its charset"},
		{name: "check-flag", class: Same, defined: true,
			does: "Exits 0 when every other flag given is known and works, non-zero naming the first refused one; does nothing else."},
		{name: "checkpoint", class: Equivalent, defined: true,
			does: "ghost checkpoints by default (gh-ost only with this flag): the copy position, the binlog position applied up to and the counters go to _t_ghk every --checkpoint-seconds, and running the same command again after a crash resumes from there (docs/resume-and-revert.md); --checkpoint=false writes none."},
		{name: "checkpoint-seconds", class: Equivalent, defined: true,
			does: "Seconds between checkpoints; ghost's default is 10 (gh-ost's 300): a checkpoint is one row written on the primary."},
		{name: "chunk-size", class: Same, defined: true, does: "Rows per copy chunk (10-100000); given alone the size stays fixed, as in gh-ost."},
		{name: "concurrent-rowcount", class: Equivalent, kind: kindBool, def: "true",
			does: "with --exact-rowcount ghost always counts in the background while the copy runs (gh-ost's default); =false is accepted and the count still runs concurrently"},
		{name: "conf", class: Equivalent, defined: true,
			does: "A my.cnf style file: user, password, host and port of its [client] section, unless given as flags. gh-ost's [osc] section is not read."},
		{name: "critical-load", class: Same, defined: true, does: "Abort when a status variable reaches its threshold."},
		{name: "critical-load-hibernate-seconds", class: Same, defined: true, does: "Hibernate this long instead of aborting on critical load."},
		{name: "critical-load-interval-millis", class: Same, defined: true, does: "Check critical load again after this long before aborting."},
		{name: "cut-over", class: Same, defined: true, does: "atomic (also gh-ost's legacy name default) or two-step."},
		{name: "cut-over-exponential-backoff", class: Same, defined: true, does: "Wait exponentially longer between cut-over attempts."},
		{name: "cut-over-lock-timeout-seconds", class: Same, defined: true, does: "Most seconds writes are blocked in one cut-over attempt (1-10)."},
		{name: "database", class: Same, defined: true, does: "Database of the table; may come from a full ALTER TABLE db.t statement in --alter."},
		{name: "debug", class: Same, defined: true, does: "Log everything."},
		{name: "default-retries", class: Same, defined: true, does: "Attempts of the cut-over and other retried operations; a primary out of reach (a restart, a failover) is waited out for as long as that many backoffs add up to (100ms doubling to 5s: about 4.5 minutes at 60, 26s at 10), and a longer outage ends the run with its tables and checkpoint kept for a rerun to resume."},
		{name: "discard-foreign-keys", class: Same, defined: true,
			does: "Migrate a table that has foreign keys to other tables; the new table has none (their indexes stay). A table other tables reference is still refused."},
		{name: "dml-batch-size", class: Equivalent, defined: true,
			does: "Binlog row changes applied in one transaction: default 100 and up to 10000 (gh-ost: 10, up to 1000); repeated changes of a row in a batch are collapsed."},
		{name: "exact-rowcount", class: Same, defined: true, does: "Count rows with SELECT COUNT(*) (in the background) for progress."},
		{name: "execute", class: Same, defined: true, does: "Really migrate; without it the run is a noop that proves the ALTER and removes what it created."},
		{name: "exponential-backoff-max-interval", class: Same, defined: true, does: "Longest wait between attempts with backoff, seconds."},
		{name: "force-named-cut-over", class: Same, defined: true, does: "The unpostpone/cut-over command must name the table."},
		{name: "force-named-panic", class: Same, defined: true, does: "The panic command must name the table."},
		{name: "force-table-names", class: Same, kind: kindString,
			does: "ghost names its tables _<prefix>_gho, _<prefix>_ghc and _<prefix>_del after the given prefix instead of the table"},
		{name: "gcp", class: NotNeeded, kind: kindBool,
			does: "gh-ost skips comparing the port and host name the server reports with --port and --host; ghost never compares them"},
		{name: "gtid", class: NotNeeded, kind: kindBool,
			does: "ghost reads and resumes the binlog of --host by file and position, which is exact on one server and needs no gtid_mode; GTID positioning would only matter to move to another server, which ghost does not do"},
		{name: "heartbeat-interval-millis", class: Same, defined: true, does: "How often the changelog heartbeat is written."},
		{name: "help", class: Same, defined: true, does: "Print the flags and exit."},
		{name: "hooks-hint", class: Same, defined: true, does: "Passed to hooks as GH_OST_HOOKS_HINT (and GHOST_HOOKS_HINT)."},
		{name: "hooks-hint-owner", class: Same, defined: true, does: "Passed to hooks as GH_OST_HOOKS_HINT_OWNER."},
		{name: "hooks-hint-token", class: Same, defined: true, does: "Passed to hooks as GH_OST_HOOKS_HINT_TOKEN."},
		{name: "hooks-path", class: Same, defined: true, does: "Directory of hooks; gh-ost-on-* files run as they are."},
		{name: "hooks-status-interval", class: Same, defined: true, does: "Seconds between status hooks."},
		{name: "host", class: Same, defined: true, does: "Server to inspect and read the binlog from."},
		{name: "ignore-http-errors", class: Same, defined: true, does: "Carry on when --throttle-http cannot be reached."},
		{name: "include-triggers", class: Same, defined: true,
			does: "Carry the table's triggers over to the new table: created on it inside the cut-over, so they never fire twice for one write (cut-over.md); needs --trigger-suffix."},
		{name: "initially-drop-ghost-table", class: Same, defined: true, does: "Drop the ghost, changelog and checkpoint tables left by an earlier run and start afresh (without it ghost resumes from the checkpoint, or refuses when there is none)."},
		{name: "initially-drop-old-table", class: Same, defined: true, does: "Drop an old table left by an earlier run."},
		{name: "initially-drop-socket-file", class: Same, kind: kindBool,
			does: "ghost removes the socket file before serving on it, even one another process still answers on (without the flag only a stale socket is removed)"},
		{name: "master-password", class: Same, defined: true,
			does: "Password on the primary; used for every connection to the primary when it is another server than --host (found through the replica or named by --assume-master-host)."},
		{name: "master-user", class: Same, defined: true,
			does: "User on the primary; used like --master-password (gh-ost needs --assume-master-host for both; ghost also uses them for a discovered primary)."},
		{name: "max-lag-millis", class: Same, defined: true, does: "Throttle while lag exceeds this."},
		{name: "max-load", class: Same, defined: true, does: "Throttle while a status variable is at or above its threshold."},
		{name: "migrate-on-replica", class: Same, defined: true, does: "Run the whole migration on the replica --host."},
		{name: "mysql-timeout", class: Same, kind: kindFloat, def: "0",
			does: "seconds: ghost's connect, read and write timeout of every connection to the servers (the binlog stream keeps its own); 0 keeps the defaults (10s to connect, no read or write timeout)"},
		{name: "nice-ratio", class: Same, defined: true, does: "Sleep after each chunk, as a fraction of the chunk's time."},
		{name: "ok-to-drop-table", class: Same, defined: true, does: "Drop the old table after the cut-over."},
		{name: "old-table", class: Same, defined: true,
			does: "With --revert: the old table to bring back; by default the one the migration's swap record names (gh-ost needs it given)."},
		{name: "panic-flag-file", class: Equivalent, defined: true,
			does: "Abort at once, without cut-over, when the file appears; ghost removes its ghost and changelog tables (gh-ost leaves them)."},
		{name: "panic-on-warnings", class: Same, defined: true,
			does: "Stop the migration before the cut-over when a copy or apply statement leaves any warning or note (a rounded DECIMAL gives only a note even in strict mode); without it ghost's strict sessions already stop on every error that would change data."},
		{name: "password", class: Same, defined: true, does: "Password for --host (and the primary unless --master-password)."},
		{name: "port", class: Same, defined: true, does: "Port of --host."},
		{name: "postpone-cut-over-flag-file", class: Same, defined: true,
			does: "While the file exists ghost keeps applying and does not cut over; created at start when missing (with --execute), as gh-ost does."},
		{name: "quiet", class: Same, defined: true, does: "Log errors only; wins over --verbose and --debug."},
		{name: "remove-trigger-suffix-if-exists", class: Same, defined: true,
			does: "A trigger whose name ends with --trigger-suffix gets its name without it on the new table."},
		{name: "replica-server-id", class: Same, defined: true, does: "Server id ghost reads the binlog with."},
		{name: "replication-lag-query", class: NotNeeded, kind: kindString,
			does: "deprecated in gh-ost; ghost measures lag from its own heartbeat, so the query is not run"},
		{name: "resume", class: Same, defined: true,
			does: "Resuming is mandatory: fail, leaving everything as it is, when there is no checkpoint to resume from or it cannot be resumed. Without the flag ghost resumes whenever it can (and refuses, naming why, when the checkpoint does not fit)."},
		{name: "revert", class: Equivalent, defined: true,
			does: "Swap back the old table of a finished migration after applying every change made since the swap, mapped to the old schema; takes the swap position and the ALTER from the record the migration keeps in _t_ghk (gh-ost: from its checkpoint, with --old-table and --resume); without --execute, says what the revert would drop (docs/resume-and-revert.md)."},
		{name: "runtime-metrics-interval", class: Same, kind: kindInt, def: "10",
			does: "seconds between the Go runtime gauges (gh_ost.go_runtime.*: memory, GC, goroutines), sent with --statsd-addr only; 0 sends none"},
		{name: "serve-socket-file", class: Equivalent, defined: true,
			does: "Unix socket for interactive commands; the default is /tmp/ghost.<db>.<table>.sock (gh-ost: /tmp/gh-ost.<db>.<table>.sock)."},
		{name: "serve-tcp-port", class: Same, defined: true, does: "TCP port for interactive commands."},
		{name: "skip-foreign-key-checks", class: NotNeeded, kind: kindBool,
			does: "ghost's foreign key check is two indexed information_schema queries for this table only and stays on: a table with foreign keys is still refused"},
		{name: "skip-metadata-lock-check", class: NotNeeded, kind: kindBool,
			does: "ghost's cut-over check that the RENAME holds its metadata lock needs no performance_schema, so it always runs"},
		{name: "skip-port-validation", class: NotNeeded, kind: kindBool,
			does: "ghost never compares the port the server reports with --port, so it works through proxies and port forwarding as it is"},
		{name: "skip-renamed-columns", class: Same, defined: true, does: "Treat renamed columns as dropped and added."},
		{name: "skip-strict-mode", class: Refused, kind: kindBool,
			why:     "ghost's sessions are always strict so that no value is silently truncated or changed",
			instead: "fix the data or the --alter that would lose values (ghost's error names the column)"},
		{name: "ssl", class: Same, defined: true,
			does: "Every connection to the servers is TLS, the binlog stream's included; each server's certificate is verified (--ssl-ca, or the system's authorities) and must name the host connected to."},
		{name: "ssl-allow-insecure", class: Same, defined: true, does: "With --ssl: encrypt without verifying the servers' certificates."},
		{name: "ssl-ca", class: Same, defined: true, does: "With --ssl: PEM file of the CA that signed the servers' certificates."},
		{name: "ssl-cert", class: Same, defined: true, does: "With --ssl and --ssl-key: PEM file of a client certificate, for users created REQUIRE X509."},
		{name: "ssl-key", class: Same, defined: true, does: "With --ssl and --ssl-cert: PEM file of the client certificate's private key."},
		{name: "stack", class: Equivalent, kind: kindBool,
			does: "ghost records no stack traces (its errors name each step that failed); with --stack every log line also names the function, file and line that wrote it"},
		{name: "statsd-addr", class: Equivalent, kind: kindString,
			does: "ghost sends gh-ost's StatsD metrics, named gh_ost.* with DogStatsD tags, over UDP to host:port or to a Unix datagram socket (unix:///path): the progress, backlog, lag and throttle gauges every second, each throttled interval's duration and count when it ends, the Go runtime gauges (docs/metrics.md). Unlike gh-ost it sends each sample as taken (gh-ost's client aggregates for 5 s), and it sends none of the cut-over, query-duration and sleep histograms of gh-ost's newer releases"},
		{name: "statsd-tags", class: Same, kind: kindList,
			does: "a tag added to every metric, key:value as DogStatsD has it; repeatable (a comma also separates tags, as it does on the wire); a tag holding | or a line break is refused"},
		{name: "storage-engine", class: Equivalent, kind: kindString, def: "innodb",
			does: "innodb (the default) migrates an InnoDB table, rocksdb a MyRocks table (the server loads MariaDB's RocksDB plugin; tested with Debian's mariadb-plugin-rocksdb on 10.11); the table must be in that engine and the ALTER must keep it there. gh-ost switches its sessions to READ COMMITTED for rocksdb; ghost keeps REPEATABLE READ and retries a chunk copy that meets a snapshot conflict (error 1213). Any other value is refused"},
		{name: "switch-to-rbr", class: Same, kind: kindBool,
			does: "when --host's binlog_format is not ROW, ghost sets it to ROW globally (stopping and starting replication around the switch on a replica, so that its SQL thread logs rows) and opens its own sessions afresh; the format is never switched back. A server with replicas of its own is refused, as in gh-ost. Needs SUPER (or BINLOG_ADMIN and REPLICATION SLAVE ADMIN)"},
		{name: "table", class: Same, defined: true, does: "The table; may come from a full ALTER TABLE statement in --alter."},
		{name: "test-on-replica", class: Same, defined: true, does: "Migrate on the replica, swap and swap back with replication stopped."},
		{name: "test-on-replica-skip-replica-stop", class: Same, defined: true, does: "With --test-on-replica, do not stop replication."},
		{name: "throttle-additional-flag-file", class: Equivalent, defined: true,
			does: "Throttle while the file exists; the default is /tmp/ghost.throttle (gh-ost: /tmp/gh-ost.throttle)."},
		{name: "throttle-control-replicas", class: Same, defined: true, does: "Replicas whose lag also throttles."},
		{name: "throttle-flag-file", class: Same, defined: true, does: "Throttle while this file exists."},
		{name: "throttle-http", class: Same, defined: true, does: "Throttle unless a HEAD request to the URL answers 200."},
		{name: "throttle-http-interval-millis", class: Same, defined: true, does: "How often --throttle-http is asked."},
		{name: "throttle-http-timeout-millis", class: Same, defined: true, does: "Timeout of one --throttle-http request."},
		{name: "throttle-query", class: Equivalent, defined: true,
			does: "Throttle while the query returns a value > 0; it runs on --host, and an error throttles (gh-ost ignores errors)."},
		{name: "timestamp-old-table", class: Equivalent, defined: true,
			does: "Put a timestamp in the old table's name; ghost's is in UTC (gh-ost's in local time)."},
		{name: "trigger-suffix", class: Same, defined: true,
			does: "Appended to the names of the triggers on the new table (trigger names are unique in a schema); letters, digits and _."},
		{name: "tungsten", class: Same, defined: true,
			does: "A Tungsten replicator topology: --host applies the primary's changes as a client, so it shows no replication source and its binlog holds them without log_slave_updates. Needs --assume-master-host (the primary cannot be found through Tungsten); the log_slave_updates check of --host is skipped, with a warning when it is off."},
		{name: "user", class: Same, defined: true, does: "User for --host (and the primary unless --master-user)."},
		{name: "verbose", class: Same, defined: true, does: "Log progress (info level)."},
		{name: "version", class: Same, defined: true, does: "Print the version and exit."},
	}
}

// lookupFlag returns the table entry of a gh-ost flag.
func lookupFlag(name string) (ghOstFlag, bool) {
	all := ghOstFlags()
	i := slices.IndexFunc(all, func(f ghOstFlag) bool { return f.name == name })
	if i < 0 {
		return ghOstFlag{}, false
	}
	return all[i], true
}

// tableFlags defines the flags of the table that flags() does not.
func tableFlags() []cli.Flag {
	var out []cli.Flag
	for _, f := range ghOstFlags() {
		if f.defined {
			continue
		}
		usage := f.does
		if f.class == Refused {
			usage = "gh-ost's; not supported yet: " + f.why
		} else if f.class == NotNeeded {
			usage = "accepted for gh-ost command lines: " + f.does
		}
		out = append(out, f.cliFlag(usage))
	}
	return out
}

func (f ghOstFlag) cliFlag(usage string) cli.Flag {
	switch f.kind {
	case kindBool:
		return &cli.BoolFlag{Name: f.name, Value: f.def == "true", Usage: usage}
	case kindString:
		return &cli.StringFlag{Name: f.name, Value: f.def, Usage: usage}
	case kindInt:
		var v int64
		fmt.Sscan(f.def, &v)
		return &cli.Int64Flag{Name: f.name, Value: v, Usage: usage}
	case kindFloat:
		var v float64
		fmt.Sscan(f.def, &v)
		return &cli.Float64Flag{Name: f.name, Value: v, Usage: usage}
	case kindUint:
		var v uint
		fmt.Sscan(f.def, &v)
		return &cli.UintFlag{Name: f.name, Value: v, Usage: usage}
	case kindList:
		return &cli.StringSliceFlag{Name: f.name, Usage: usage}
	}
	// Unreachable for the static table (TestFlagTable checks every kind).
	return &cli.StringFlag{Name: f.name, Value: f.def, Usage: usage}
}

// flagValue is the text of a flag's value as given.
func flagValue(c *cli.Context, name string) string {
	switch v := c.Value(name).(type) {
	case cli.StringSlice:
		return strings.Join(v.Value(), ",")
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// refusal is the error for a flag given with a value ghost does not support.
func (f ghOstFlag) refusal() error {
	return &refusedFlagError{name: f.name, why: f.why, instead: f.instead}
}

// refusedFlagError is one refused flag; its text is the whole error line.
type refusedFlagError struct{ name, why, instead string }

func (e *refusedFlagError) Error() string {
	return fmt.Sprintf("--%s is not supported yet: %s; %s", e.name, e.why, e.instead)
}

// refused reports whether the value given to f asks for something ghost lacks.
func (f ghOstFlag) refused(v string) bool {
	if f.refuseValue != nil {
		return f.refuseValue(v)
	}
	if f.class != Refused {
		return false
	}
	if f.kind == kindBool {
		return v == "true"
	}
	return v != f.def && !slices.Contains(f.neutral, v)
}

// checkFlags refuses the first gh-ost flag given with a value ghost does not support
// and returns the table entries of the given flags that are NotNeeded or Equivalent,
// for the log. With checkOnly (--check-flag) a Refused flag is refused whatever its value.
func checkFlags(c *cli.Context, checkOnly bool) ([]ghOstFlag, error) {
	var noted []ghOstFlag
	for _, f := range ghOstFlags() {
		if !c.IsSet(f.name) {
			continue
		}
		if checkOnly && f.class == Refused || !checkOnly && f.refused(flagValue(c, f.name)) {
			return nil, f.refusal()
		}
		if f.class == NotNeeded || f.class == Equivalent && !f.defined {
			noted = append(noted, f)
		}
	}
	return noted, nil
}
