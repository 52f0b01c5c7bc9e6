package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
)

// demoServerArgs make loading a million rows quick on a small machine: the tables fit in memory
// and commits do not wait for the disk. Nothing in the demo depends on them.
var demoServerArgs = []string{
	"--innodb-buffer-pool-size=1G",
	"--innodb-log-file-size=512M",
	"--innodb-flush-log-at-trx-commit=2",
}

// outcome collects what the summary reports.
type outcome struct {
	rowsLoaded  int64
	loadTime    time.Duration
	ghost       ghostRun
	done        doneFigures
	writes      writeStats
	cmp         comparison
	replicaSame bool
	replicaNote string
	problems    []string
}

func runDemo(ctx context.Context, cfg demoConfig) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	ghostBin, err := findGhost(cfg.Ghost)
	if err != nil {
		return err
	}
	logDir := cfg.LogDir
	if logDir == "" {
		if logDir, err = os.MkdirTemp("", "ghost-demo-"); err != nil {
			return fmt.Errorf("log dir: %w", err)
		}
	} else if err := os.MkdirAll(logDir, 0o755); err != nil {
		return fmt.Errorf("log dir: %w", err)
	}
	logPath := filepath.Join(logDir, "ghost.log")

	st := &stepper{start: time.Now(), total: 7}
	var out outcome

	st.step("starting a local primary + replica (go/topology, in %s)", os.TempDir())
	topo, err := topology.Start(ctx, topology.Options{
		ExtraArgs: append(slices.Clone(demoServerArgs), cfg.ServerArgs...),
		Log:       prefixWriter{prefix: "           "},
	})
	if err != nil {
		return err
	}
	stopped := false
	stopTopology := func() {
		if stopped {
			return
		}
		stopped = true
		begin := time.Now()
		if err := topo.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "ghost-demo: stopping the topology: %v\n", err)
			return
		}
		st.info("topology stopped and its files removed (%v)", time.Since(begin).Round(time.Millisecond))
	}
	defer stopTopology()
	primary, replica := topo.Primary, topo.Replica
	st.info("primary %s, replica %s (%s %s); ghost user %s/%s", primary.Addr(), replica.Addr(),
		primary.Flavor, primary.Version, primary.User, primary.Password)

	// --- data -----------------------------------------------------------------------------------
	st.step("creating %s.%s with %d rows and an identical twin %s.%s", database, table, cfg.Rows, database, twinTable)
	if err := primary.Exec(ctx, "CREATE DATABASE "+dbconn.QuoteIdent(database)); err != nil {
		return err
	}
	db, err := primary.Open(database)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(cfg.Writers + 4)
	db.SetMaxIdleConns(cfg.Writers + 4)
	for _, t := range []string{table, twinTable} {
		if _, err := db.ExecContext(ctx, createTableSQL(t)); err != nil {
			return fmt.Errorf("create %s: %w", t, err)
		}
	}
	loadBegin := time.Now()
	nextReport := cfg.Rows / 4
	err = loadTables(ctx, db, table, twinTable, cfg.Rows, func(n int64) {
		if n >= nextReport || n == cfg.Rows {
			st.info("loaded %d/%d rows into both tables", n, cfg.Rows)
			nextReport = n + cfg.Rows/4
		}
	})
	if err != nil {
		return err
	}
	out.rowsLoaded = cfg.Rows
	primaryTime := time.Since(loadBegin)
	st.info("both tables loaded on the primary in %v (%.0f rows/s); waiting for the replica",
		primaryTime.Round(100*time.Millisecond), float64(cfg.Rows)/primaryTime.Seconds())
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		return err
	}
	out.loadTime = time.Since(loadBegin)
	st.info("replica caught up: data ready after %v", out.loadTime.Round(100*time.Millisecond))

	// --- write load and migration -----------------------------------------------------------------
	var w *writers
	if cfg.Writers > 0 {
		st.step("starting %d writers on the primary (%.0f transactions/s; each writes %s and %s in one transaction)",
			cfg.Writers, cfg.WriteRate, table, twinTable)
		if w, err = newWriters(db, table, twinTable, cfg.Writers, cfg.WriteRate, cfg.Rows); err != nil {
			return err
		}
		if err := w.Start(ctx); err != nil {
			return err
		}
	} else {
		st.step("no writers (--writers=0)")
	}

	args := []string{
		"--host=" + replica.Host, "--port=" + strconv.Itoa(replica.Port),
		"--user=" + replica.User, "--password=" + replica.Password,
		"--database=" + database, "--table=" + table,
		"--alter=" + cfg.Alter,
		"--execute", "--verbose",
	}
	args = append(args, cfg.GhostArgs...)
	st.step("running ghost against the replica (status lines below; log in %s)", logPath)
	st.info("%s", shellCommand(relToCwd(ghostBin), args))
	res, err := runGhost(ctx, ghostBin, args, logPath, os.Stdout)
	if err != nil {
		if w != nil {
			w.Stop()
		}
		return err
	}
	out.ghost = res
	out.done = parseDone(res.DoneLine)

	exit := "exited"
	if res.Err != nil {
		exit = fmt.Sprintf("failed (%v)", res.Err)
	}
	if w != nil {
		st.step("ghost %s after %v; stopping the writers", exit, res.Duration.Round(100*time.Millisecond))
		out.writes = w.Stop()
		s := out.writes
		st.info("writes committed: %d in %v (%s); slowest transaction %v",
			s.total(), s.Duration.Round(100*time.Millisecond), formatCounts(s.Committed, kindOrder()), s.MaxLatency.Round(time.Millisecond))
		if len(s.Errors) == 0 {
			st.info("writer errors: none")
		} else {
			for code, n := range s.Errors {
				st.info("writer errors: %d x %s (%s), e.g. %s", n, code, errorNames[code], s.FirstError[code])
			}
		}
	} else {
		st.step("ghost %s after %v", exit, res.Duration.Round(100*time.Millisecond))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if res.Err != nil {
		fmt.Printf("\nghost failed (%v); last lines of %s:\n%s\n", res.Err, logPath, tailFile(logPath, 30))
		stopTopology()
		fmt.Printf("\nFAIL: ghost exited with an error: %v (log: %s)\n", res.Err, logPath)
		return errFailed
	}
	if res.DoneLine == "" {
		out.problems = append(out.problems, "ghost printed no Done line")
	}
	if n := out.writes.Errors["1146"]; n > 0 && !twoStep(cfg.GhostArgs) {
		out.problems = append(out.problems, fmt.Sprintf("%d writes failed with 1146 (table doesn't exist) during an atomic cut-over", n))
	}

	// --- the reference ALTER and the proof ---------------------------------------------------------
	st.step("applying the same ALTER natively to %s (ALTER TABLE on the primary)", twinTable)
	begin := time.Now()
	if _, err := db.ExecContext(ctx, "ALTER TABLE "+dbconn.QuoteIdent(twinTable)+" "+cfg.Alter); err != nil {
		return fmt.Errorf("ALTER TABLE %s: %w", twinTable, err)
	}
	st.info("done in %v; waiting for the replica", time.Since(begin).Round(100*time.Millisecond))
	if err := topo.WaitReplicaCaughtUp(ctx); err != nil {
		return err
	}

	st.step("comparing %s (migrated by ghost) with %s (native ALTER), row for row", table, twinTable)
	cmp, err := compareTables(ctx, db, table, twinTable, st.info)
	if err != nil {
		return err
	}
	out.cmp = cmp
	if !cmp.identical() {
		out.problems = append(out.problems, describeDifference(cmp))
	}
	if cmp.SchemaEqual {
		same, note, err := compareReplica(ctx, topo, cmp)
		if err != nil {
			return err
		}
		out.replicaSame, out.replicaNote = same, note
		st.info("replica:   %s", note)
		if !same {
			out.problems = append(out.problems, "the replica's "+table+" differs from the primary's: "+note)
		}
	}

	stopTopology()
	printSummary(st, cfg, out, logPath)
	if len(out.problems) > 0 {
		return errFailed
	}
	return nil
}

