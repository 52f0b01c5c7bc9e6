package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/topology"
)

// run runs the CLI with args and returns its stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := newApp(&stdout, &stderr).RunContext(t.Context(), append([]string{"ghost-topology"}, args...))
	if stderr.Len() > 0 {
		t.Logf("stderr: %s", stderr.String())
	}
	return stdout.String(), err
}

func TestUpStatusDown(t *testing.T) {
	if os.Getenv(topology.EnvBackend) == topology.BackendDocker {
		t.Skip("local backend test")
	}
	dir := t.TempDir()
	state := filepath.Join(dir, stateFile)
	t.Cleanup(func() {
		// The servers are detached: never leave them behind, whatever failed.
		if topo, err := topology.Load(state); err == nil {
			_ = topo.Stop()
		}
	})

	out, err := run(t, "--dir", dir, "up")
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	topo, err := topology.Load(state)
	if err != nil {
		t.Fatalf("up wrote no usable state: %v", err)
	}
	for _, want := range []string{"primary  " + topo.Primary.Addr(), "replica  " + topo.Replica.Addr(),
		"bin/ghost --host=127.0.0.1 --port=" + strings.Split(topo.Replica.Addr(), ":")[1]} {
		if !strings.Contains(out, want) {
			t.Errorf("up output lacks %q:\n%s", want, out)
		}
	}
	if _, err := run(t, "--dir", dir, "up"); err == nil || !strings.Contains(err.Error(), "already up") {
		t.Errorf("second up: %v, want already up", err)
	}

	out, err = run(t, "--dir", dir, "status")
	if err != nil {
		t.Fatalf("status: %v\n%s", err, out)
	}
	if !strings.Contains(out, "replication io=Yes sql=Yes") || !strings.Contains(out, "not a replica") {
		t.Errorf("status output:\n%s", out)
	}

	if out, err = run(t, "--dir", dir, "down"); err != nil {
		t.Fatalf("down: %v", err)
	}
	for _, s := range topo.Servers() {
		if s.Running() {
			t.Errorf("%s still running after down", s.Name)
		}
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("state file still there after down (%v)", err)
	}
	if _, err := os.Stat(topo.Dir); !os.IsNotExist(err) {
		t.Errorf("%s still there after down (%v)", topo.Dir, err)
	}
	if out, err = run(t, "--dir", dir, "down"); err != nil || !strings.Contains(out, "nothing to stop") {
		t.Errorf("down without topology: %v, %q", err, out)
	}
	if _, err = run(t, "--dir", dir, "status"); err == nil {
		t.Error("status without topology succeeded")
	}
}
