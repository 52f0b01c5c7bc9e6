package main

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// StatusLine is what ghost-bench reads from one of ghost's status lines, e.g.
//
//	Copy: 151000/200000 75.5%; Applied: 0; Backlog: 0/1000; Time: 1s(total), 1s(copy); streamer: ...; Lag: 0.01s, State: migrating; ETA: 0s
//
// Fields missing from the line are left zero; the Has* flags tell which were found.
type StatusLine struct {
	At           time.Duration `json:"at_ns"` // since ghost started
	Copied       int64         `json:"copied"`
	Estimated    int64         `json:"estimated"`
	Applied      int64         `json:"applied"`
	Backlog      int           `json:"backlog"`
	BacklogCap   int           `json:"backlog_cap"`
	Lag          time.Duration `json:"lag_ns"`
	HeartbeatLag time.Duration `json:"heartbeat_lag_ns,omitempty"`
	State        string        `json:"state"`

	HasLag, HasHeartbeatLag bool `json:"-"`
}

// Throttled tells whether ghost reported itself throttled.
func (s StatusLine) Throttled() bool { return strings.HasPrefix(s.State, "throttled") }

var (
	reCopy      = regexp.MustCompile(`^Copy: (\d+)/(\d+)`)
	reApplied   = regexp.MustCompile(`Applied: (\d+)`)
	reBacklog   = regexp.MustCompile(`Backlog: (\d+)/(\d+)`)
	reLag       = regexp.MustCompile(`(?:^|[;, ])Lag: ([0-9.]+)s`)
	reHeartbeat = regexp.MustCompile(`HeartbeatLag: ([0-9.]+)s`)
	reState     = regexp.MustCompile(`State: ([^;]+)`)
)

