package loadgen

import (
	"maps"
	"math"
	"slices"
	"sync"
	"time"
)

// DefaultWindow is the width of a Stats window when none is given.
const DefaultWindow = time.Second

// Kind names a kind of write. The generator's own workload has the four kinds below; a Loop's
// Op may name any other ("commit", "rollback", "range-update"...).
type Kind string

// The kinds of writes of the generator's workload.
const (
	Insert  Kind = "insert"   // INSERT of a new row (AUTO_INCREMENT id)
	Update  Kind = "update"   // UPDATE of k and c by primary key
	Delete  Kind = "delete"   // DELETE by primary key
	MoveKey Kind = "move-key" // UPDATE that changes the primary key of a row
)

func (k Kind) String() string { return string(k) }

// Kinds lists the kinds of the generator's workload, in order.
func Kinds() []Kind { return []Kind{Insert, Update, Delete, MoveKey} }

// sample is one completed write. Times are offsets from Stats.start so that a sample is small.
type sample struct {
	at      time.Duration // scheduled time
	latency time.Duration // completion - scheduled time (includes queueing)
	service time.Duration // completion - actual start
	code    uint16        // 0: success; else index+1 into Stats.codes
}

// window holds the samples whose scheduled time falls in [i*width, (i+1)*width).
type window struct {
	samples []sample
}

// Stats records writes in time windows keyed by their scheduled time. It is safe for
// concurrent use.
type Stats struct {
	start time.Time
	width time.Duration

	mu      sync.Mutex
	windows []*window
	byKind  map[Kind]*KindTotals
	errors  map[string]int64
	codes   []string          // interned error codes
	codeIdx map[string]uint16 // code -> index+1
}

// KindTotals counts the writes of one kind.
type KindTotals struct {
	OK       int64 `json:"ok"`
	Failed   int64 `json:"failed"`
	Affected int64 `json:"rows_affected"` // sum of rows affected by the successful writes
}

// NewStats returns empty statistics whose windows start at start and are width wide
// (DefaultWindow when width <= 0).
func NewStats(start time.Time, width time.Duration) *Stats {
	if width <= 0 {
		width = DefaultWindow
	}
	s := &Stats{start: start, width: width, errors: map[string]int64{}, codeIdx: map[string]uint16{}, byKind: map[Kind]*KindTotals{}}
	for _, k := range Kinds() {
		s.byKind[k] = &KindTotals{}
	}
	return s
}

// Start is the time the first window starts.
func (s *Stats) Start() time.Time { return s.start }

// Window is the width of a window.
func (s *Stats) Window() time.Duration { return s.width }

// Record adds one completed write. scheduled is when the write was due, started when it was
// sent, done when it completed; errCode is "" for success (see ErrorCode). Writes scheduled
// before Start, and writes of no kind (""), are ignored.
func (s *Stats) Record(kind Kind, scheduled, started, done time.Time, errCode string, affected int64) {
	at := scheduled.Sub(s.start)
	if at < 0 || kind == "" {
		return
	}
	smp := sample{at: at, latency: done.Sub(scheduled), service: done.Sub(started)}
	idx := int(at / s.width)

	s.mu.Lock()
	defer s.mu.Unlock()
	if errCode != "" {
		c, ok := s.codeIdx[errCode]
		if !ok {
			s.codes = append(s.codes, errCode)
			c = uint16(len(s.codes))
			s.codeIdx[errCode] = c
		}
		smp.code = c
	}
	for len(s.windows) <= idx {
		s.windows = append(s.windows, nil)
	}
	w := s.windows[idx]
	if w == nil {
		w = &window{}
		s.windows[idx] = w
	}
	w.samples = append(w.samples, smp)
	tot := s.byKind[kind]
	if tot == nil {
		tot = &KindTotals{}
		s.byKind[kind] = tot
	}
	if errCode == "" {
		tot.OK++
		tot.Affected += affected
	} else {
		tot.Failed++
		s.errors[errCode]++
	}
}

// Totals returns the counts per kind of write: the generator's four kinds always (zero when
// none was recorded), any other kind once recorded.
func (s *Stats) Totals() map[string]KindTotals {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]KindTotals, len(s.byKind))
	for k, t := range s.byKind {
		out[k.String()] = *t
	}
	return out
}

// Counts returns the numbers of successful and failed writes recorded so far. It is cheap
// enough to poll (a test waiting for N more writes).
func (s *Stats) Counts() (ok, failed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.byKind {
		ok += t.OK
		failed += t.Failed
	}
	return ok, failed
}

