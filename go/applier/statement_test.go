package applier

import (
	"bytes"
	"testing"
)

func TestStatementEndBoundsBytes(t *testing.T) {
	big := func(n int) *row { return &row{values: []any{1, bytes.Repeat([]byte{'x'}, n)}} }
	a := New(Config{RowsPerStatement: 3, BytesPerStatement: 100})
	rows := []*row{big(10), big(10), big(10), big(10), big(500), big(10), big(50), big(50)}
	var got [][2]int
	for start, end := 0, 0; start < len(rows); start = end {
		end = a.statementEnd(rows, start)
		got = append(got, [2]int{start, end})
	}
	// 3 small rows (row limit); 1 small row before the big one (byte limit); the big
	// row alone; one small and one 50-byte row; the last 50-byte row.
	want := [][2]int{{0, 3}, {3, 4}, {4, 5}, {5, 7}, {7, 8}}
	if len(got) != len(want) {
		t.Fatalf("statements %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statements %v, want %v", got, want)
		}
	}
}
