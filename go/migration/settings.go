package migration

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghost-osc/ghost/go/config"
	"github.com/ghost-osc/ghost/go/control"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/throttle"
)

// settings are the knobs an operator may change while a migration runs (the socket's
// `name=value` commands), in one place: every reader goes through here, and every change is
// checked against the same bounds the flags are (config). Safe for concurrent use: numbers are
// atomics read on hot paths (chunk size per chunk, batch size per batch), text under a mutex.
// The throttle-control-replicas list is kept here as text; its connections are the
// operator's.
type settings struct {
	chunkSize    atomic.Int64
	dmlBatchSize atomic.Int64
	maxLag       atomic.Int64 // nanoseconds
	niceRatio    atomic.Uint64
	// chunkSizeFixed: the operator set chunk-size at run time, which turns steering off.
	chunkSizeFixed atomic.Bool

	mu              sync.Mutex
	maxLoad         throttle.Load
	criticalLoad    throttle.Load
	throttleQuery   string
	throttleHTTP    string
	controlReplicas string
}

// newSettings starts from the configuration; the loads are parsed here, so a bad one is
// refused before anything is created.
func newSettings(c config.Config) (*settings, error) {
	s := &settings{throttleQuery: c.ThrottleQuery, throttleHTTP: c.ThrottleHTTP, controlReplicas: c.ThrottleControlReplicas}
	s.chunkSize.Store(c.ChunkSize)
	s.dmlBatchSize.Store(c.DMLBatchSize)
	s.maxLag.Store(int64(c.MaxLag))
	s.niceRatio.Store(math.Float64bits(c.NiceRatio))
	var err error
	if s.maxLoad, err = throttle.ParseLoad(c.MaxLoad); err != nil {
		return nil, hint.New(fmt.Sprintf("--max-load %q: %v", c.MaxLoad, err), "use the form Threads_running=25,Threads_connected=500")
	}
	if s.criticalLoad, err = throttle.ParseLoad(c.CriticalLoad); err != nil {
		return nil, hint.New(fmt.Sprintf("--critical-load %q: %v", c.CriticalLoad, err), "use the form Threads_running=100")
	}
	return s, nil
}

func (s *settings) ChunkSize() int64      { return s.chunkSize.Load() }
func (s *settings) DMLBatchSize() int64   { return s.dmlBatchSize.Load() }
func (s *settings) MaxLag() time.Duration { return time.Duration(s.maxLag.Load()) }
func (s *settings) NiceRatio() float64    { return math.Float64frombits(s.niceRatio.Load()) }

// steer sets the chunk size chosen by steering, unless the operator fixed it.
func (s *settings) steer(n int64) {
	if !s.chunkSizeFixed.Load() {
		s.chunkSize.Store(n)
	}
}

// read returns one of the text settings under the lock.
func read[T any](s *settings, field *T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *field
}

func (s *settings) MaxLoad() throttle.Load      { return read(s, &s.maxLoad) }
func (s *settings) CriticalLoad() throttle.Load { return read(s, &s.criticalLoad) }
func (s *settings) ThrottleQuery() string       { return read(s, &s.throttleQuery) }
func (s *settings) ThrottleHTTP() string        { return read(s, &s.throttleHTTP) }
func (s *settings) ControlReplicas() string     { return read(s, &s.controlReplicas) }

// get renders a setting for the socket's `name=?`.
func (s *settings) get(name string) (string, error) {
	switch name {
	case control.KnobChunkSize:
		return strconv.FormatInt(s.ChunkSize(), 10), nil
	case control.KnobDMLBatchSize:
		return strconv.FormatInt(s.DMLBatchSize(), 10), nil
	case control.KnobMaxLagMillis:
		return strconv.FormatInt(s.MaxLag().Milliseconds(), 10), nil
	case control.KnobNiceRatio:
		return strconv.FormatFloat(s.NiceRatio(), 'g', -1, 64), nil
	case control.KnobMaxLoad:
		return s.MaxLoad().String(), nil
	case control.KnobCriticalLoad:
		return s.CriticalLoad().String(), nil
	case control.KnobThrottleQuery:
		return s.ThrottleQuery(), nil
	case control.KnobThrottleHTTP:
		return s.ThrottleHTTP(), nil
	case control.KnobThrottleControlReplicas:
		return s.ControlReplicas(), nil
	}
	return "", fmt.Errorf("unknown setting %q", name)
}

// set changes a setting from the socket's `name=value`, within the flags' bounds. The
// control replicas are changed by the operator, which connects to them first.
func (s *settings) set(name, value string) error {
	switch name {
	case control.KnobChunkSize:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < config.MinChunkSize || n > config.MaxChunkSize {
			return fmt.Errorf("chunk-size must be between %d and %d", config.MinChunkSize, config.MaxChunkSize)
		}
		s.chunkSizeFixed.Store(true)
		s.chunkSize.Store(n)
	case control.KnobDMLBatchSize:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < config.MinDMLBatchSize || n > config.MaxDMLBatchSize {
			return fmt.Errorf("dml-batch-size must be between %d and %d", config.MinDMLBatchSize, config.MaxDMLBatchSize)
		}
		s.dmlBatchSize.Store(n)
	case control.KnobMaxLagMillis:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || time.Duration(n)*time.Millisecond < config.MinMaxLag {
			return fmt.Errorf("max-lag-millis must be at least %d", config.MinMaxLag.Milliseconds())
		}
		s.maxLag.Store(int64(time.Duration(n) * time.Millisecond))
	case control.KnobNiceRatio:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || f > config.MaxNiceRatio {
			return fmt.Errorf("nice-ratio must be between 0 and %g", float64(config.MaxNiceRatio))
		}
		s.niceRatio.Store(math.Float64bits(f))
	case control.KnobMaxLoad, control.KnobCriticalLoad:
		l, err := throttle.ParseLoad(value)
		if err != nil {
			return err
		}
		s.mu.Lock()
		if name == control.KnobMaxLoad {
			s.maxLoad = l
		} else {
			s.criticalLoad = l
		}
		s.mu.Unlock()
	case control.KnobThrottleQuery:
		s.mu.Lock()
		s.throttleQuery = value
		s.mu.Unlock()
	case control.KnobThrottleHTTP:
		if value != "" && !strings.HasPrefix(value, "http://") && !strings.HasPrefix(value, "https://") {
			return fmt.Errorf("throttle-http must be an http:// or https:// URL")
		}
		s.mu.Lock()
		s.throttleHTTP = value
		s.mu.Unlock()
	default:
		return fmt.Errorf("unknown setting %q", name)
	}
	return nil
}

func (s *settings) setControlReplicas(list string) {
	s.mu.Lock()
	s.controlReplicas = list
	s.mu.Unlock()
}