// compareReplica checks that the replica's copy of the migrated table has the same chunk
// checksums as the primary's.
func compareReplica(ctx context.Context, topo *topology.Topology, cmp comparison) (bool, string, error) {
	pdb, err := topo.Primary.Open(database)
	if err != nil {
		return false, "", err
	}
	defer pdb.Close()
	rdb, err := topo.Replica.Open(database)
	if err != nil {
		return false, "", err
	}
	defer rdb.Close()
	cols, err := columns(ctx, pdb, table)
	if err != nil {
		return false, "", err
	}
	lo, hi, err := idRange(ctx, pdb, table, table)
	if err != nil {
		return false, "", err
	}
	var ps, rs []string
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { ps, err = chunkChecksums(gctx, pdb, table, cols, lo, hi); return err })
	g.Go(func() (err error) { rs, err = chunkChecksums(gctx, rdb, table, cols, lo, hi); return err })
	if err := g.Wait(); err != nil {
		return false, "", err
	}
	rc, err := showCreate(ctx, rdb, table)
	if err != nil {
		return false, "", err
	}
	if normaliseCreate(rc) != cmp.SchemaA {
		return false, "schema differs from the primary's", nil
	}
	bad := 0
	for i := range ps {
		if ps[i] != rs[i] {
			bad++
		}
	}
	if bad > 0 {
		return false, fmt.Sprintf("%d of %d checksum chunks differ from the primary's", bad, len(ps)), nil
	}
	return true, fmt.Sprintf("%s.%s on the replica has the same schema and the same %d chunk checksums as on the primary", database, table, len(ps)), nil
}

