package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat: the kernel reports them in USER_HZ,
// which is 100 on every Linux architecture ghost-bench runs on.
const userHZ = 100

// processCPU returns the CPU time (user + system) a process has used so far, from
// /proc/<pid>/stat. CPU time is far less sensitive than wall time to other work on the machine.
func processCPU(pid int) (time.Duration, error) {
	if pid <= 0 {
		return 0, fmt.Errorf("no pid")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a /proc/<pid>/stat line. The command
// name (field 2) is in parentheses and may contain blanks, so fields are counted after the last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat line")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed stat line: %d fields", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] { // fields 14 and 15
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed stat line: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// CPU is the CPU time spent by each process during a measurement.
type CPU struct {
	Primary Dur `json:"primary"`
	Replica Dur `json:"replica"`
	Ghost   Dur `json:"ghost,omitempty"`
}

// Total is the sum over the processes.
func (c CPU) Total() Dur { return c.Primary + c.Replica + c.Ghost }

// cpuMark is a reading of the servers' CPU counters.
type cpuMark struct{ primary, replica time.Duration }

func (b *bencher) cpuNow() cpuMark {
	var m cpuMark
	m.primary, _ = processCPU(b.topo.Primary.PID)
	m.replica, _ = processCPU(b.topo.Replica.PID)
	return m
}

// hostMark is a reading of the machine-wide counters that other tenants of a shared host move:
// CPU time stolen by the hypervisor (/proc/stat) and the time in which every non-idle task
// waited for I/O (pressure stall information, /proc/pressure/io "full").
type hostMark struct {
	at            time.Time
	steal, total  time.Duration
	ioFull        time.Duration
	statOK, psiOK bool
}

func hostNow() hostMark {
	m := hostMark{at: time.Now()}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		m.steal, m.total, err = parseProcStat(string(b))
		m.statOK = err == nil
	}
	if b, err := os.ReadFile("/proc/pressure/io"); err == nil {
		m.ioFull, err = parsePressureFull(string(b))
		m.psiOK = err == nil
	}
	return m
}

// Host is what the machine went through during a run: stalls no process of the bench caused
// and that slow every one of them (docs/bench.md, "what the writers' stalls are").
type Host struct {
	StealPct       float64 `json:"steal_pct"`          // share of all CPUs' time stolen by the hypervisor; -1 unknown
	IOFullMsPerSec float64 `json:"io_full_ms_per_sec"` // ms per second in which all non-idle tasks waited for I/O; -1 unknown
}

// hostSince is the Host of the interval from m to now.
func hostSince(m hostMark) Host {
	h := Host{StealPct: -1, IOFullMsPerSec: -1}
	now := hostNow()
	wall := now.at.Sub(m.at)
	if m.statOK && now.statOK && now.total > m.total {
		h.StealPct = 100 * float64(now.steal-m.steal) / float64(now.total-m.total)
	}
	if m.psiOK && now.psiOK && wall > 0 {
		h.IOFullMsPerSec = float64((now.ioFull - m.ioFull).Milliseconds()) / wall.Seconds()
	}
	return h
}

// steal and ioStall format the two figures for the report's table; "?" when unknown.
func (h Host) steal() string {
	if h.StealPct < 0 {
		return "?"
	}
	return fmt.Sprintf("%.1f%%", h.StealPct)
}

func (h Host) ioStall() string {
	if h.IOFullMsPerSec < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0fms/s", h.IOFullMsPerSec)
}

// parseProcStat reads the steal time and the total of all fields of the aggregate "cpu" line of
// /proc/stat (user nice system idle iowait irq softirq steal ...; guest times are already in user
// and nice, so they are left out of the total).
func parseProcStat(stat string) (steal, total time.Duration, err error) {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("malformed /proc/stat cpu line %q", line)
	}
	var ticks int64
	for i, s := range f[1:9] { // user .. steal
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("malformed /proc/stat cpu line: %w", err)
		}
		ticks += n
		if i == 7 {
			steal = time.Duration(n) * time.Second / userHZ
		}
	}
	return steal, time.Duration(ticks) * time.Second / userHZ, nil
}

// parsePressureFull reads the "full" total (microseconds) of a /proc/pressure file.
func parsePressureFull(psi string) (time.Duration, error) {
	for _, line := range strings.Split(psi, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "full" {
			continue
		}
		for _, kv := range f[1:] {
			if v, ok := strings.CutPrefix(kv, "total="); ok {
				us, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return 0, fmt.Errorf("malformed pressure line %q", line)
				}
				return time.Duration(us) * time.Microsecond, nil
			}
		}
	}
	return 0, fmt.Errorf("no full line in pressure file")
}
