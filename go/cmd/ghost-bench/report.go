package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ghost-osc/ghost/go/loadgen"
)

// Dur is a duration that reads as seconds in JSON (0.123), so that the file is easy to use.
type Dur time.Duration

// MarshalJSON writes the duration in seconds with microsecond precision.
func (d Dur) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(time.Duration(d).Seconds(), 'f', 6, 64)), nil
}

// UnmarshalJSON reads seconds.
func (d *Dur) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*d = Dur(f * float64(time.Second))
	return nil
}

// D returns the time.Duration.
func (d Dur) D() time.Duration { return time.Duration(d) }

// Report is the whole result of one ghost-bench invocation (the JSON file).
type Report struct {
	Started     time.Time `json:"started"`
	Command     []string  `json:"command"`
	Machine     Machine   `json:"machine"`
	Rows        int64     `json:"rows"`
	LoadRate    float64   `json:"load_rate"`
	LoadWorkers int       `json:"load_workers"`
	FastArgs    []string  `json:"fast_args"`
	TopologyDir string    `json:"topology_dir"`

	LoadTime  Dur        `json:"load_time"` // filling the source table, replica caught up
	Baselines *Baselines `json:"baselines,omitempty"`
	// InsertSelectRef is the INSERT ... SELECT time the ratios divide by: the median of baseline
	// (a) and every run's table preparation (the same statement on the same data).
	InsertSelectRef    Dur    `json:"insert_select_ref"`
	InsertSelectSource string `json:"insert_select_source"`

	Runs     []*GhostRun `json:"runs"`
	Apply    *ApplyRun   `json:"apply,omitempty"`
	Duration Dur         `json:"duration"`
}

// Machine describes where the bench ran.
type Machine struct {
	CPUs          int      `json:"cpus"`
	GoVersion     string   `json:"go_version"`
	Server        string   `json:"server"` // flavor and version
	GhostVersion  string   `json:"ghost_version"`
	BufferPool    string   `json:"buffer_pool"`
	RedoLog       string   `json:"redo_log"`
	ServerArgs    []string `json:"server_args,omitempty"`
	GhostBinary   string   `json:"ghost_binary"`
	LoadAvgStart  string   `json:"loadavg_start"` // /proc/loadavg: other work on the machine skews everything
	LoadAvgEnd    string   `json:"loadavg_end"`
	TopologyLocal bool     `json:"topology_local"`
}

// Baselines are the server's own ways of doing the copy, on the primary.
type Baselines struct {
	// InsertSelect is `INSERT INTO copy SELECT * FROM sbtest_src` on an empty copy.
	InsertSelect Dur `json:"insert_select"`
	// InsertSelectReplica is how much longer the replica took to apply it.
	InsertSelectReplica Dur `json:"insert_select_replica_extra"`
	// AlterCopy is `ALTER TABLE copy2 ADD COLUMN x INT, ALGORITHM=COPY` on an identical copy.
	AlterCopy        Dur `json:"alter_copy"`
	AlterCopyReplica Dur `json:"alter_copy_replica_extra"`
	// CPU time of the servers: the primary during the statement, the replica until it had
	// applied it.
	InsertSelectCPU CPU `json:"insert_select_cpu"`
	AlterCopyCPU    CPU `json:"alter_copy_cpu"`
	// ServerCopyLoaded is (c): the same INSERT ... SELECT into another table while the load
	// writes sbtest1, and what the writers saw: the latency any big copy on these servers costs
	// them, with no lock of ghost's in the way. Only with --load-rate > 0.
	ServerCopyLoaded     Dur         `json:"server_copy_loaded,omitempty"`
	ServerCopyLoadedLoad *LoadReport `json:"server_copy_loaded_load,omitempty"`
}

