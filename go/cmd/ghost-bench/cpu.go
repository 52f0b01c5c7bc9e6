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
