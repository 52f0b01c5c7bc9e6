// Command ghost runs an online schema change on a MySQL or MariaDB table.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/metrics"
	"github.com/ghost-osc/ghost/go/migration"
	"github.com/sirupsen/logrus"
	"github.com/urfave/cli/v2"
)

// version, commit and date are stamped by script/package (-ldflags "-X main.version=...
// -X main.commit=... -X main.date=..."); otherwise they come from Go's build information: the
// module's version with go install <module>@<version>, the commit of a build in a git checkout.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// buildVersion is ghost's version and what it was built from, for --version.
func buildVersion() (ver, full string) {
	ver, rev, when, dirty := version, commit, date, false
	if info, ok := debug.ReadBuildInfo(); ok {
		if ver == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			ver = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && rev == "":
				rev = s.Value
			case s.Key == "vcs.time" && when == "":
				when = s.Value
			case s.Key == "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	full = ver
	var parts []string
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "+dirty"
		}
		parts = append(parts, "commit "+rev)
	}
	if when != "" {
		parts = append(parts, "built "+when)
	}
	if len(parts) > 0 {
		full += " (" + strings.Join(parts, ", ") + ")"
	}
	return ver, full
}

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the exit, for tests. stdin is read only by --ask-pass.
func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	_, fullVersion := buildVersion()
	code := 0
	// exit is the exit status of a run that got as far as a migration; before that, every
	// error is bad input (migration.ExitRefused).
	exit := func(err error) int { return migration.ExitRefused }
	summaryFile := ""
	var report func(err error) migration.Report
	app := &cli.App{
		Name:            "ghost",
		Usage:           "online schema change for MySQL and MariaDB",
		Version:         fullVersion,
		HideHelpCommand: true,
		Writer:          stdout,
		ErrWriter:       stderr,
		Flags:           append(flags(), tableFlags()...),
		Commands: []*cli.Command{queueCommand(func(entry []string) int {
			return run(append([]string{"ghost"}, entry...), stdin, stdout, stderr)
		}, stdout, stderr), planCommand(stdout, stderr), backfillCommand(stdout, stderr, &exit, &report, &summaryFile)},
		Action: func(c *cli.Context) error {
			if c.Bool("check-flag") {
				// gh-ost's cross-version probe: every flag given exists (or parsing
				// failed already) and, here, works.
				_, err := checkFlags(c, true)
				return err
			}
			noted, err := checkFlags(c, false)
			if err != nil {
				return err
			}
			summaryFile = c.String("summary-file")
			cfg, err := configFrom(c)
			if err != nil {
				return err
			}
			if c.Bool("ask-pass") {
				if cfg.Password, err = askPassword(stdin, stderr); err != nil {
					return err
				}
			}
			log := newLogger(c, stderr)
			logNoted(log, noted, cfg)
			if err := prepareFiles(c, cfg); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			m := migration.New(cfg, logrus.NewEntry(log), stdout)
			exit, report = m.ExitStatus, m.Report
			if err := m.Run(ctx); err != nil {
				return err
			}
			switch {
			case !cfg.Execute && cfg.Revert:
				fmt.Fprintf(stdout, "noop: %s.%s can be reverted; nothing was changed. Run again with --execute to revert.\n", cfg.Database, cfg.Table)
			case !cfg.Execute:
				fmt.Fprintf(stdout, "noop: %s.%s can be migrated with this ALTER; nothing was changed. Run again with --execute to migrate.\n", cfg.Database, cfg.Table)
			case cfg.KeepOldTableInSync > 0 && !cfg.Revert:
				// The revert window: the same engine, run backwards, holding its swap until
				// the socket's revert command or the window's end.
				rcfg := cfg
				rcfg.Revert, rcfg.Alter, rcfg.Now = true, "", time.Now()
				if err := migration.New(rcfg, logrus.NewEntry(log), stdout).Run(ctx); err != nil {
					exit = func(error) int { return migration.ExitAfterCutOver }
					return hint.Wrap(err, fmt.Sprintf("the migration of %s.%s is done, but keeping the old table in sync for a revert failed: %s", cfg.Database, cfg.Table, oneLine(describe(err))),
						"the migrated table is in place; ghost --revert can still swap the old one back while the binlogs since the cut-over are kept")
				}
			}
			return nil
		},
		// A usage error is one line, like every other error (no help text).
		OnUsageError:   func(c *cli.Context, err error, isSubcommand bool) error { return err },
		ExitErrHandler: func(c *cli.Context, err error) {},
	}
	err := app.Run(args)
	var sub exitCode
	switch {
	case errors.As(err, &sub):
		fmt.Fprintln(stderr, "ghost: error: "+err.Error())
		code = sub.code
	case err != nil:
		fmt.Fprintln(stderr, "ghost: error: "+oneLine(describe(err)))
		code = exit(err)
	}
	if summaryFile != "" {
		r := migration.Report{Outcome: migration.Outcome(code), ExitStatus: code}
		if report != nil {
			r = report(err)
			r.Outcome, r.ExitStatus = migration.Outcome(code), code
		} else if err != nil {
			r.Error = oneLine(describe(err))
		}
		if werr := writeSummary(summaryFile, r); werr != nil {
			fmt.Fprintln(stderr, "ghost: error: --summary-file: "+werr.Error())
			if code == 0 {
				code = migration.ExitFailed
			}
		}
	}
	return code
}

