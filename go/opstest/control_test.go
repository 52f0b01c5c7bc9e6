package opstest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPanicCommand: "panic" ends the run at once with a non-zero exit; the table is
// as it was and nothing the run created is left.
func TestPanicCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(slowCopy...)
	g.copying(30)
	reply := g.send("panic")
	if isError(reply) {
		t.Fatalf("panic: %s", reply)
	}
	start := time.Now()
	line := g.fail(30 * time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("ghost took %s to exit after panic", d)
	}
	if !strings.Contains(line, "panic") {
		t.Errorf("error does not say panic: %q", line)
	}
	f.assertUntouched()
}

// TestForceNamedPanic: with --force-named-panic, a bare "panic" or one naming
// another table is refused and the migration carries on; "panic=<table>" panics.
func TestForceNamedPanic(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(append(slowCopy, "--force-named-panic")...)
	g.copying(30)
	for _, c := range []string{"panic", "panic=other"} {
		reply := g.send(c)
		if !isError(reply) {
			t.Errorf("%s with --force-named-panic: reply %q, want ERROR", c, reply)
		}
	}
	if r := g.send("panic"); !strings.Contains(r, "panic="+f.table) || !strings.Contains(r, "--force-named-panic") {
		t.Errorf("refusal does not say how to panic: %q", r)
	}
	g.growing(g.sup().Copied)
	g.send("panic=" + f.table)
	line := g.fail(30 * time.Second)
	if !strings.Contains(line, "panic") {
		t.Errorf("error does not say panic: %q", line)
	}
	f.assertUntouched()
}

// TestPanicFlagFile: the panic flag file appearing ends the run at once.
func TestPanicFlagFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	panicFile := filepath.Join(f.dir, "panic.flag")
	g := f.run(append(slowCopy, "--panic-flag-file", panicFile)...)
	g.copying(30)
	if st := g.send("status"); !strings.Contains(st, "# panic-flag-file: "+panicFile+" [absent]") {
		t.Errorf("status does not show the panic flag file:\n%s", st)
	}
	touch(t, panicFile)
	start := time.Now()
	line := g.fail(30 * time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("ghost took %s to exit after the panic file appeared", d)
	}
	if !strings.Contains(line, "panic-flag-file") {
		t.Errorf("error does not name the panic flag file: %q", line)
	}
	f.assertUntouched()
}

// TestKnobs: the run-time settings read back what was set and take effect; bad
// values and unknown commands get ERROR replies, change nothing, and the migration
// carries on to success.
func TestKnobs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topo, 20000)
	g := f.run(append(slowCopy, "--dml-batch-size", "100")...)
	g.copying(30)

	read := func(knob string) string {
		t.Helper()
		r := g.send(knob + "=?")
		if isError(r) {
			t.Fatalf("%s=?: %s", knob, r)
		}
		return strings.TrimSpace(r)
	}
	for knob, want := range map[string]string{"chunk-size": "10", "dml-batch-size": "100", "max-lag-millis": "10000", "nice-ratio": "20"} {
		if got := read(knob); got != want {
			t.Errorf("%s=? = %q at start, want %q", knob, got, want)
		}
	}

	// Bad values and unknown commands.
	for _, c := range []string{
		"chunk-size=abc", "chunk-size=-5", "chunk-size=5", "chunk-size=1000000", "chunk-size",
		"dml-batch-size=0", "dml-batch-size=x", "max-lag-millis=50", "max-lag-millis=1.5",
		"nice-ratio=fast", "nice-ratio=-1", "nice-ratio=1000",
		"max-load=Threads_running", "max-load=Threads running=5", "max-load=Threads_running=-1",
		"critical-load=a=b", "throttle-http=ftp://example.com/", "chunk-sise=500", "frobnicate",
		"status=now", "throttle=" + f.table + "x",
	} {
		if r := g.send(c); !isError(r) {
			t.Errorf("%q: reply %q, want ERROR", c, firstWords(r))
		}
	}
	for knob, want := range map[string]string{"chunk-size": "10", "dml-batch-size": "100", "max-lag-millis": "10000", "nice-ratio": "20", "max-load": ""} {
		if got := read(knob); got != want {
			t.Errorf("%s=? = %q after refused commands, want %q unchanged", knob, got, want)
		}
	}
	if !g.running() {
		t.Fatalf("ghost stopped after bad commands: %s", errorLine(g.stderr.String()))
	}
	for _, c := range []string{"help", "status", "info", "coordinates", "applier", "inspector"} {
		if r := g.send(c); isError(r) || strings.TrimSpace(r) == "" {
			t.Errorf("%s: reply %q", c, firstWords(r))
		}
	}

	// Good values read back and show in status.
	for _, c := range []string{"dml-batch-size=5", "max-lag-millis=2500", "nice-ratio=0.5"} {
		g.expectOK(c)
	}
	s0 := g.sup()
	g.expectOK("chunk-size=37")
	for knob, want := range map[string]string{"chunk-size": "37", "dml-batch-size": "5", "max-lag-millis": "2500", "nice-ratio": "0.5"} {
		if got := read(knob); got != want {
			t.Errorf("%s=? = %q, want %q", knob, got, want)
		}
	}
	if st := g.send("status"); !strings.Contains(st, "chunk-size: 37; max-lag-millis: 2500ms; dml-batch-size: 5;") || !strings.Contains(st, "nice-ratio: 0.5") {
		t.Errorf("status does not show the new settings:\n%s", st)
	}

	// chunk-size takes effect: with consecutive ids every chunk copies exactly
	// chunk-size rows, so after the change the copied count grows by at most two
	// chunks of 10 (the one being copied and the one already handed out), then only
	// by whole chunks of 37.
	s1 := g.eventually("copy moving with chunk-size 37", 30*time.Second, func(s status) bool { return s.Copied > s0.Copied+20+3*37 })
	if d := s1.Copied - s0.Copied; d%37 != 0 && (d-10)%37 != 0 && (d-20)%37 != 0 {
		t.Errorf("copied %d -> %d: %d rows are not chunks of 37 after at most two of 10", s0.Copied, s1.Copied, d)
	}

	// Writes during the run are applied with the new batch size and are in the result.
	for i := 0; i < 20; i++ {
		f.write(fmt.Sprintf("INSERT INTO %s (id, a, b) VALUES (%d, %d, 'late')", f.table, 100000+i, i))
	}
	f.write(fmt.Sprintf("UPDATE %s SET b = 'updated' WHERE id <= 15", f.table))
	f.write(fmt.Sprintf("DELETE FROM %s WHERE id BETWEEN 16 AND 20", f.table))
	want := f.state(f.primary, f.table)

	g.speedUp()
	g.succeed(2 * time.Minute)
	f.assertMigrated(want)
}
