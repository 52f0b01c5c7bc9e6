package throttle

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalidLoad is wrapped by ParseLoad errors.
var ErrInvalidLoad = errors.New("invalid load specification")

// Load maps global status variable names to thresholds, as given to
// --max-load and --critical-load: "Threads_running=25,Threads_connected=500".
type Load map[string]int64

// ParseLoad parses a comma-separated list of name=threshold pairs. Blank input
// is an empty Load (the check is disabled). Names must be status variable
// names (letters, digits, underscores) and thresholds non-negative integers;
// a name may appear once.
func ParseLoad(s string) (Load, error) {
	load := Load{}
	if strings.TrimSpace(s) == "" {
		return load, nil
	}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("%w: empty item #%d in %q", ErrInvalidLoad, i+1, s)
		}
		name, value, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("%w: %q is not name=threshold", ErrInvalidLoad, item)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !validStatusName(name) {
			return nil, fmt.Errorf("%w: %q is not a status variable name", ErrInvalidLoad, name)
		}
		threshold, err := strconv.ParseInt(value, 10, 64)
		if err != nil || threshold < 0 {
			return nil, fmt.Errorf("%w: threshold %q for %s is not a non-negative integer", ErrInvalidLoad, value, name)
		}
		if _, dup := load[name]; dup {
			return nil, fmt.Errorf("%w: %s given twice", ErrInvalidLoad, name)
		}
		load[name] = threshold
	}
	return load, nil
}

// String returns the canonical form: pairs sorted by name, comma-separated,
// no spaces. ParseLoad(l.String()) equals l.
func (l Load) String() string {
	parts := make([]string, 0, len(l))
	for _, name := range l.Names() {
		parts = append(parts, name+"="+strconv.FormatInt(l[name], 10))
	}
	return strings.Join(parts, ",")
}

// Names returns the variable names in sorted order, the order in which checks
// read them (so reasons are deterministic).
func (l Load) Names() []string {
	return slices.Sorted(maps.Keys(l))
}

// validStatusName accepts the characters status variable names are made of.
// The name ends up in SQL text (see SQLServer.StatusVariable), so this is also
// what keeps that text safe.
func validStatusName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