// writeSummary writes the summary file, replacing it whole.
func writeSummary(path string, r migration.Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// describe renders an error for a DBA: what is wrong and what to do. A user error
// (*hint.Error) anywhere in the chain speaks for itself, without the operations that
// wrapped it on the way up.
func describe(err error) string {
	if h, ok := hint.As(err); ok {
		return h.Error()
	}
	if errors.Is(err, config.ErrInvalid) {
		return err.Error() + "; see ghost --help"
	}
	return err.Error()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func newLogger(c *cli.Context, w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: "2006-01-02 15:04:05.000"})
	// --quiet wins over --verbose and --debug, as in gh-ost.
	switch {
	case c.Bool("quiet"):
		log.SetLevel(logrus.ErrorLevel)
	case c.Bool("debug"):
		log.SetLevel(logrus.DebugLevel)
	case c.Bool("verbose"):
		log.SetLevel(logrus.InfoLevel)
	default:
		log.SetLevel(logrus.WarnLevel)
	}
	// --stack: ghost's errors carry no stack traces; the caller of each log line is the
	// closest it has.
	log.SetReportCaller(c.Bool("stack"))
	return log
}

// logNoted says once, for each gh-ost flag given that ghost accepts without
// needing it or handles its own way, what ghost does instead.
func logNoted(log *logrus.Logger, noted []ghOstFlag, cfg config.Config) {
	for _, f := range noted {
		e := log.WithField("flag", "--"+f.name)
		switch {
		case f.name == "replication-lag-query":
			e.Warn("ignored: " + f.does)
		case f.class == NotNeeded:
			e.Info("ignored: " + f.does)
		default:
			e.Info(f.does)
		}
	}
	if (cfg.MasterUser != "" || cfg.MasterPassword != "") && (cfg.AllowOnMaster || cfg.TestOnReplica || cfg.MigrateOnReplica) {
		log.Warn("--master-user and --master-password are not used: ghost connects to no server other than --host in this mode")
	}
}