// GhostRun is one ghost migration and what was measured around it.
type GhostRun struct {
	Name     string   `json:"name"`
	Args     []string `json:"args"` // the extra arguments (default: none)
	Command  string   `json:"command"`
	LoadRate float64  `json:"load_rate"`

	PrepareInsertSelect Dur `json:"prepare_insert_select"` // creating the fresh table (INSERT ... SELECT)
	Settle              Dur `json:"settle"`                // waiting for the servers to be idle before the run

	Wall     Dur       `json:"wall"` // process start to exit
	Error    string    `json:"error,omitempty"`
	Tail     []string  `json:"stderr_tail,omitempty"`
	Done     *DoneLine `json:"done,omitempty"`
	Phases   Phases    `json:"phases"`
	Warnings []LogLine `json:"log,omitempty"` // phase lines, warnings, errors

	RowsCopied   int64   `json:"rows_copied"`
	CopyTime     Dur     `json:"copy_time"`
	RowsPerSec   float64 `json:"rows_per_sec"`
	Events       int64   `json:"events_applied"`
	EventsPerSec float64 `json:"events_per_sec"` // events / (cut-over start - copy start)
	CutOverBlock Dur     `json:"cut_over_block"`
	HasBlock     bool    `json:"has_cut_over_block"`

	WallRatio float64 `json:"wall_to_insert_select"` // Wall / InsertSelectRef
	CopyRatio float64 `json:"copy_to_insert_select"` // CopyTime / InsertSelectRef
	// Checksum is the checksum's time before the cut-over; ChecksumRatio is it / CopyTime
	// (issue 15's cost target: at most 0.3 on the idle run).
	Checksum Dur `json:"checksum"`
	// RowLockWaits are the primary's InnoDB row lock waits: the load's own before ghost, and
	// during the copy (--copy=snapshot should add none).
	RowLockWaits  *RowLockWaits `json:"row_lock_waits,omitempty"`
	ChecksumRatio float64       `json:"checksum_to_copy,omitempty"`
	// OwnIdleRatio is a loaded run's Wall / Wall of the unloaded run with the same arguments.
	OwnIdleRatio float64 `json:"wall_to_own_idle,omitempty"`

	// CPU time from ghost's start: the primary until ghost exited, the replica until it had
	// caught up, ghost's own process. Under load it includes the load's writes.
	CPU      CPU     `json:"cpu"`
	CPURatio float64 `json:"cpu_to_insert_select"` // CPU.Total / Baselines.InsertSelectCPU.Total
	// Host: CPU steal and I/O stall of the whole machine from ghost's start to its exit.
	Host Host `json:"host"`
	// ReplicatedRatio compares the time until the replica has the result too: (Wall +
	// ReplicaCatchUp) / (InsertSelect + InsertSelectReplica). ghost's copy replicates chunk by
	// chunk while it runs; the server's single statement only after it ends.
	ReplicatedRatio float64 `json:"replicated_to_insert_select_replicated"`

	StatusLines      int          `json:"status_lines"`
	ThrottledLines   int          `json:"throttled_lines"`
	ThrottleStates   []string     `json:"throttle_states,omitempty"`
	MaxBacklog       int          `json:"max_backlog"`
	BacklogCap       int          `json:"backlog_cap"`
	GhostLagPeak     Dur          `json:"ghost_lag_peak"` // the Lag: of ghost's status lines
	GhostHBLagPeak   Dur          `json:"ghost_heartbeat_lag_peak,omitempty"`
	ReplicaLag       ReplicaLag   `json:"replica_lag"`
	ReplicaCatchUp   Dur          `json:"replica_catch_up"` // ghost exit to replica caught up
	Status           []StatusLine `json:"status"`
	Load             *LoadReport  `json:"load,omitempty"`
	Verify           Verify       `json:"verify"`
	StdoutLog        string       `json:"stdout_log"`
	StderrLog        string       `json:"stderr_log"`
	ReplicaLagSeries []LagSample  `json:"replica_lag_series,omitempty"`
}

// ReplicaLag is the replica's lag during a run, measured two ways.
type ReplicaLag struct {
	// SBMPeak is the largest Seconds_Behind_Master of SHOW SLAVE STATUS (whole seconds; the server
	// computes it from the timestamp of the event being applied).
	SBMPeak int64 `json:"sbm_peak_seconds"`
	// HeartbeatPeak is the largest age of ghost-bench's own heartbeat row on the replica (written
	// on the primary every 100ms, read on the replica every 250ms).
	HeartbeatPeak Dur `json:"heartbeat_peak"`
	Samples       int `json:"samples"`
}

// LagSample is one poll of the replica.
type LagSample struct {
	At        Dur   `json:"at"` // since ghost started
	SBM       int64 `json:"sbm"`
	Heartbeat Dur   `json:"heartbeat"`
}

