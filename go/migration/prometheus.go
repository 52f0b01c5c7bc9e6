package migration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/ghost-osc/ghost/go/hint"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// promCollector reads the migration's figures at every scrape (docs/metrics.md): nothing is
// kept twice, and a scrape never waits for the migration.
type promCollector struct {
	m     *Migration
	descs map[string]*prometheus.Desc
}

// promMetrics are the gauges and counters served on --metrics-address, with their help.
var promMetrics = []struct {
	name, help string
	labels     []string
}{
	{"ghost_state", "1 for the migration's current state (label state), 0 for the others", []string{"state"}},
	{"ghost_rows_copied_total", "rows copied into the ghost table (resumed runs included)", nil},
	{"ghost_rows_estimated", "rows of the table, estimated (or counted with --exact-rowcount)", nil},
	{"ghost_copy_rows_per_second", "average copy rate since the copy began", nil},
	{"ghost_events_applied_total", "row changes from the binlog applied to the ghost table", nil},
	{"ghost_backlog_transactions", "transactions read from the binlog and not applied yet", nil},
	{"ghost_backlog_capacity", "transactions the backlog holds at most", nil},
	{"ghost_replica_lag_seconds", "replication lag of the inspected replica", nil},
	{"ghost_heartbeat_lag_seconds", "age of the last heartbeat read back through the binlog", nil},
	{"ghost_throttled", "1 while throttled, with the reason as a label", []string{"reason"}},
	{"ghost_chunk_size_rows", "rows per copy chunk now", nil},
	{"ghost_chunk_seconds", "duration of the last chunk's transaction", nil},
	{"ghost_cut_over_attempts_total", "cut-over attempts (and checksum consistent points) made", nil},
	{"ghost_cut_over_blocked_seconds", "how long the cut-over blocked writes (0 before it)", nil},
	{"ghost_checkpoint_age_seconds", "age of the last checkpoint, once there is one", nil},
	{"ghost_checksum_chunks", "chunks of the last checksum, by result (checked, differed, repaired)", []string{"result"}},
}

func newPromCollector(m *Migration) *promCollector {
	c := &promCollector{m: m, descs: map[string]*prometheus.Desc{}}
	constLabels := prometheus.Labels{"database": m.cfg.Database, "table": m.cfg.Table}
	for _, p := range promMetrics {
		c.descs[p.name] = prometheus.NewDesc(p.name, p.help, p.labels, constLabels)
	}
	return c
}

func (c *promCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *promCollector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	s := m.snapshot()
	gauge := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v, labels...)
	}
	counter := func(name string, v float64) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.CounterValue, v)
	}
	now := m.State()
	for st := StateInit; st <= StateFailed; st++ {
		v := 0.0
		if st == now {
			v = 1
		}
		gauge("ghost_state", v, st.String())
	}
	counter("ghost_rows_copied_total", float64(s.CopiedRows))
	gauge("ghost_rows_estimated", float64(s.EstimatedRows))
	if s.CopyElapsed > 0 {
		gauge("ghost_copy_rows_per_second", float64(s.CopiedRows-m.copiedBefore)/s.CopyElapsed.Seconds())
	} else {
		gauge("ghost_copy_rows_per_second", 0)
	}
	counter("ghost_events_applied_total", float64(s.AppliedEvents))
	gauge("ghost_backlog_transactions", float64(s.BacklogLen))
	gauge("ghost_backlog_capacity", float64(s.BacklogCap))
	gauge("ghost_replica_lag_seconds", s.ReplicaLag.Seconds())
	gauge("ghost_heartbeat_lag_seconds", s.HeartbeatLag.Seconds())
	throttled := 0.0
	if s.ThrottleReason != "" {
		throttled = 1
	}
	gauge("ghost_throttled", throttled, s.ThrottleReason)
	if m.settings != nil {
		gauge("ghost_chunk_size_rows", float64(m.settings.ChunkSize()))
	}
	gauge("ghost_chunk_seconds", time.Duration(m.lastChunk.Load()).Seconds())
	counter("ghost_cut_over_attempts_total", float64(m.lockAttempts.Load()))
	gauge("ghost_cut_over_blocked_seconds", m.blockedFor().Seconds())
	if s.Checkpointed {
		gauge("ghost_checkpoint_age_seconds", s.CheckpointAge.Seconds())
	}
	if r := m.checksumDone.Load(); r != nil {
		gauge("ghost_checksum_chunks", float64(r.chunks), "checked")
		gauge("ghost_checksum_chunks", float64(r.differed), "differed")
		gauge("ghost_checksum_chunks", float64(r.repaired), "repaired")
	}
}

// serveMetrics serves Prometheus metrics on --metrics-address for as long as the run lives;
// it returns once listening, or with an error when the address cannot be bound.
func (m *Migration) serveMetrics(ctx context.Context) (stop func(), err error) {
	addr := m.cfg.MetricsAddress
	if addr == "" {
		return func() {}, nil
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(newPromCollector(m)); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, hint.New(fmt.Sprintf("--metrics-address %s: %v", addr, err), "name a free host:port to serve metrics on, or drop --metrics-address")
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.WithError(err).Warn("the metrics server stopped")
		}
	}()
	m.log.WithField("address", ln.Addr().String()).Info("serving Prometheus metrics on /metrics")
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}
