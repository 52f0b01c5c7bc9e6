package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ghostStopGrace is how long ghost may take to clean up after an interrupt before it is killed.
const ghostStopGrace = 30 * time.Second

// ghostRun is the outcome of one ghost process.
type ghostRun struct {
	Err      error  // nil when ghost exited 0
	DoneLine string // the final "Done: ..." line, "" when none was printed
	LastLine string // the last status line
	Duration time.Duration
}

// runGhost runs the ghost binary with args, copies its stdout (the status lines) to out with a
// prefix as they come, and writes its stderr (the log) to logPath. On ctx cancellation ghost gets
// SIGINT, so that it removes what it created, and is killed only after ghostStopGrace.
func runGhost(ctx context.Context, bin string, args []string, logPath string, out io.Writer) (ghostRun, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return ghostRun{}, fmt.Errorf("ghost log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stderr = logFile
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = ghostStopGrace
	// Its own process group: a terminal's Ctrl-C reaches only the demo, which forwards it once.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return ghostRun{}, fmt.Errorf("ghost stdout: %w", err)
	}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return ghostRun{}, fmt.Errorf("start %s: %w", bin, err)
	}
	var res ghostRun
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintf(out, "    ghost | %s\n", line)
		switch {
		case strings.HasPrefix(line, "Done:"):
			res.DoneLine = line
		case strings.HasPrefix(line, "Copy:"):
			res.LastLine = line
		}
	}
	res.Err = cmd.Wait()
	res.Duration = time.Since(begin)
	return res, nil
}

// tailFile returns the last n lines of a file (or a note why it cannot).
func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// doneFigures are the key numbers of ghost's final "Done: ..." line.
type doneFigures struct {
	RowsCopied   int64
	CopyTime     time.Duration
	RowsPerSec   float64
	CutOverBlock time.Duration
	HasRows      bool
	HasBlock     bool
}

// Two shapes of the Done line are understood:
//
//	Done: demo.orders migrated; rows copied: 1000000 in 14.211s (70368 rows/s); events applied: 0; cut-over blocked writes for 20ms; total 14.41s
//	Done: copied 100000 rows in 12s; applied 57 events; total 15s; writes blocked 0.250s during cut-over
var (
	doneRowsA  = regexp.MustCompile(`rows copied: (\d+) in ([0-9.]+[a-zµ]+(?:[0-9.]+[a-zµ]+)*)(?: \(([0-9.]+) rows/s\))?`)
	doneRowsB  = regexp.MustCompile(`copied (\d+) rows in ([0-9.]+[a-zµ]+(?:[0-9.]+[a-zµ]+)*)`)
	doneBlockA = regexp.MustCompile(`blocked writes for ([0-9.]+)ms`)
	doneBlockB = regexp.MustCompile(`writes blocked ([0-9.]+)s`)
)

// parseDone reads the figures it can find in a Done line.
func parseDone(line string) doneFigures {
	var f doneFigures
	m := doneRowsA.FindStringSubmatch(line)
	if m == nil {
		m = doneRowsB.FindStringSubmatch(line)
	}
	if m != nil {
		f.RowsCopied, _ = strconv.ParseInt(m[1], 10, 64)
		f.CopyTime, _ = time.ParseDuration(m[2])
		f.HasRows = true
		if len(m) > 3 && m[3] != "" {
			f.RowsPerSec, _ = strconv.ParseFloat(m[3], 64)
		} else if f.CopyTime > 0 {
			f.RowsPerSec = float64(f.RowsCopied) / f.CopyTime.Seconds()
		}
	}
	if m := doneBlockA.FindStringSubmatch(line); m != nil {
		ms, _ := strconv.ParseFloat(m[1], 64)
		f.CutOverBlock = time.Duration(ms * float64(time.Millisecond))
		f.HasBlock = true
	} else if m := doneBlockB.FindStringSubmatch(line); m != nil {
		s, _ := strconv.ParseFloat(m[1], 64)
		f.CutOverBlock = time.Duration(s * float64(time.Second))
		f.HasBlock = true
	}
	return f
}
