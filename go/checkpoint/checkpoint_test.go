package checkpoint

import (
	"math"
	"reflect"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	keys := [][]any{
		{int64(-5)},
		{uint64(math.MaxUint64)},
		{int64(math.MinInt64), []byte{0, 0xff, '"', '\n'}, "naïve \"quoted\""},
		{[]byte{}},
		{},
	}
	for _, k := range keys {
		s, err := EncodeKey(k)
		if err != nil {
			t.Fatalf("EncodeKey(%v): %v", k, err)
		}
		got, err := DecodeKey(s)
		if err != nil {
			t.Fatalf("DecodeKey(%q): %v", s, err)
		}
		if !reflect.DeepEqual(got, k) {
			t.Errorf("round trip of %#v via %s gave %#v", k, s, got)
		}
	}
	if _, err := EncodeKey([]any{3.5}); err == nil {
		t.Errorf("a float key value was encoded; want an error")
	}
	for _, bad := range []string{"", "[{", `[{"t":"x","v":"1"}]`, `[{"t":"i","v":"1.5"}]`, `[{"t":"b","v":"%%"}]`} {
		if _, err := DecodeKey(bad); err == nil {
			t.Errorf("DecodeKey(%q) decoded; want an error", bad)
		}
	}
}

func TestNormalise(t *testing.T) {
	a := "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=17 DEFAULT CHARSET=utf8mb4"
	b := "CREATE TABLE `_t_gho` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=90210 DEFAULT CHARSET=utf8mb4"
	if Normalise(a) != Normalise(b) {
		t.Errorf("the name and the counter should not count:\n%s\n%s", Normalise(a), Normalise(b))
	}
	c := "CREATE TABLE `t` (\n  `id` bigint NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=17 DEFAULT CHARSET=utf8mb4"
	if Normalise(a) == Normalise(c) {
		t.Errorf("a changed column type should count")
	}
}
