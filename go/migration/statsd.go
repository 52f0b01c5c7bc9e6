package migration

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/metrics"
)

// statsdNamespace prefixes every metric: gh-ost's names, so that its dashboards and
// alerts read ghost's metrics unchanged.
const statsdNamespace = "gh_ost."

// statsdLoop sends gh-ost's StatsD metrics to --statsd-addr while the run's goroutines run
// (docs/metrics.md): the progress, backlog and lag gauges every second, as gh-ost does on
// its status tick; throttle.active whenever the throttle decision changes and every
// second; the duration and count of each throttled interval when it ends; the Go runtime
// gauges every --runtime-metrics-interval. A last sample leaves when the run ends, so the
// final figures arrive.
//
// A metric that does not arrive must not stop a migration: a failed send is logged once
// and the loop carries on. Only an address that cannot be resolved ends the run, at its
// start, as gh-ost refuses to start with one.
func (m *Migration) statsdLoop(ctx context.Context) error {
	if m.cfg.StatsdAddr == "" {
		return nil
	}
	c, err := metrics.Dial(m.cfg.StatsdAddr, statsdNamespace, m.cfg.StatsdTags)
	if err != nil {
		return hint.New(fmt.Sprintf("--statsd-addr %s: %v", m.cfg.StatsdAddr, err),
			"name a StatsD agent that resolves (host:port or unix:///path), or drop --statsd-addr")
	}
	log := m.log.WithField("component", "statsd")
	warned := false
	flush := func() {
		if err := c.Flush(); err != nil && !warned {
			warned = true
			log.WithError(err).Warn("StatsD metrics are not arriving at --statsd-addr; the migration goes on without them (logged once)")
		}
	}
	defer func() {
		if err := c.Close(); err != nil {
			log.WithError(err).Debug("close the StatsD socket")
		}
	}()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var runtimeTick <-chan time.Time
	if iv := m.cfg.RuntimeMetricsInterval; iv > 0 {
		t := time.NewTicker(iv)
		defer t.Stop()
		runtimeTick = t.C
		sendRuntimeMetrics(c)
	}

	var th throttleInterval
	due := true // the progress gauges, at the start and then every second
	for {
		why, userChanged, changed := m.throttleState()
		th.observe(c, why, time.Now())
		if due {
			m.sendProgressMetrics(c, th.on)
			due = false
		}
		flush()
		select {
		case <-ctx.Done():
			m.sendProgressMetrics(c, th.on)
			flush()
			return nil
		case <-tick.C:
			due = true
		case <-runtimeTick:
			sendRuntimeMetrics(c)
		case <-userChanged:
		case <-changed:
		}
	}
}

// sendProgressMetrics sends the figures of the status line as gh-ost names them.
func (m *Migration) sendProgressMetrics(c *metrics.Client, throttled bool) {
	s := m.snapshot()
	estimate := s.EstimatedRows
	if s.CopyComplete {
		// As on the status line: once the copy is over, what it copied is the count.
		estimate = s.CopiedRows
	}
	c.Gauge("row_copy.rows_copied", float64(s.CopiedRows))
	c.Gauge("row_copy.rows_estimate", float64(estimate))
	c.Gauge("dml.events_applied", float64(s.AppliedEvents))
	c.Gauge("binlog.backlog_size", float64(s.BacklogLen))
	c.Gauge("binlog.backlog_capacity", float64(s.BacklogCap))
	c.Gauge("binlog.backlog_utilization", utilization(s.BacklogLen, s.BacklogCap))
	tag := fmt.Sprintf("throttled:%t", throttled)
	c.Gauge("lag.replication_seconds", s.ReplicaLag.Seconds(), tag)
	c.Gauge("lag.heartbeat_seconds", s.HeartbeatLag.Seconds(), tag)
	c.Gauge("throttle.active", boolGauge(throttled))
}

func utilization(n, capacity int) float64 {
	if capacity <= 0 || n <= 0 {
		return 0
	}
	return min(float64(n)/float64(capacity), 1)
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// sendRuntimeMetrics sends gh-ost's Go runtime gauges.
func sendRuntimeMetrics(c *metrics.Client) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	c.Gauge("go_runtime.alloc_bytes", float64(ms.Alloc))
	c.Gauge("go_runtime.sys_bytes", float64(ms.Sys))
	c.Gauge("go_runtime.heap_inuse_bytes", float64(ms.HeapInuse))
	c.Gauge("go_runtime.num_gc", float64(ms.NumGC))
	c.Gauge("go_runtime.gc_pause_total_ns", float64(ms.PauseTotalNs))
	c.Gauge("go_runtime.goroutines", float64(runtime.NumGoroutine()))
}

// throttleInterval follows the throttle decision from one change to the next.
type throttleInterval struct {
	on     bool
	reason string // the cause that started the interval, without its figures
	since  time.Time
}

// observe notes the current reason to throttle ("" for none). An interval starts when
// throttling starts and ends when nothing throttles any more; a change of cause in
// between does not end it. Its end sends its duration and one event, tagged with the
// cause that started it.
func (t *throttleInterval) observe(c *metrics.Client, why string, now time.Time) {
	switch {
	case why != "" && !t.on:
		*t = throttleInterval{on: true, reason: throttleCause(why), since: now}
		c.Gauge("throttle.active", 1)
	case why == "" && t.on:
		tag := "reason:" + t.reason
		c.Histogram("throttle.duration_milliseconds", float64(now.Sub(t.since).Milliseconds()), tag)
		c.Count("throttle.events_total", 1, tag)
		c.Gauge("throttle.active", 0)
		*t = throttleInterval{}
	}
}

// throttleCause is a throttle reason without its figures: "lag=2.1s" is "lag",
// "max-load Threads_running=30 >= 25" is "max-load Threads_running". The figures change
// every collection; a tag holding them would make a new series each time.
func throttleCause(why string) string {
	var kept []string
	for _, w := range strings.Fields(why) {
		if name, _, ok := strings.Cut(w, "="); ok {
			if name != "" {
				kept = append(kept, name)
			}
			break
		}
		if w[0] >= '0' && w[0] <= '9' {
			break
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return "throttled"
	}
	return strings.TrimSuffix(strings.Join(kept, " "), ":")
}
