package applier

import (
	"fmt"
	"github.com/ghost-osc/ghost/go/hint"
	"math"
	"strconv"
	"strings"

	"github.com/ghost-osc/ghost/go/schema"
	"github.com/shopspring/decimal"
)

// value turns a value decoded from a row image of column c into a statement argument
// that writes exactly the same value.
func value(c schema.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if c.IsInteger() {
		if c.Unsigned {
			return unsigned(schema.IntegerBits(c.DataType), v)
		}
		return v, nil
	}
	switch c.DataType {
	case "enum":
		return enumName(c, v)
	case "set":
		return setNames(c, v)
	case "bit":
		return asUint(v)
	case "decimal":
		switch d := v.(type) {
		case decimal.Decimal:
			return d.String(), nil
		}
		return fmt.Sprint(v), nil
	case "float":
		if f, ok := v.(float32); ok {
			// The shortest text that reads back as the same float32.
			return strconv.FormatFloat(float64(f), 'g', -1, 32), nil
		}
		return v, nil
	case "binary":
		return padBytes(asBytes(v), int(c.MaxLength)), nil
	case "uuid", "inet6":
		// MariaDB logs these fixed 16-byte types with trailing zero bytes stripped.
		return padBytes(asBytes(v), 16), nil
	case "json":
		// MySQL's JSON type takes text; a binary literal would be refused.
		return string(asBytes(v)), nil
	}
	if c.IsText() || c.IsBinary() {
		return asBytes(v), nil
	}
	switch b := v.(type) {
	case []byte:
		return string(b), nil
	}
	return v, nil
}

// keyValue turns a key value decoded from a row image into the argument that finds the
// ghost row. It is value's, except for an ENUM: its member index (a uint64), which
// compares with the ghost column by index as the copier's chunk bounds do, where a
// member name would compare by name. A BIT already is its unsigned value.
func keyValue(c schema.Column, v any) (any, error) {
	if v == nil {
		// Only a key chosen with --allow-nullable-unique-key can hold NULL: rows whose key
		// is NULL cannot be told apart, so the ghost table could lose or mix them up.
		return nil, hint.New(fmt.Sprintf("a change writes NULL into column %s of the shared unique key", c.Name),
			"--allow-nullable-unique-key needs a key that never holds NULL: make its columns NOT NULL or add a PRIMARY KEY, then run again")
	}
	if c.DataType != "enum" {
		return value(c, v)
	}
	switch x := v.(type) {
	case string:
		return memberIndex(c, x)
	case []byte:
		return memberIndex(c, string(x))
	}
	if i, ok := asInt(v); ok {
		if i < 0 || int(i) > len(c.Members) {
			return nil, fmt.Errorf("column %s: ENUM index %d beyond its %d members", c.Name, i, len(c.Members))
		}
		return uint64(i), nil
	}
	return asUint(v)
}

// memberIndex is the index of an ENUM member given by name; the empty string is the
// error value, index 0.
func memberIndex(c schema.Column, name string) (any, error) {
	if name == "" {
		return uint64(0), nil
	}
	for i, m := range c.Members {
		if m == name {
			return uint64(i + 1), nil
		}
	}
	return nil, fmt.Errorf("column %s: %q is no member of its ENUM", c.Name, name)
}

func asBytes(v any) []byte {
	switch b := v.(type) {
	case []byte:
		return b
	case string:
		return []byte(b)
	}
	return []byte(fmt.Sprint(v))
}

func padBytes(b []byte, n int) []byte {
	if len(b) >= n {
		return b
	}
	out := make([]byte, n)
	copy(out, b)
	return out
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

func asUint(v any) (any, error) {
	switch x := v.(type) {
	case uint8:
		return uint64(x), nil
	case uint16:
		return uint64(x), nil
	case uint32:
		return uint64(x), nil
	case uint64:
		return x, nil
	case uint:
		return uint64(x), nil
	}
	if i, ok := asInt(v); ok {
		return uint64(i), nil
	}
	return nil, fmt.Errorf("unexpected %T for an unsigned value", v)
}

// unsigned undoes the sign the row image decoder gives an unsigned column when the
// binlog carries no signedness metadata (MariaDB and MySQL defaults).
func unsigned(bits int, v any) (any, error) {
	i, ok := asInt(v)
	if !ok {
		return asUint(v)
	}
	if i >= 0 {
		return uint64(i), nil
	}
	if bits >= 64 {
		return uint64(i), nil
	}
	return uint64(i) & (math.MaxUint64 >> (64 - bits)), nil
}

// enumError stands for an ENUM's error value in a converted row; the row is then
// written by a statement of its own that may store it (see Applier.insertEnumError).
type enumError struct{}

func enumName(c schema.Column, v any) (any, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	}
	i, ok := asInt(v)
	if !ok {
		u, err := asUint(v)
		if err != nil {
			return nil, err
		}
		i = int64(u.(uint64))
	}
	if i == 0 {
		// The error value '' (index 0), which only a non-strict write can store.
		return enumError{}, nil
	}
	if int(i) > len(c.Members) {
		return nil, fmt.Errorf("column %s: ENUM index %d beyond its %d members", c.Name, i, len(c.Members))
	}
	return c.Members[i-1], nil
}

func setNames(c schema.Column, v any) (any, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	}
	u, err := asUint(v)
	if err != nil {
		return nil, err
	}
	bits := u.(uint64)
	var names []string
	for i, m := range c.Members {
		if bits&(1<<uint(i)) != 0 {
			names = append(names, m)
		}
	}
	return strings.Join(names, ","), nil
}