// Verify is what was checked after the run.
type Verify struct {
	ColumnAdded  bool   `json:"column_added"`  // on primary and replica
	ContentMatch *bool  `json:"content_match"` // without load: new table's id,k,c,pad == source
	ReplicaMatch *bool  `json:"replica_match"` // primary's table == replica's table
	Note         string `json:"note,omitempty"`
}

// OK tells whether every check that ran passed.
func (v Verify) OK() bool {
	return v.ColumnAdded && (v.ContentMatch == nil || *v.ContentMatch) && (v.ReplicaMatch == nil || *v.ReplicaMatch)
}

// LoadReport is the writers' side of a run under load.
type LoadReport struct {
	Rate    float64 `json:"rate"`
	Workers int     `json:"workers"`
	// Latency from the scheduled time, in the named intervals.
	Before        Latency `json:"before"`          // the warm-up before ghost started (first second skipped)
	DuringCopy    Latency `json:"during_copy"`     // copy start to copy end
	AcrossCutOver Latency `json:"across_cut_over"` // cut-over start - 2s to cut-over end + 2s
	Whole         Latency `json:"whole"`

	Errors    map[string]int64              `json:"errors,omitempty"` // whole run, by MySQL error number
	Totals    map[string]loadgen.KindTotals `json:"totals"`
	Due       int64                         `json:"due"`
	Sent      int64                         `json:"sent"`
	StoppedBy string                        `json:"stopped_by"`
	PerSecond []Latency                     `json:"per_second"` // from the load's start
	// P99Ratio is DuringCopy.P99 / Before.P99: what the copy did to the writers' p99.
	P99Ratio float64 `json:"p99_copy_to_before,omitempty"`
}

// p99Ratio is l.DuringCopy.P99 / l.Before.P99, 0 when either is missing.
func (l *LoadReport) p99Ratio() float64 {
	if l.Before.P99 <= 0 || l.DuringCopy.P99 <= 0 {
		return 0
	}
	return l.DuringCopy.P99 / l.Before.P99
}

// Latency summarises loadgen.Summary in milliseconds.
type Latency struct {
	From   Dur              `json:"from"` // since ghost started (negative: before)
	To     Dur              `json:"to"`
	Writes int64            `json:"writes"`
	Errors map[string]int64 `json:"errors,omitempty"`
	P50    float64          `json:"p50_ms"`
	P99    float64          `json:"p99_ms"`
	Max    float64          `json:"max_ms"`
	Mean   float64          `json:"mean_ms"`
}

func latency(s loadgen.Summary, origin time.Time) Latency {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	return Latency{
		From: Dur(s.From.Sub(origin)), To: Dur(s.To.Sub(origin)),
		Writes: s.Writes, Errors: s.Errors,
		P50: ms(s.P50), P99: ms(s.P99), Max: ms(s.Max), Mean: ms(s.Mean),
	}
}

func (l Latency) String() string {
	if l.Writes == 0 {
		return "-"
	}
	return fmt.Sprintf("%s / %s / %s", fmtMS(l.P50), fmtMS(l.P99), fmtMS(l.Max))
}

func fmtMS(ms float64) string {
	switch {
	case ms >= 1000:
		return fmt.Sprintf("%.2fs", ms/1000)
	case ms >= 10:
		return fmt.Sprintf("%.0fms", ms)
	default:
		return fmt.Sprintf("%.1fms", ms)
	}
}

func fmtDur(d Dur) string {
	t := time.Duration(d)
	switch {
	case t == 0:
		return "-"
	case t < time.Second:
		return fmt.Sprintf("%dms", t.Milliseconds())
	default:
		return fmt.Sprintf("%.2fs", t.Seconds())
	}
}

func fmtRate(f float64) string {
	if f <= 0 {
		return "-"
	}
	return strconv.FormatFloat(math.Round(f), 'f', 0, 64)
}

func fmtRatio(f float64) string {
	if f <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", f)
}