// parseStatusLine parses a status line; ok is false for any other line.
func parseStatusLine(line string) (s StatusLine, ok bool) {
	m := reCopy.FindStringSubmatch(line)
	if m == nil {
		return s, false
	}
	s.Copied, _ = strconv.ParseInt(m[1], 10, 64)
	s.Estimated, _ = strconv.ParseInt(m[2], 10, 64)
	if m := reApplied.FindStringSubmatch(line); m != nil {
		s.Applied, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := reBacklog.FindStringSubmatch(line); m != nil {
		s.Backlog, _ = strconv.Atoi(m[1])
		s.BacklogCap, _ = strconv.Atoi(m[2])
	}
	if m := reLag.FindStringSubmatch(line); m != nil {
		s.Lag, s.HasLag = seconds(m[1]), true
	}
	if m := reHeartbeat.FindStringSubmatch(line); m != nil {
		s.HeartbeatLag, s.HasHeartbeatLag = seconds(m[1]), true
	}
	if m := reState.FindStringSubmatch(line); m != nil {
		s.State = strings.TrimSpace(m[1])
	}
	return s, true
}

func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// DoneLine is ghost's final summary line. Two shapes are understood:
//
//	Done: d.t migrated; rows copied: 200000 in 1.322s (151278 rows/s); events applied: 0; cut-over blocked writes for 8ms; total 1.408s
//	Done: copied 200000 rows in 1s; applied 0 events; total 2s; writes blocked 0.008s during cut-over
type DoneLine struct {
	Raw          string        `json:"raw"`
	RowsCopied   int64         `json:"rows_copied"`
	CopyTime     time.Duration `json:"copy_time_ns"`
	RowsPerSec   float64       `json:"rows_per_sec"` // as printed, else rows / copy time
	Events       int64         `json:"events_applied"`
	CutOverBlock time.Duration `json:"cut_over_block_ns"`
	Total        time.Duration `json:"total_ns"`
	// ChecksumTime is the checksum's time before the cut-over (0: skipped).
	ChecksumTime time.Duration `json:"checksum_ns,omitempty"`

	HasCutOverBlock bool `json:"has_cut_over_block"`
}

var (
	reRowsCopied  = regexp.MustCompile(`rows copied: (\d+) in ([0-9.a-zµ]+)`)
	reCopiedRows  = regexp.MustCompile(`copied (\d+) rows in ([0-9.a-zµ]+)`)
	reRate        = regexp.MustCompile(`\(([0-9.]+) rows/s\)`)
	reEvents      = regexp.MustCompile(`events applied: (\d+)|applied (\d+) events`)
	reBlockedMS   = regexp.MustCompile(`blocked writes for ([0-9.]+)ms`)
	reBlockedS    = regexp.MustCompile(`writes blocked ([0-9.]+)s`)
	reTotal       = regexp.MustCompile(`total ([0-9.a-zµ]+)`)
	reDonePresent = regexp.MustCompile(`^Done:`)
	reChecksumIn  = regexp.MustCompile(`checksum: \d+ chunks, \d+ differed, \d+ repaired, in ([0-9.]+)s`)
)

// parseDoneLine parses the summary line; ok is false for any other line.
func parseDoneLine(line string) (d DoneLine, ok bool) {
	if !reDonePresent.MatchString(line) {
		return d, false
	}
	d.Raw = line
	m := reRowsCopied.FindStringSubmatch(line)
	if m == nil {
		m = reCopiedRows.FindStringSubmatch(line)
	}
	if m != nil {
		d.RowsCopied, _ = strconv.ParseInt(m[1], 10, 64)
		d.CopyTime, _ = time.ParseDuration(m[2])
	}
	if m := reRate.FindStringSubmatch(line); m != nil {
		d.RowsPerSec, _ = strconv.ParseFloat(m[1], 64)
	} else if d.CopyTime > 0 {
		d.RowsPerSec = float64(d.RowsCopied) / d.CopyTime.Seconds()
	}
	if m := reEvents.FindStringSubmatch(line); m != nil {
		n := m[1]
		if n == "" {
			n = m[2]
		}
		d.Events, _ = strconv.ParseInt(n, 10, 64)
	}
	if m := reBlockedMS.FindStringSubmatch(line); m != nil {
		f, _ := strconv.ParseFloat(m[1], 64)
		d.CutOverBlock, d.HasCutOverBlock = time.Duration(f*float64(time.Millisecond)), true
	} else if m := reBlockedS.FindStringSubmatch(line); m != nil {
		d.CutOverBlock, d.HasCutOverBlock = seconds(m[1]), true
	}
	if m := reChecksumIn.FindStringSubmatch(line); m != nil {
		d.ChecksumTime = seconds(m[1])
	}
	if m := reTotal.FindStringSubmatch(line); m != nil {
		d.Total, _ = time.ParseDuration(m[1])
	}
	return d, true
}

// LogLine is one logrus text-format line of ghost's stderr: level, msg and the other fields.
type LogLine struct {
	At     time.Duration     `json:"at_ns"` // since ghost started
	Level  string            `json:"level"`
	Msg    string            `json:"msg"`
	Fields map[string]string `json:"fields,omitempty"`
}

// parseLogLine parses `time="..." level=info msg="..." key=value ...`; ok is false for lines that
// carry no level and msg.
func parseLogLine(line string) (l LogLine, ok bool) {
	kv := logfmt(line)
	l.Level, l.Msg = kv["level"], kv["msg"]
	if l.Level == "" || l.Msg == "" {
		return l, false
	}
	delete(kv, "level")
	delete(kv, "msg")
	delete(kv, "time")
	if len(kv) > 0 {
		l.Fields = kv
	}
	return l, true
}

// logfmt splits key=value pairs; values may be double-quoted with backslash escapes.
func logfmt(line string) map[string]string {
	out := map[string]string{}
	i := 0
	for i < len(line) {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		eq := strings.IndexByte(line[i:], '=')
		if eq <= 0 {
			break
		}
		key := line[i : i+eq]
		if strings.ContainsAny(key, " \"") {
			break // not logfmt
		}
		i += eq + 1
		var val string
		if i < len(line) && line[i] == '"' {
			j := i + 1
			var b strings.Builder
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				b.WriteByte(line[j])
				j++
			}
			val, i = b.String(), j+1
		} else {
			j := strings.IndexByte(line[i:], ' ')
			if j < 0 {
				j = len(line) - i
			}
			val, i = line[i:i+j], i+j
		}
		out[key] = val
	}
	return out
}

// splitArgs splits a command line the way a POSIX shell splits words: blanks separate words,
// single quotes keep everything literally, double quotes keep blanks, a backslash escapes the
// next character outside single quotes.
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errUnterminated
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errUnterminated
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}