// Longest returns the longest latency of the writes, failed or not, that were waiting or
// running at some moment of [from, to]: scheduled at or before to and completed at or after
// from. Unlike Summary, which buckets writes by their scheduled time and times only the
// successful ones, it answers "did any write wait across this interval, and how long".
func (s *Stats) Longest(from, to time.Time) time.Duration {
	lo, hi := from.Sub(s.start), to.Sub(s.start)
	var longest time.Duration
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, w := range s.windows {
		if w == nil {
			continue
		}
		if time.Duration(i)*s.width > hi {
			break
		}
		for _, smp := range w.samples {
			if smp.at <= hi && smp.at+smp.latency >= lo {
				longest = max(longest, smp.latency)
			}
		}
	}
	return longest
}

// SlowerThan returns the number of writes, failed or not, whose latency exceeded limit.
func (s *Stats) SlowerThan(limit time.Duration) int64 {
	var n int64
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.windows {
		if w == nil {
			continue
		}
		for _, smp := range w.samples {
			if smp.latency > limit {
				n++
			}
		}
	}
	return n
}

// Errors returns the number of failed writes per error code over the whole run.
func (s *Stats) Errors() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.errors)
}

// Summary describes the writes scheduled in [From, To).
type Summary struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`

	Writes int64            `json:"writes"` // completed, successful or not
	OK     int64            `json:"ok"`
	Errors map[string]int64 `json:"errors,omitempty"` // failed writes by error code

	// Latency of the successful writes from their scheduled time (queueing included).
	P50  time.Duration `json:"p50_ns"`
	P90  time.Duration `json:"p90_ns"`
	P99  time.Duration `json:"p99_ns"`
	Max  time.Duration `json:"max_ns"`
	Mean time.Duration `json:"mean_ns"`
	// ServiceP99 is the p99 from the moment a write was actually sent: the difference to P99 is
	// time spent waiting for a free worker.
	ServiceP99 time.Duration `json:"service_p99_ns"`
}

// Failed is the number of failed writes.
func (s Summary) Failed() int64 { return s.Writes - s.OK }

// Rate is the completed writes per second over the interval.
func (s Summary) Rate() float64 {
	d := s.To.Sub(s.From).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(s.Writes) / d
}

// Summary returns the statistics of the writes scheduled in [from, to). Intervals reaching
// beyond the recorded windows are clipped to them.
func (s *Stats) Summary(from, to time.Time) Summary {
	sum := Summary{From: from, To: to}
	if !to.After(from) {
		return sum
	}
	lo, hi := from.Sub(s.start), to.Sub(s.start)
	if lo < 0 {
		lo = 0
	}
	var lat, svc []time.Duration
	errs := map[string]int64{}

	s.mu.Lock()
	first := int(lo / s.width)
	last := len(s.windows) - 1
	if hi > 0 {
		last = min(last, int((hi-1)/s.width))
	} else {
		last = -1
	}
	for i := first; i <= last; i++ {
		w := s.windows[i]
		if w == nil {
			continue
		}
		// Only the windows at the ends of the interval need a per-sample check.
		whole := time.Duration(i)*s.width >= lo && time.Duration(i+1)*s.width <= hi
		for _, smp := range w.samples {
			if !whole && (smp.at < lo || smp.at >= hi) {
				continue
			}
			sum.Writes++
			if smp.code != 0 {
				errs[s.codes[smp.code-1]]++
				continue
			}
			sum.OK++
			lat = append(lat, smp.latency)
			svc = append(svc, smp.service)
		}
	}
	s.mu.Unlock()

	if len(errs) > 0 {
		sum.Errors = errs
	}
	if len(lat) == 0 {
		return sum
	}
	slices.Sort(lat)
	slices.Sort(svc)
	sum.P50 = Percentile(lat, 50)
	sum.P90 = Percentile(lat, 90)
	sum.P99 = Percentile(lat, 99)
	sum.Max = lat[len(lat)-1]
	sum.ServiceP99 = Percentile(svc, 99)
	var total float64
	for _, d := range lat {
		total += float64(d)
	}
	sum.Mean = time.Duration(total / float64(len(lat)))
	return sum
}

// All returns the summary of every recorded write.
func (s *Stats) All() Summary {
	s.mu.Lock()
	end := s.start.Add(time.Duration(len(s.windows)) * s.width)
	s.mu.Unlock()
	return s.Summary(s.start, end)
}

// Series returns one summary per window, from the first window to the last one recorded.
func (s *Stats) Series() []Summary {
	s.mu.Lock()
	n := len(s.windows)
	s.mu.Unlock()
	out := make([]Summary, 0, n)
	for i := range n {
		from := s.start.Add(time.Duration(i) * s.width)
		out = append(out, s.Summary(from, from.Add(s.width)))
	}
	return out
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the nearest-rank method: the
// smallest value such that at least p% of the values are less than or equal to it. It returns 0
// for an empty slice.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// The epsilon keeps float noise (99.9/100*1000 = 999.0000000000001) from moving up a rank.
	rank := int(math.Ceil(p/100*float64(n) - 1e-9))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}
