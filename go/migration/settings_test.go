package migration

import (
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/control"
)

// TestSettings: every knob the socket can change is checked against the flags' bounds, read
// back as set, and a chunk size set by the operator stops steering.
func TestSettings(t *testing.T) {
	cfg := config.Defaults()
	cfg.MaxLoad = "Threads_running=25"
	s, err := newSettings(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newSettings(config.Config{MaxLoad: "Threads_running"}); err == nil || !strings.Contains(err.Error(), "--max-load") {
		t.Errorf("bad --max-load: %v", err)
	}
	for _, c := range []struct {
		name, value, want, err string
	}{
		{control.KnobChunkSize, "500", "500", ""},
		{control.KnobChunkSize, "5", "", "between 10 and 100000"},
		{control.KnobDMLBatchSize, "10000", "10000", ""},
		{control.KnobDMLBatchSize, "10001", "", "between 1 and 10000"},
		{control.KnobDMLBatchSize, "0", "", "between 1 and 10000"},
		{control.KnobMaxLagMillis, "2500", "2500", ""},
		{control.KnobMaxLagMillis, "99", "", "at least 100"},
		{control.KnobNiceRatio, "0.5", "0.5", ""},
		{control.KnobNiceRatio, "101", "", "between 0 and 100"},
		{control.KnobMaxLoad, "Threads_running=30,Threads_connected=400", "Threads_connected=400,Threads_running=30", ""},
		{control.KnobMaxLoad, "nonsense", "", ""},
		{control.KnobCriticalLoad, "Threads_running=90", "Threads_running=90", ""},
		{control.KnobThrottleQuery, "SELECT 0", "SELECT 0", ""},
		{control.KnobThrottleHTTP, "ftp://x", "", "http:// or https://"},
		{control.KnobThrottleHTTP, "http://127.0.0.1:1/t", "http://127.0.0.1:1/t", ""},
		{"no-such-knob", "1", "", "unknown setting"},
	} {
		err := s.set(c.name, c.value)
		if c.want == "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("set %s=%s: error %v, want one saying %q", c.name, c.value, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("set %s=%s: %v", c.name, c.value, err)
			continue
		}
		if got, err := s.get(c.name); err != nil || got != c.want {
			t.Errorf("get %s after setting %s: %q, %v; want %q", c.name, c.value, got, err, c.want)
		}
	}
	s.steer(777)
	if s.ChunkSize() != 500 {
		t.Errorf("steering changed the chunk size the operator set: %d", s.ChunkSize())
	}
	fresh, _ := newSettings(cfg)
	fresh.steer(777)
	if fresh.ChunkSize() != 777 {
		t.Errorf("steering did not set the chunk size: %d", fresh.ChunkSize())
	}
}
