package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ghostOutput is what one ghost process printed, parsed as it arrived.
type ghostOutput struct {
	mu      sync.Mutex
	status  []StatusLine
	logs    []LogLine // info lines that mark phases, and every warning and error
	done    *DoneLine
	tail    []string // last lines of stderr that were not logrus lines, and error lines
	phases  Phases
	started time.Time
	cpu     time.Duration // the process's user + system time
}

// Phases are the moments of a ghost run, as offsets from the process start; 0 means unknown.
type Phases struct {
	CopyStart    Dur `json:"copy_start"`
	CopyEnd      Dur `json:"copy_end"`
	CutOverStart Dur `json:"cut_over_start"`
	CutOverEnd   Dur `json:"cut_over_end"`
	Exit         Dur `json:"exit"`
	// Source says where the phases came from: "log" (ghost --verbose lines) or "status"
	// (status lines and the exit, when the log lines were missing).
	Source          string `json:"source"`
	CutOverAttempts int    `json:"cut_over_attempts"`
}

const tailLines = 20

func (o *ghostOutput) line(stream string, at time.Duration, line string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if stream == "stdout" {
		if s, ok := parseStatusLine(line); ok {
			s.At = at
			o.status = append(o.status, s)
			return
		}
		if d, ok := parseDoneLine(line); ok {
			o.done = &d
			return
		}
	}
	l, ok := parseLogLine(line)
	if !ok {
		o.addTail(line)
		return
	}
	l.At = at
	keep := l.Level != "info" && l.Level != "debug"
	switch {
	case l.Msg == "state" && l.Fields["state"] == "migrating":
		o.phases.CopyStart, keep = Dur(at), true
	case l.Msg == "row copy complete":
		o.phases.CopyEnd, keep = Dur(at), true
	case l.Msg == "state" && l.Fields["state"] == "cutting over":
		if o.phases.CutOverStart == 0 {
			o.phases.CutOverStart = Dur(at)
		}
		o.phases.CutOverAttempts++
		keep = true
	case l.Msg == "cut-over complete":
		o.phases.CutOverEnd, keep = Dur(at), true
	}
	if keep {
		o.logs = append(o.logs, l)
	}
	if l.Level == "error" || l.Level == "fatal" || l.Level == "panic" {
		o.addTail(line)
	}
}

func (o *ghostOutput) addTail(line string) {
	o.tail = append(o.tail, line)
	if len(o.tail) > tailLines {
		o.tail = o.tail[len(o.tail)-tailLines:]
	}
}

// fillPhases completes the phases from the status lines where the log lines were missing.
func (o *ghostOutput) fillPhases(exit time.Duration) Phases {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.phases
	p.Exit = Dur(exit)
	p.Source = "log"
	if p.CopyStart != 0 && p.CopyEnd != 0 && p.CutOverStart != 0 && p.CutOverEnd != 0 {
		return p
	}
	p.Source = "status"
	for _, s := range o.status {
		if p.CopyStart == 0 && s.State == "migrating" {
			p.CopyStart = Dur(s.At)
		}
		if p.CopyEnd == 0 && s.Estimated > 0 && s.Copied >= s.Estimated {
			p.CopyEnd = Dur(s.At)
		}
	}
	if p.CutOverStart == 0 {
		p.CutOverStart = p.CopyEnd
	}
	if p.CutOverEnd == 0 {
		p.CutOverEnd = p.Exit
	}
	return p
}

// runGhost runs bin with args, parsing stdout and stderr line by line and copying them to
// logPrefix.stdout / .stderr. It returns the parsed output, the wall time, and the process error.
func runGhost(ctx context.Context, bin string, args []string, logPrefix string, echo io.Writer) (*ghostOutput, time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	// Why: on timeout or interrupt, ghost gets SIGTERM first so that it can remove its tables.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, 0, err
	}
	out := &ghostOutput{}
	files := map[string]*os.File{}
	for _, stream := range []string{"stdout", "stderr"} {
		f, err := os.Create(logPrefix + "." + stream)
		if err != nil {
			return nil, 0, err
		}
		defer f.Close()
		files[stream] = f
	}
	out.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	var wg sync.WaitGroup
	read := func(stream string, r io.Reader) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		for sc.Scan() {
			at := time.Since(out.started)
			line := sc.Text()
			fmt.Fprintf(files[stream], "%9.3f %s\n", at.Seconds(), line)
			if echo != nil && stream == "stdout" {
				fmt.Fprintf(echo, "    | %s\n", line)
			}
			out.line(stream, at, line)
		}
	}
	wg.Add(2)
	go read("stdout", stdout)
	go read("stderr", stderr)
	wg.Wait()
	err = cmd.Wait()
	wall := time.Since(out.started)
	if ps := cmd.ProcessState; ps != nil {
		out.cpu = ps.UserTime() + ps.SystemTime()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		err = fmt.Errorf("ghost exited with code %d: %s", ee.ExitCode(), lastLine(out.tail))
	}
	return out, wall, err
}

func lastLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(lines[i]); s != "" {
			return s
		}
	}
	return "(no output)"
}
