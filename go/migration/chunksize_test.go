package migration

import (
	"testing"
	"time"
)

func TestNextChunkSize(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		rows         int64
		target, took time.Duration
		want         int64
	}{
		{1000, 50 * ms, 50 * ms, 1000},        // on target: unchanged
		{1000, 50 * ms, 40 * ms, 1250},        // a little fast: proportionally bigger
		{1000, 50 * ms, 5 * ms, 2000},         // much too fast: at most doubled
		{1000, 50 * ms, 60 * ms, 833},         // a little slow: proportionally smaller
		{1000, 50 * ms, 3 * time.Second, 500}, // one chunk stuck on a lock: at most halved
		{15, 50 * ms, time.Second, 10},        // never below 10 rows
		{80000, 50 * ms, ms, 100000},          // never above 100000 rows
	} {
		if got := nextChunkSize(tc.rows, tc.target, tc.took); got != tc.want {
			t.Errorf("nextChunkSize(%d, %v, %v) = %d; want %d", tc.rows, tc.target, tc.took, got, tc.want)
		}
	}
}