func flags() []cli.Flag {
	d := config.Defaults()
	return []cli.Flag{
		&cli.StringFlag{Name: "host", Value: "127.0.0.1", Usage: "server to inspect and read the binlog from (a replica, or the primary with --allow-on-master)"},
		&cli.IntFlag{Name: "port", Value: 3306, Usage: "port of --host"},
		&cli.StringFlag{Name: "user", Usage: "user name"},
		&cli.StringFlag{Name: "password", Usage: "password (visible to ps: prefer --conf or --ask-pass)"},
		&cli.BoolFlag{Name: "ask-pass", Usage: "prompt for --password on the terminal, without echo"},
		&cli.StringFlag{Name: "master-user", Usage: "user on the primary, when it differs from --user (the primary is another server than --host)"},
		&cli.StringFlag{Name: "master-password", Usage: "password on the primary, when it differs from --password"},
		&cli.BoolFlag{Name: "ssl", Usage: "TLS for every connection to the servers, the binlog stream's included; certificates are verified"},
		&cli.StringFlag{Name: "ssl-ca", Usage: "with --ssl: PEM file of the CA that signed the servers' certificates (default: the system's)"},
		&cli.StringFlag{Name: "ssl-cert", Usage: "with --ssl: PEM file of a client certificate (users created REQUIRE X509); needs --ssl-key"},
		&cli.StringFlag{Name: "ssl-key", Usage: "with --ssl: PEM file of the client certificate's private key"},
		&cli.BoolFlag{Name: "ssl-allow-insecure", Usage: "with --ssl: do not verify the servers' certificates"},
		&cli.StringFlag{Name: "conf", Usage: "my.cnf style file whose [client] section gives user, password, host, port"},
		&cli.BoolFlag{Name: "check-flag", Usage: "exit 0 when every other flag given exists and works, non-zero otherwise; do nothing else"},
		&cli.StringFlag{Name: "database", Usage: "database of the table"},
		&cli.StringFlag{Name: "table", Usage: "table to migrate"},
		&cli.StringFlag{Name: "alter", Usage: "the ALTER: a clause list (ADD COLUMN ...) or a full ALTER TABLE statement"},
		&cli.BoolFlag{Name: "execute", Usage: "really migrate; without it ghost only proves the ALTER and removes what it created"},
		&cli.BoolFlag{Name: "allow-on-master", Usage: "--host is the primary: read its binlog and migrate there"},
		&cli.BoolFlag{Name: "tungsten", Usage: "--host is replicated by Tungsten replicator (needs --assume-master-host); its log_slave_updates is not checked"},
		&cli.StringFlag{Name: "assume-master-host", Usage: "primary host[:port], instead of discovering it from replication status"},
		&cli.Int64Flag{Name: "chunk-size", Value: d.ChunkSize, Usage: fmt.Sprintf("rows per copy chunk (%d-%d)", config.MinChunkSize, config.MaxChunkSize)},
		&cli.Int64Flag{Name: "dml-batch-size", Value: d.DMLBatchSize, Usage: "binlog row changes applied in one transaction (1-10000)"},
		&cli.Int64Flag{Name: "max-lag-millis", Value: d.MaxLag.Milliseconds(), Usage: "throttle while lag exceeds this"},
		&cli.Int64Flag{Name: "heartbeat-interval-millis", Value: d.HeartbeatInterval.Milliseconds(), Usage: "how often the changelog heartbeat is written"},
		&cli.IntFlag{Name: "threads", Value: d.Threads, Usage: "connections copying chunks at once"},
		&cli.DurationFlag{Name: "target-chunk-time", Value: d.TargetChunkTime, Usage: "resize chunks so each takes about this long, starting from --chunk-size; 0 keeps --chunk-size fixed (the default when --chunk-size is given alone)"},
		&cli.Float64Flag{Name: "nice-ratio", Usage: "sleep after each chunk, as a fraction of the chunk's time"},
		&cli.StringFlag{Name: "cut-over", Value: string(d.CutOver), Usage: "cut-over strategy: atomic (or gh-ost's default) or two-step"},
		&cli.Int64Flag{Name: "cut-over-lock-timeout-seconds", Value: int64(d.CutOverLockTimeout / time.Second), Usage: "most seconds writes are blocked in one cut-over attempt (1-10)"},
		&cli.DurationFlag{Name: "force-cut-over-after", Usage: "once the cut-over has waited this long for sessions that block its lock (long transactions, backups), kill them and cut over (default: wait for them)"},
		&cli.BoolFlag{Name: "panic-on-warnings", Usage: "stop before the cut-over when a copy or apply statement leaves a warning"},
		&cli.BoolFlag{Name: "allow-zero-in-date", Usage: "create and alter the ghost table without NO_ZERO_DATE/NO_ZERO_IN_DATE in the server's sql_mode"},
		&cli.BoolFlag{Name: "checkpoint", Value: true, Usage: "record progress in _<table>_ghk so that running the same command again after a crash resumes (--checkpoint=false: none)"},
		&cli.IntFlag{Name: "checkpoint-seconds", Value: 10, Usage: "seconds between checkpoints"},
		&cli.BoolFlag{Name: "resume", Usage: "resuming from a checkpoint is mandatory: fail when impossible"},
		&cli.StringFlag{Name: "metrics-address", Usage: "serve Prometheus metrics on host:port/metrics while ghost runs (docs/metrics.md)"},
		&cli.StringFlag{Name: "status-format", Value: "text", Usage: "status lines on stdout: text (gh-ost's line) or json (one object a line)"},
		&cli.StringFlag{Name: "summary-file", Usage: "write a JSON summary of the run here at exit, on success and on failure (docs/exit-status.md)"},
		&cli.StringFlag{Name: "target-schema", Usage: "a file holding the CREATE TABLE the table should have: ghost computes the ALTER (instead of --alter) and shows it (docs/target-schema.md)"},
		&cli.StringFlag{Name: "copy", Value: d.Copy, Usage: "how chunks read the table: snapshot (a consistent read, no row locks) or locking (a shared-lock read, as gh-ost) (docs/copy-and-apply.md)"},
		&cli.DurationFlag{Name: "snapshot-max-age", Value: d.SnapshotMaxAge, Usage: "with --copy=snapshot, the longest a chunk's read of the table may keep its snapshot (the server's undo history grows while it does): a chunk that reads longer is stopped and copied in smaller parts (MariaDB; 0: no bound)"},
		&cli.DurationFlag{Name: "checksum-snapshot-max-age", Value: d.ChecksumSnapshotMaxAge, Usage: "the longest the checksum reads at one consistent point (the server's undo history grows while its snapshots live); then it takes a new point (a brief write lock, as the first) for the next chunks (0: one point)"},
		&cli.BoolFlag{Name: "attempt-instant-ddl", Usage: "run the ALTER with ALGORITHM=INSTANT on the table when the server can (asked first on an empty copy), copy otherwise"},
		&cli.BoolFlag{Name: "checksum", Value: true, Usage: "before the cut-over, compare the ghost table with the original at a consistent point and repair what differs (--checksum=false skips it)"},
		&cli.IntFlag{Name: "checksum-repair-rounds", Value: d.ChecksumRepairRounds, Usage: "rounds of repair and re-check of differing chunks before ghost stops without cutting over"},
		&cli.BoolFlag{Name: "revert", Usage: "swap back the old table of a finished migration, after applying to it every change made to the table since the swap (no --alter)"},
		&cli.StringFlag{Name: "old-table", Usage: "with --revert: the old table to bring back (default: the one the migration's swap record names, _<table>_del)"},
		&cli.DurationFlag{Name: "keep-old-table-in-sync", Usage: "after the cut-over, keep applying the new table's changes to the old one this long, so that the socket command revert swaps back at once"},
		&cli.BoolFlag{Name: "allow-nullable-unique-key", Usage: "copy along a unique key with nullable columns when no NOT NULL key is usable; stops if the key holds or receives a NULL"},
		&cli.BoolFlag{Name: "discard-foreign-keys", Usage: "DANGER: migrate a table with foreign keys; the new table has none"},
		&cli.BoolFlag{Name: "analyze-ghost-table-before-cutover", Usage: "ANALYZE TABLE on the ghost table before the cut-over"},
		&cli.BoolFlag{Name: "include-triggers", Usage: "carry the table's triggers over to the new table at the cut-over (needs --trigger-suffix)"},
		&cli.StringFlag{Name: "trigger-suffix", Usage: "appended to the names of the triggers on the new table"},
		&cli.BoolFlag{Name: "remove-trigger-suffix-if-exists", Usage: "a trigger whose name ends with --trigger-suffix loses it on the new table instead"},
		&cli.BoolFlag{Name: "allow-setup-metadata-lock-instruments", Usage: "let ghost load MariaDB's metadata_lock_info plugin to see exactly which sessions block the cut-over"},
		&cli.IntFlag{Name: "default-retries", Value: d.DefaultRetries, Usage: "attempts of the cut-over and other retried operations; an outage of the primary is waited out for that many backoffs"},
		&cli.BoolFlag{Name: "cut-over-exponential-backoff", Usage: "wait exponentially longer between cut-over attempts"},
		&cli.Int64Flag{Name: "exponential-backoff-max-interval", Value: int64(d.BackoffMaxInterval / time.Second), Usage: "longest wait between attempts with backoff, seconds"},
		&cli.StringFlag{Name: "postpone-cut-over-flag-file", Usage: "while this file exists, ghost keeps applying and does not cut over"},
		&cli.BoolFlag{Name: "exact-rowcount", Usage: "count rows exactly (SELECT COUNT(*)) for progress instead of estimating"},
		&cli.BoolFlag{Name: "approve-renamed-columns", Usage: "copy values of columns the ALTER renames to their new names"},
		&cli.BoolFlag{Name: "skip-renamed-columns", Usage: "treat renamed columns as dropped and added (values are not copied)"},
		&cli.BoolFlag{Name: "initially-drop-ghost-table", Usage: "drop a ghost or changelog table left by an earlier run"},
		&cli.BoolFlag{Name: "initially-drop-old-table", Usage: "drop an old (_del) table left by an earlier run"},
		&cli.BoolFlag{Name: "ok-to-drop-table", Usage: "drop the old table after the cut-over"},
		&cli.BoolFlag{Name: "timestamp-old-table", Usage: "put a timestamp in the old table's name"},
		&cli.UintFlag{Name: "replica-server-id", Value: uint(d.ReplicaServerID), Usage: "server id ghost uses to read the binlog; unique in the topology"},
		&cli.StringFlag{Name: "throttle-control-replicas", Usage: "host:port list of replicas whose lag also throttles"},
		&cli.StringFlag{Name: "max-load", Usage: "throttle while a status variable is at or above its threshold, e.g. Threads_running=25,Threads_connected=500"},
		&cli.StringFlag{Name: "critical-load", Usage: "abort when a status variable reaches its threshold, e.g. Threads_running=100"},
		&cli.Int64Flag{Name: "critical-load-interval-millis", Usage: "re-check critical load after this long before aborting (0: abort at once)"},
		&cli.Int64Flag{Name: "critical-load-hibernate-seconds", Usage: "on critical load, pause everything this long instead of aborting"},
		&cli.StringFlag{Name: "throttle-query", Usage: "throttle while this query (run on --host) returns > 0"},
		&cli.StringFlag{Name: "throttle-http", Usage: "throttle unless this URL answers 200"},
		&cli.Int64Flag{Name: "throttle-http-interval-millis", Value: d.ThrottleHTTPInterval.Milliseconds(), Usage: "how often --throttle-http is asked"},
		&cli.Int64Flag{Name: "throttle-http-timeout-millis", Value: d.ThrottleHTTPTimeout.Milliseconds(), Usage: "timeout of one --throttle-http request"},
		&cli.BoolFlag{Name: "ignore-http-errors", Usage: "when --throttle-http cannot be reached at all, carry on instead of throttling"},
		&cli.StringFlag{Name: "throttle-flag-file", Usage: "throttle while this file exists"},
		&cli.StringFlag{Name: "throttle-additional-flag-file", Value: d.ThrottleAdditionalFlagFile, Usage: "throttle while this file exists (shared by every ghost on the host)"},
		&cli.StringFlag{Name: "panic-flag-file", Usage: "abort at once, without cut-over, when this file appears"},
		&cli.StringFlag{Name: "serve-socket-file", Usage: "unix socket for interactive commands (default /tmp/ghost.<db>.<table>.sock)"},
		&cli.IntFlag{Name: "serve-tcp-port", Usage: "TCP port for interactive commands (0: none)"},
		&cli.BoolFlag{Name: "force-named-cut-over", Usage: "the unpostpone command must name the table (unpostpone=<table>)"},
		&cli.BoolFlag{Name: "force-named-panic", Usage: "the panic command must name the table (panic=<table>)"},
		&cli.StringFlag{Name: "hooks-path", Usage: "directory of hook executables (ghost-on-<event>*, gh-ost-on-<event>*)"},
		&cli.Int64Flag{Name: "hooks-status-interval", Value: int64(d.HooksStatusInterval / time.Second), Usage: "seconds between status hooks"},
		&cli.Int64Flag{Name: "hooks-timeout-seconds", Value: 60, Usage: "a hook running longer is killed and counts as failed"},
		&cli.StringFlag{Name: "hooks-hint", Usage: "free text passed to hooks as GHOST_HOOKS_HINT"},
		&cli.StringFlag{Name: "hooks-hint-owner", Usage: "passed to hooks as GHOST_HOOKS_HINT_OWNER"},
		&cli.StringFlag{Name: "hooks-hint-token", Usage: "passed to hooks as GHOST_HOOKS_HINT_TOKEN"},
		&cli.BoolFlag{Name: "test-on-replica", Usage: "migrate on the replica --host, swap and swap back with replication stopped, keep both tables for comparison"},
		&cli.BoolFlag{Name: "test-on-replica-skip-replica-stop", Usage: "with --test-on-replica, do not stop replication"},
		&cli.BoolFlag{Name: "migrate-on-replica", Usage: "run the whole migration on the replica --host"},
		&cli.StringFlag{Name: "test-pause-cut-over-at", Hidden: true, Usage: "fault tests: hold the cut-over at a step (locked, applied, rename-queued, sentry-dropped)"},
		&cli.DurationFlag{Name: "test-pause-cut-over-for", Hidden: true, Value: 30 * time.Second, Usage: "fault tests: how long to hold"},
		&cli.BoolFlag{Name: "verbose", Usage: "log progress (info level)"},
		&cli.BoolFlag{Name: "debug", Usage: "log everything"},
		&cli.BoolFlag{Name: "quiet", Usage: "log errors only"},
	}
}

