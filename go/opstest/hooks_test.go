package opstest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hookEvents are every event ghost fires hooks for.
var hookEvents = []string{
	"startup", "validated", "rowcount-complete", "before-row-copy", "status", "interactive-command",
	"batch-copy-retry", "row-copy-complete", "stop-replication", "start-replication", "begin-postponed",
	"before-cut-over", "success", "failure",
}

// hookLine is what every test hook appends to the log: the event, then variables.
const hookLine = `$GHOST_DATABASE_NAME|$GHOST_TABLE_NAME|$GH_OST_GHOST_TABLE_NAME|$GHOST_OLD_TABLE_NAME|$GHOST_DDL|` +
	`$GHOST_COPIED_ROWS|$GH_OST_ESTIMATED_ROWS|$GHOST_HOOKS_HINT|$GHOST_DRY_RUN|$GHOST_COMMAND|$GH_OST_STATUS`

// writeHook writes an executable shell hook.
func writeHook(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// hooksDir makes a hooks directory where every event appends a line to log, with
// overrides replacing the hook of some events.
func hooksDir(t *testing.T, f *fixture, overrides map[string]string) (dir, log string) {
	t.Helper()
	dir = filepath.Join(f.dir, "hooks")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	log = filepath.Join(f.dir, "hooks.log")
	for _, ev := range hookEvents {
		body, ok := overrides[ev]
		if !ok {
			body = fmt.Sprintf(`echo "%s|%s" >> %s`, ev, hookLine, log)
		}
		writeHook(t, dir, "ghost-on-"+ev, body)
	}
	// gh-ost's file names work too, and sort before ghost's.
	writeHook(t, dir, "gh-ost-on-success", fmt.Sprintf(`echo "gh-ost-success|%s" >> %s`, hookLine, log))
	// Files that must not run: not executable, or named for no event.
	if err := os.WriteFile(filepath.Join(dir, "ghost-on-success.disabled"), []byte("#!/bin/sh\necho disabled >> "+log+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeHook(t, dir, "README", "echo readme >> "+log)
	return dir, log
}

type hookRecord struct {
	event                                            string
	db, table, ghostTable, oldTable, ddl, copied     string
	estimated, hint, dryRun, command, statusLineText string
}

func readHookLog(t *testing.T, path string) []hookRecord {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []hookRecord
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		p := strings.Split(line, "|")
		if len(p) != 12 {
			t.Errorf("hook log line %q has %d fields, want 12", line, len(p))
			continue
		}
		out = append(out, hookRecord{event: p[0], db: p[1], table: p[2], ghostTable: p[3], oldTable: p[4], ddl: p[5],
			copied: p[6], estimated: p[7], hint: p[8], dryRun: p[9], command: p[10], statusLineText: p[11]})
	}
	return out
}

// waitHook waits until the log has a record matching cond.
func waitHook(t *testing.T, g *ghost, log, what string, cond func(hookRecord) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if slices.ContainsFunc(readHookLog(t, log), cond) {
			return
		}
		if !g.running() {
			t.Fatalf("ghost exited before %s: %s", what, errorLine(g.stderr.String()))
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in the hook log within 60s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHooks: every event's hooks run in the migration's order with the documented
// environment, under both file name prefixes.
func TestHooks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 5000)
	dir, log := hooksDir(t, f, nil)
	flagFile := filepath.Join(f.dir, "postpone.flag")
	touch(t, flagFile)
	g := f.run(append(slowCopy, "--hooks-path", dir, "--hooks-status-interval", "1", "--hooks-hint", "ticket-42",
		"--postpone-cut-over-flag-file", flagFile)...)

	waitHook(t, g, log, "status hook", func(r hookRecord) bool { return r.event == "status" })
	g.expectOK("coordinates")
	waitHook(t, g, log, "interactive-command hook for coordinates", func(r hookRecord) bool {
		return r.event == "interactive-command" && r.command == "coordinates"
	})
	g.speedUp()
	waitHook(t, g, log, "begin-postponed hook", func(r hookRecord) bool { return r.event == "begin-postponed" })
	if s := g.sup(); s.State != "postponing cut-over" {
		t.Errorf("state %q after begin-postponed", s.State)
	}
	g.expectOK("unpostpone")
	g.succeed(2 * time.Minute)
	f.assertMigrated(f.before)

	recs := readHookLog(t, log)
	// Only the last run's records: a start retried after the self-abort bug has
	// run startup, validated and failure hooks before.
	if i := slices.IndexFunc(recs, func(r hookRecord) bool { return r.event == "startup" }); i >= 0 {
		for j := len(recs) - 1; j > i; j-- {
			if recs[j].event == "startup" {
				recs = recs[j:]
				break
			}
		}
	}
	var order []string
	sawStatusDuringCopy := false
	copying := false
	for _, r := range recs {
		switch r.event {
		case "status":
			if copying {
				sawStatusDuringCopy = true
				if !strings.Contains(r.statusLineText, "Copy: ") {
					t.Errorf("status hook GHOST_STATUS = %q, want the status line", r.statusLineText)
				}
			}
			continue
		case "interactive-command":
			if r.command == "" {
				t.Errorf("interactive-command hook without GHOST_COMMAND")
			}
			continue
		case "before-row-copy":
			copying = true
		case "row-copy-complete":
			copying = false
		}
		order = append(order, r.event)
	}
	want := []string{"startup", "validated", "rowcount-complete", "before-row-copy", "row-copy-complete",
		"begin-postponed", "before-cut-over", "gh-ost-success", "success"}
	if !slices.Equal(order, want) {
		t.Errorf("hook order:\n got  %v\n want %v", order, want)
	}
	if !sawStatusDuringCopy {
		t.Errorf("no status hook ran during the copy with --hooks-status-interval 1")
	}
	if i := slices.IndexFunc(recs, func(r hookRecord) bool { return r.event == "success" }); i >= 0 {
		for _, r := range recs[i+1:] {
			if r.event == "status" {
				t.Errorf("status hook after success")
			}
		}
	}
	for _, r := range recs {
		if r.db != f.db || r.table != f.table || r.ghostTable != f.ghostTbl || r.oldTable != f.delTbl || r.ddl != alterSQL ||
			r.hint != "ticket-42" || r.dryRun != "false" {
			t.Errorf("%s hook environment: %+v", r.event, r)
		}
		if n, err := strconv.ParseInt(r.estimated, 10, 64); r.event != "startup" && (err != nil || n <= 0) {
			t.Errorf("%s hook: GHOST_ESTIMATED_ROWS = %q", r.event, r.estimated)
		}
		if r.event == "success" && r.copied != strconv.Itoa(f.rows) {
			t.Errorf("success hook: GHOST_COPIED_ROWS = %q, want %d", r.copied, f.rows)
		}
	}
}

// TestHookVetoesCutOver: a failing before-cut-over hook stops the migration before
// the cut-over; the failure hook runs; nothing is left behind.
func TestHookVetoesCutOver(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 3000)
	dir, log := hooksDir(t, f, map[string]string{"before-cut-over": "echo 'not now' >&2; exit 1"})
	g := f.run("--hooks-path", dir, "--chunk-size", "1000")
	line := g.fail(2 * time.Minute)
	if !strings.Contains(line, "before-cut-over") || !strings.Contains(line, "exit status 1") {
		t.Errorf("error does not name the failing hook: %q", line)
	}
	f.assertUntouched()
	recs := readHookLog(t, log)
	if !slices.ContainsFunc(recs, func(r hookRecord) bool { return r.event == "failure" }) {
		t.Errorf("failure hook did not run; log: %+v", recs)
	}
	if slices.ContainsFunc(recs, func(r hookRecord) bool { return strings.HasSuffix(r.event, "success") }) {
		t.Errorf("success hook ran after a vetoed cut-over")
	}
}

// TestHookTimeout: a hook running past --hooks-timeout-seconds is killed and
// counts as failed.
func TestHookTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 3000)
	marker := filepath.Join(f.dir, "hook-finished")
	dir, _ := hooksDir(t, f, map[string]string{"before-cut-over": "sleep 20; touch " + marker})
	g := f.run("--hooks-path", dir, "--chunk-size", "1000", "--hooks-timeout-seconds", "1")
	start := time.Now()
	line := g.fail(2 * time.Minute)
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("ghost took %s to give up on a hook with a 1s timeout", d)
	}
	if !strings.Contains(line, "before-cut-over") || !strings.Contains(line, "timed out") {
		t.Errorf("error does not say the hook timed out: %q", line)
	}
	f.assertUntouched()
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("the timed-out hook ran to completion")
	}
}