// printReport writes the human-readable tables.
func printReport(w io.Writer, r *Report) {
	fmt.Fprintf(w, "\nghost-bench: %d rows, %s, %d CPUs, buffer pool %s, redo log %s, ghost %s\n", r.Rows, r.Machine.Server, r.Machine.CPUs, r.Machine.BufferPool, r.Machine.RedoLog, r.Machine.GhostVersion)
	fmt.Fprintf(w, "  load average at start %s, at end %s\n", r.Machine.LoadAvgStart, r.Machine.LoadAvgEnd)
	fmt.Fprintf(w, "  source table loaded in %s\n", fmtDur(r.LoadTime))
	if b := r.Baselines; b != nil {
		fmt.Fprintf(w, "  (a) INSERT INTO copy SELECT * FROM sbtest_src:        %s  (replica applied it %s later; CPU %s)\n",
			fmtDur(b.InsertSelect), fmtDur(b.InsertSelectReplica), b.InsertSelectCPU)
		fmt.Fprintf(w, "  (b) ALTER TABLE copy2 ADD COLUMN x INT, ALGORITHM=COPY: %s  (replica applied it %s later; CPU %s)\n",
			fmtDur(b.AlterCopy), fmtDur(b.AlterCopyReplica), b.AlterCopyCPU)
	}
	if b := r.Baselines; b != nil && b.ServerCopyLoadedLoad != nil {
		l := b.ServerCopyLoadedLoad
		fmt.Fprintf(w, "  (c) (a) again while %v writes/s hit sbtest1:          %s  (writers p50/p99/max before %s, during %s; p99 %s)\n",
			l.Rate, fmtDur(b.ServerCopyLoaded), l.Before, l.DuringCopy, fmtRatio(l.P99Ratio))
	}
	fmt.Fprintf(w, "  ratios divide by INSERT ... SELECT = %s (%s)\n", fmtDur(r.InsertSelectRef), r.InsertSelectSource)
	fmt.Fprintf(w, "  ghost runs: default = no extra arguments; fast = %s\n\n", strings.Join(r.FastArgs, " "))
	if len(r.Runs) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(label string, f func(*GhostRun) string) {
		cells := []string{label}
		for _, run := range r.Runs {
			cells = append(cells, f(run))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	row("", func(g *GhostRun) string { return g.Name })
	row("load (writes/s)", func(g *GhostRun) string { return fmtRate(g.LoadRate) })
	row("result", func(g *GhostRun) string {
		switch {
		case g.Error != "":
			return "FAILED"
		case !g.Verify.OK():
			return "WRONG"
		default:
			return "ok"
		}
	})
	row("wall time", func(g *GhostRun) string { return fmtDur(g.Wall) })
	row("copy time", func(g *GhostRun) string { return fmtDur(g.CopyTime) })
	row("rows copied", func(g *GhostRun) string { return strconv.FormatInt(g.RowsCopied, 10) })
	row("copy rows/s", func(g *GhostRun) string { return fmtRate(g.RowsPerSec) })
	row("wall / INSERT..SELECT", func(g *GhostRun) string { return fmtRatio(g.WallRatio) })
	row("copy / INSERT..SELECT", func(g *GhostRun) string { return fmtRatio(g.CopyRatio) })
	row("row lock waits/s before/copy", func(g *GhostRun) string {
		if g.RowLockWaits == nil {
			return "-"
		}
		return fmt.Sprintf("%.1f/%.1f", g.RowLockWaits.BeforePerSec, g.RowLockWaits.CopyPerSec)
	})
	row("checksum time", func(g *GhostRun) string { return fmtDur(g.Checksum) })
	row("checksum / copy", func(g *GhostRun) string { return fmtRatio(g.ChecksumRatio) })
	row("wall / own idle run", func(g *GhostRun) string { return fmtRatio(g.OwnIdleRatio) })
	row("CPU primary/replica/ghost", func(g *GhostRun) string { return g.CPU.String() })
	row("CPU / INSERT..SELECT CPU", func(g *GhostRun) string { return fmtRatio(g.CPURatio) })
	row("host CPU steal", func(g *GhostRun) string { return g.Host.steal() })
	row("host I/O stall (PSI full)", func(g *GhostRun) string { return g.Host.ioStall() })
	row("on replica too / same for I..S", func(g *GhostRun) string { return fmtRatio(g.ReplicatedRatio) })
	row("events applied", func(g *GhostRun) string { return strconv.FormatInt(g.Events, 10) })
	row("events/s", func(g *GhostRun) string { return fmtRate(g.EventsPerSec) })
	row("max backlog", func(g *GhostRun) string { return fmt.Sprintf("%d/%d", g.MaxBacklog, g.BacklogCap) })
	row("throttled status lines", func(g *GhostRun) string { return fmt.Sprintf("%d/%d", g.ThrottledLines, g.StatusLines) })
	row("cut-over blocked writes", func(g *GhostRun) string {
		if !g.HasBlock {
			return "?"
		}
		return fmt.Sprintf("%dms", g.CutOverBlock.D().Milliseconds())
	})
	row("ghost Lag: peak", func(g *GhostRun) string { return fmtDur(g.GhostLagPeak) })
	row("ghost HeartbeatLag: peak", func(g *GhostRun) string { return fmtDur(g.GhostHBLagPeak) })
	row("replica lag peak (heartbeat)", func(g *GhostRun) string { return fmtDur(g.ReplicaLag.HeartbeatPeak) })
	row("replica lag peak (SBM, s)", func(g *GhostRun) string { return strconv.FormatInt(g.ReplicaLag.SBMPeak, 10) })
	row("replica caught up after exit", func(g *GhostRun) string { return fmtDur(g.ReplicaCatchUp) })
	loadRow := func(label string, f func(*LoadReport) string) {
		row(label, func(g *GhostRun) string {
			if g.Load == nil {
				return "-"
			}
			return f(g.Load)
		})
	}
	loadRow("writers p50/p99/max before", func(l *LoadReport) string { return l.Before.String() })
	loadRow("  during copy", func(l *LoadReport) string { return l.DuringCopy.String() })
	loadRow("  p99 during copy / before", func(l *LoadReport) string { return fmtRatio(l.P99Ratio) })
	loadRow("  across cut-over (±2s)", func(l *LoadReport) string { return l.AcrossCutOver.String() })
	loadRow("writes ok/sent (due)", func(l *LoadReport) string {
		var ok int64
		for _, t := range l.Totals {
			ok += t.OK
		}
		return fmt.Sprintf("%d/%d (%d)", ok, l.Sent, l.Due)
	})
	loadRow("writer errors", func(l *LoadReport) string { return fmtErrors(l.Errors) })
	tw.Flush()
	for _, run := range r.Runs {
		if run.Error != "" {
			fmt.Fprintf(w, "\n%s: %s\n", run.Name, run.Error)
		}
		if run.Verify.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", run.Name, run.Verify.Note)
		}
	}
	if a := r.Apply; a != nil {
		fmt.Fprintf(w, "\napply capacity (default settings; %d-row table copied, then throttled bursts drained):\n", a.Rows)
		for _, bu := range a.Bursts {
			fmt.Fprintf(w, "  %-26s %7d events in %5d transactions: written in %s, applied in %s = %s events/s\n",
				bu.Name+":", bu.RowEvents, bu.Transactions, fmtDur(bu.Write), fmtDur(bu.Drain), fmtRate(bu.EventsPerSec))
		}
		switch {
		case a.Error != "":
			fmt.Fprintf(w, "  FAILED: %s\n", a.Error)
		case !a.Verify.OK():
			fmt.Fprintf(w, "  WRONG: %s\n", a.Verify.Note)
		default:
			fmt.Fprintf(w, "  result ok: the migrated table equals the old one (which took the writes directly) and its replica copy\n")
		}
	}
	fmt.Fprintf(w, "\nghost output: %s\n", filepath.Dir(r.Runs[0].StdoutLog))
}

func fmtErrors(m map[string]int64) string {
	if len(m) == 0 {
		return "0"
	}
	var parts []string
	for _, code := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s:%d", code, m[code]))
	}
	return strings.Join(parts, " ")
}

func sortedKeys(m map[string]int64) []string { return slices.Sorted(maps.Keys(m)) }

func writeJSON(path string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// String is "primary/replica[/ghost]" in seconds.
func (c CPU) String() string {
	if c.Total() == 0 {
		return "-"
	}
	s := fmt.Sprintf("%.1f/%.1f", c.Primary.D().Seconds(), c.Replica.D().Seconds())
	if c.Ghost > 0 {
		s += fmt.Sprintf("/%.1f", c.Ghost.D().Seconds())
	}
	return s + "s"
}