// configType is the configuration the flags build.
type configType = config.Config

func configFrom(c *cli.Context) (config.Config, error) { return configFromWith(c, nil) }

// configFromWith is configFrom with adjust applied before the configuration is validated (a
// subcommand's own settings).
func configFromWith(c *cli.Context, adjust func(*config.Config)) (config.Config, error) {
	cfg := config.Defaults()
	if f := c.String("conf"); f != "" {
		cfg.Port = 0
		if c.IsSet("user") {
			cfg.User = c.String("user")
		}
		if c.IsSet("password") {
			cfg.Password = c.String("password")
		}
		if c.IsSet("host") {
			cfg.Host = c.String("host")
		}
		if c.IsSet("port") {
			cfg.Port = c.Int("port")
		}
		if err := config.ReadClientConf(f, &cfg); err != nil {
			return cfg, err
		}
		if cfg.Host == "" {
			cfg.Host = c.String("host")
		}
		if cfg.Port == 0 {
			cfg.Port = c.Int("port")
		}
	} else {
		cfg.Host, cfg.Port, cfg.User, cfg.Password = c.String("host"), c.Int("port"), c.String("user"), c.String("password")
	}
	if c.NArg() > 0 {
		return cfg, fmt.Errorf("%w: unexpected argument %q (flags take the form --name=value)", config.ErrInvalid, c.Args().First())
	}
	cfg.MasterUser, cfg.MasterPassword = c.String("master-user"), c.String("master-password")
	cfg.MySQLTimeout = time.Duration(c.Float64("mysql-timeout") * float64(time.Second))
	cfg.TLS = config.TLSOptions{Enabled: c.Bool("ssl"), CA: c.String("ssl-ca"), Cert: c.String("ssl-cert"), Key: c.String("ssl-key"),
		AllowInsecure: c.Bool("ssl-allow-insecure")}
	cfg.AssumeMasterHost = c.String("assume-master-host")
	cfg.AllowOnMaster = c.Bool("allow-on-master")
	cfg.Tungsten = c.Bool("tungsten")
	cfg.Database = c.String("database")
	cfg.Table = c.String("table")
	cfg.Alter = c.String("alter")
	if cfg.Database == "" || cfg.Table == "" {
		// As in gh-ost, a full ALTER TABLE [db.]t statement can name them.
		if a, err := alter.Parse(cfg.Alter); err == nil && a.StatementTable != "" {
			if cfg.Database == "" {
				cfg.Database = a.StatementSchema
			}
			if cfg.Table == "" {
				cfg.Table = a.StatementTable
			}
		}
	}
	cfg.Execute = c.Bool("execute")
	cfg.ChunkSize = c.Int64("chunk-size")
	cfg.DMLBatchSize = c.Int64("dml-batch-size")
	cfg.MaxLag = time.Duration(c.Int64("max-lag-millis")) * time.Millisecond
	cfg.HeartbeatInterval = time.Duration(c.Int64("heartbeat-interval-millis")) * time.Millisecond
	cfg.Threads = c.Int("threads")
	cfg.NiceRatio = c.Float64("nice-ratio")
	cfg.TargetChunkTime = c.Duration("target-chunk-time")
	if c.IsSet("chunk-size") && !c.IsSet("target-chunk-time") {
		// A gh-ost user who names a chunk size gets exactly that size.
		cfg.TargetChunkTime = 0
	}
	cfg.CutOver = config.CutOver(c.String("cut-over"))
	if cfg.CutOver == "default" || cfg.CutOver == "" {
		cfg.CutOver = config.CutOverAtomic // gh-ost's legacy names of atomic
	}
	cfg.CutOverLockTimeout = time.Duration(c.Int64("cut-over-lock-timeout-seconds")) * time.Second
	cfg.DefaultRetries = c.Int("default-retries")
	cfg.ForceCutOverAfter = c.Duration("force-cut-over-after")
	cfg.AllowSetupMetadataLockInstruments = c.Bool("allow-setup-metadata-lock-instruments")
	cfg.AnalyzeGhostTable = c.Bool("analyze-ghost-table-before-cutover")
	cfg.DiscardForeignKeys = c.Bool("discard-foreign-keys")
	cfg.AllowNullableUniqueKey = c.Bool("allow-nullable-unique-key")
	cfg.AllowZeroInDate = c.Bool("allow-zero-in-date")
	cfg.PanicOnWarnings = c.Bool("panic-on-warnings")
	cfg.IncludeTriggers = c.Bool("include-triggers")
	cfg.TriggerSuffix = c.String("trigger-suffix")
	cfg.RemoveTriggerSuffixIfExists = c.Bool("remove-trigger-suffix-if-exists")
	cfg.CutOverExponentialBackoff = c.Bool("cut-over-exponential-backoff")
	cfg.BackoffMaxInterval = time.Duration(c.Int64("exponential-backoff-max-interval")) * time.Second
	cfg.PostponeCutOverFlagFile = c.String("postpone-cut-over-flag-file")
	cfg.ExactRowcount = c.Bool("exact-rowcount")
	cfg.ApproveRenamedColumns = c.Bool("approve-renamed-columns")
	cfg.SkipRenamedColumns = c.Bool("skip-renamed-columns")
	cfg.InitiallyDropGhostTable = c.Bool("initially-drop-ghost-table")
	cfg.Checkpoint = c.Bool("checkpoint")
	cfg.CheckpointInterval = time.Duration(c.Int("checkpoint-seconds")) * time.Second
	cfg.Resume = c.Bool("resume")
	cfg.AttemptInstantDDL = c.Bool("attempt-instant-ddl")
	cfg.Copy = c.String("copy")
	cfg.SnapshotMaxAge = c.Duration("snapshot-max-age")
	cfg.ChecksumSnapshotMaxAge = c.Duration("checksum-snapshot-max-age")
	if f := c.String("target-schema"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return cfg, fmt.Errorf("%w: --target-schema: %v", config.ErrInvalid, err)
		}
		cfg.TargetSchema = string(b)
	}
	cfg.MetricsAddress = c.String("metrics-address")
	cfg.StatusFormat = c.String("status-format")
	cfg.Checksum = c.Bool("checksum")
	cfg.ChecksumRepairRounds = c.Int("checksum-repair-rounds")
	cfg.Revert = c.Bool("revert")
	cfg.RevertOldTable = c.String("old-table")
	cfg.KeepOldTableInSync = c.Duration("keep-old-table-in-sync")
	cfg.GhostVersion, _ = buildVersion()
	cfg.InitiallyDropOldTable = c.Bool("initially-drop-old-table")
	cfg.OkToDropTable = c.Bool("ok-to-drop-table")
	cfg.TimestampOldTable = c.Bool("timestamp-old-table")
	cfg.ForceTableNames = c.String("force-table-names")
	cfg.ReplicaServerID = uint32(c.Uint("replica-server-id"))
	cfg.ThrottleControlReplicas = c.String("throttle-control-replicas")
	cfg.MaxLoad = c.String("max-load")
	cfg.CriticalLoad = c.String("critical-load")
	cfg.CriticalLoadInterval = time.Duration(c.Int64("critical-load-interval-millis")) * time.Millisecond
	cfg.CriticalLoadHibernate = time.Duration(c.Int64("critical-load-hibernate-seconds")) * time.Second
	cfg.ThrottleQuery = c.String("throttle-query")
	cfg.ThrottleHTTP = c.String("throttle-http")
	cfg.ThrottleHTTPInterval = time.Duration(c.Int64("throttle-http-interval-millis")) * time.Millisecond
	cfg.ThrottleHTTPTimeout = time.Duration(c.Int64("throttle-http-timeout-millis")) * time.Millisecond
	cfg.IgnoreHTTPErrors = c.Bool("ignore-http-errors")
	cfg.ThrottleFlagFile = c.String("throttle-flag-file")
	cfg.ThrottleAdditionalFlagFile = c.String("throttle-additional-flag-file")
	cfg.PanicFlagFile = c.String("panic-flag-file")
	cfg.ServeSocketFile = c.String("serve-socket-file")
	cfg.ServeTCPPort = c.Int("serve-tcp-port")
	cfg.ForceNamedCutOver = c.Bool("force-named-cut-over")
	cfg.ForceNamedPanic = c.Bool("force-named-panic")
	cfg.HooksPath = c.String("hooks-path")
	cfg.HooksStatusInterval = time.Duration(c.Int64("hooks-status-interval")) * time.Second
	cfg.HooksTimeout = time.Duration(c.Int64("hooks-timeout-seconds")) * time.Second
	cfg.HooksHint = c.String("hooks-hint")
	cfg.HooksHintOwner = c.String("hooks-hint-owner")
	cfg.HooksHintToken = c.String("hooks-hint-token")
	cfg.TestOnReplica = c.Bool("test-on-replica")
	cfg.TestOnReplicaSkipReplicaStop = c.Bool("test-on-replica-skip-replica-stop")
	cfg.MigrateOnReplica = c.Bool("migrate-on-replica")
	cfg.SwitchToRBR = c.Bool("switch-to-rbr")
	cfg.StorageEngine = strings.ToLower(c.String("storage-engine"))
	cfg.StatsdAddr = c.String("statsd-addr")
	cfg.StatsdTags = c.StringSlice("statsd-tags")
	cfg.RuntimeMetricsInterval = time.Duration(c.Int64("runtime-metrics-interval")) * time.Second
	if err := checkStatsd(cfg); err != nil {
		return cfg, err
	}
	cfg.PauseCutOverAt = c.String("test-pause-cut-over-at")
	cfg.PauseCutOverFor = c.Duration("test-pause-cut-over-for")
	cfg.Now = time.Now()
	if adjust != nil {
		adjust(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	// The files are read once, here, so that a bad one stops the run before it connects.
	return cfg, cfg.LoadTLS()
}

// checkStatsd refuses a --statsd-addr or --statsd-tags that could not be sent (the
// address is resolved only when the migration starts).
func checkStatsd(cfg config.Config) error {
	if cfg.StatsdAddr != "" {
		if err := metrics.CheckAddr(cfg.StatsdAddr); err != nil {
			return fmt.Errorf("%w: --statsd-addr: %v", config.ErrInvalid, err)
		}
	}
	for _, t := range cfg.StatsdTags {
		if err := metrics.CheckTag(t); err != nil {
			return fmt.Errorf("%w: --statsd-tags: %v", config.ErrInvalid, err)
		}
	}
	return nil
}

// prepareFiles does what gh-ost does with files before it starts an executing run:
// --initially-drop-socket-file removes the socket file even when another process
// still answers on it, and a missing --postpone-cut-over-flag-file is created so
// that the cut-over waits until it is removed.
func prepareFiles(c *cli.Context, cfg config.Config) error {
	if !cfg.Execute {
		return nil // a noop run serves no socket and never cuts over
	}
	if c.Bool("initially-drop-socket-file") {
		sock := cfg.ServeSocketFile
		if sock == "" {
			sock = control.DefaultSocketFile(cfg.Database, cfg.Table)
		}
		if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return hint.New(fmt.Sprintf("--initially-drop-socket-file: cannot remove %s: %v", sock, err), "remove it yourself or choose another --serve-socket-file")
		}
	}
	if f := cfg.PostponeCutOverFlagFile; f != "" {
		fh, err := os.OpenFile(f, os.O_RDONLY|os.O_CREATE, 0o644)
		if err != nil {
			return hint.New(fmt.Sprintf("--postpone-cut-over-flag-file %s does not exist and cannot be created: %v", f, err),
				"create the file yourself or choose a writable path")
		}
		fh.Close()
	}
	return nil
}