func describeDifference(c comparison) string {
	var parts []string
	if !c.SchemaEqual {
		parts = append(parts, "schemas differ")
	}
	if c.RowsA != c.RowsB {
		parts = append(parts, fmt.Sprintf("row counts differ (%s %d, %s %d)", table, c.RowsA, twinTable, c.RowsB))
	}
	if len(c.BadChunks) > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d checksum chunks differ (first: ids %s)", len(c.BadChunks), c.Chunks, c.BadChunks[0]))
	}
	if c.Differ > 0 || c.Missing > 0 {
		parts = append(parts, fmt.Sprintf("%d rows missing or different, %d extra in %s", c.Differ, c.Missing, twinTable))
	}
	return strings.Join(parts, "; ")
}

func printSummary(st *stepper, cfg demoConfig, out outcome, logPath string) {
	fmt.Printf("\n== summary\n")
	fmt.Printf("  table:         %s.%s, %d rows loaded (and its twin) in %v\n", database, table, out.rowsLoaded, out.loadTime.Round(100*time.Millisecond))
	fmt.Printf("  alter:         %s\n", cfg.Alter)
	d := out.done
	if d.HasRows {
		fmt.Printf("  ghost copy:    %d rows in %v = %.0f rows/s\n", d.RowsCopied, d.CopyTime.Round(time.Millisecond), d.RowsPerSec)
	}
	if d.HasBlock {
		fmt.Printf("  cut-over:      writes blocked for %v\n", d.CutOverBlock.Round(time.Millisecond))
	}
	fmt.Printf("  ghost:         ran %v; %s\n", out.ghost.Duration.Round(100*time.Millisecond), out.ghost.DoneLine)
	if cfg.Writers > 0 {
		s := out.writes
		fmt.Printf("  writes:        %d transactions committed during the migration (%s), %.0f/s; slowest %v, %d over 1s\n",
			s.total(), formatCounts(s.Committed, kindOrder()), float64(s.total())/max(s.Duration.Seconds(), 0.001),
			s.MaxLatency.Round(time.Millisecond), s.Slow)
		errs := "none"
		if len(s.Errors) > 0 {
			errs = formatCounts(s.Errors, []string{"1146"})
		}
		fmt.Printf("  writer errors: %s (1146 table doesn't exist: %d)\n", errs, s.Errors["1146"])
	}
	fmt.Printf("  ghost log:     %s\n", logPath)
	fmt.Printf("  total time:    %v\n", time.Since(st.start).Round(100*time.Millisecond))
	fmt.Println()
	if len(out.problems) > 0 {
		fmt.Printf("FAIL: %s\n", strings.Join(out.problems, "; "))
		return
	}
	fmt.Printf("PASS: %d rows identical in %s.%s (migrated by ghost under %d writes) and %s.%s (native ALTER): same schema, same row count, %d equal chunk checksums, 0 rows differ; replica in sync\n",
		out.cmp.RowsA, database, table, out.writes.total(), database, twinTable, out.cmp.Chunks)
}

func kindOrder() []string {
	return []string{kindInsert, kindUpdate, kindDelete, kindRangeUpdate}
}

// twoStep reports whether the ghost flags choose the two-step cut-over, whose gap makes writers
// fail with 1146 by design.
func twoStep(args []string) bool {
	for i, a := range args {
		if a == "--cut-over=two-step" || (a == "--cut-over" && i+1 < len(args) && args[i+1] == "two-step") {
			return true
		}
	}
	return false
}

// shellCommand renders a command line that can be pasted into a shell.
func shellCommand(bin string, args []string) string {
	parts := []string{shellQuote(bin)}
	for _, a := range args {
		if name, val, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "--") {
			parts = append(parts, name+"="+shellQuote(val))
		} else {
			parts = append(parts, shellQuote(a))
		}
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,=@") == "" {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s) + `"`
}

// relToCwd shortens an absolute path below the working directory.
func relToCwd(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// prefixWriter writes each line with a prefix (used for the topology's progress lines).
type prefixWriter struct{ prefix string }

func (p prefixWriter) Write(b []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line == "" {
			continue
		}
		if _, err := fmt.Fprint(os.Stdout, p.prefix+line); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}
