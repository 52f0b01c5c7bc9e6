package applier

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/schema"
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

// A row image whose key holds NULL (possible only along a key chosen with
// --allow-nullable-unique-key) is refused with the column named, values or not.
func TestImageRefusesNullKey(t *testing.T) {
	cols := []schema.Column{
		{Name: "u", Ordinal: 1, DataType: "int", ColumnType: "int(11)", Nullable: true},
		{Name: "a", Ordinal: 2, DataType: "int", ColumnType: "int(11)", Nullable: true},
	}
	a := New(Config{OrigColumns: cols, Key: cols[:1], Pairs: []Pair{{Orig: cols[0], Ghost: "u"}, {Orig: cols[1], Ghost: "a"}}})
	if _, _, err := a.image([]any{int32(7), nil}, true); err != nil {
		t.Fatalf("non-NULL key: %v", err)
	}
	for _, values := range []bool{true, false} {
		_, _, err := a.image([]any{nil, int32(1)}, values)
		if err == nil || !strings.Contains(err.Error(), "a change writes NULL into column u of the shared unique key") {
			t.Fatalf("NULL key (values %v): error %v", values, err)
		}
	}
}
