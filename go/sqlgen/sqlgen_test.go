package sqlgen

import (
	"reflect"
	"testing"
)

func TestComparison(t *testing.T) {
	a := Col{Name: "a"}
	b := Col{Name: "b", Charset: "latin1", Collation: "latin1_swedish_ci"}
	e := Col{Name: "e", Number: true, Members: 4}
	bit := Col{Name: "bt", Number: true}
	cases := []struct {
		key    []Col
		op     string
		values []any
		want   string
		args   []any
	}{
		{[]Col{a}, ">", []any{7}, "`a` > ?", []any{7}},
		{[]Col{a}, "<=", []any{7}, "`a` <= ?", []any{7}},
		{[]Col{a, b}, ">", []any{1, "x"}, "(`a` > ? OR `a` = ? AND `b` > CONVERT(? USING latin1) COLLATE latin1_swedish_ci)", []any{1, 1, "x"}},
		{[]Col{a, b}, "<=", []any{1, "x"}, "(`a` < ? OR `a` = ? AND `b` <= CONVERT(? USING latin1) COLLATE latin1_swedish_ci)", []any{1, 1, "x"}},
		{[]Col{a, a, a}, ">=", []any{1, 2, 3}, "(`a` > ? OR `a` = ? AND `a` > ? OR `a` = ? AND `a` = ? AND `a` >= ?)", []any{1, 1, 2, 1, 2, 3}},
		// An ENUM bound lists the member indexes on its side, the error value 0 included.
		{[]Col{e}, ">", []any{uint64(2)}, "`e` IN (?, ?)", []any{uint64(3), uint64(4)}},
		{[]Col{e}, ">=", []any{uint64(4)}, "`e` = ?", []any{uint64(4)}},
		{[]Col{e}, ">", []any{uint64(4)}, "FALSE", nil},
		{[]Col{e}, "<=", []any{uint64(1)}, "`e` IN (?, ?)", []any{uint64(0), uint64(1)}},
		{[]Col{e, a}, ">=", []any{uint64(1), 50}, "(`e` IN (?, ?, ?) OR `e` = ? AND `a` >= ?)", []any{uint64(2), uint64(3), uint64(4), uint64(1), 50}},
		{[]Col{e, a}, "<=", []any{uint64(0), 50}, "(FALSE OR `e` = ? AND `a` <= ?)", []any{uint64(0), 50}},
		// A value that is not a member index (never produced by ghost) is compared as it is.
		{[]Col{e}, ">", []any{"red"}, "`e` > ?", []any{"red"}},
		// BIT ranges use the index with integer bounds: no list.
		{[]Col{bit, a}, ">", []any{uint64(1 << 63), 5}, "(`bt` > ? OR `bt` = ? AND `a` > ?)", []any{uint64(1 << 63), uint64(1 << 63), 5}},
	}
	for _, c := range cases {
		got, args := Comparison(c.key, c.op, c.values)
		if got != c.want || !reflect.DeepEqual(args, c.args) {
			t.Errorf("Comparison(%v,%q,%v) = %q %v, want %q %v", c.key, c.op, c.values, got, args, c.want, c.args)
		}
	}
}

func TestBoundsWhere(t *testing.T) {
	key := []Col{{Name: "id"}, {Name: "k"}}
	where, args := Bounds{Lower: []any{1, 2}, LowerInclusive: true, Upper: []any{5, 6}}.Where(key)
	want := "(`id` > ? OR `id` = ? AND `k` >= ?) AND (`id` < ? OR `id` = ? AND `k` <= ?)"
	if where != want || !reflect.DeepEqual(args, []any{1, 1, 2, 5, 5, 6}) {
		t.Fatalf("got %q %v", where, args)
	}
	where, args = Bounds{}.Where(key)
	if where != "1=1" || args != nil {
		t.Fatalf("open bounds: %q %v", where, args)
	}
}

func TestStatements(t *testing.T) {
	orig := Table{"d", "t"}
	gho := Table{"d", "_t_gho"}
	key := []Col{{Name: "id"}}
	s, args := CopyRange(orig, gho, "PRIMARY", []Col{{Name: "id"}, {Name: "old"}}, []Col{{Name: "id"}, {Name: "new"}}, key, Bounds{Lower: []any{10}, Upper: []any{20}})
	if s != "INSERT INTO `d`.`_t_gho` (`id`, `new`) SELECT `id`, `old` FROM `d`.`t` FORCE INDEX (`PRIMARY`) WHERE `id` > ? AND `id` <= ? LOCK IN SHARE MODE" || !reflect.DeepEqual(args, []any{10, 20}) {
		t.Errorf("CopyRange: %q %v", s, args)
	}
	s, _ = ChunkEnd(orig, "PRIMARY", key, Bounds{Lower: []any{1}, LowerInclusive: true}, 1000)
	if s != "SELECT `id` FROM `d`.`t` FORCE INDEX (`PRIMARY`) WHERE `id` >= ? ORDER BY `id` LIMIT 1 OFFSET 999" {
		t.Errorf("ChunkEnd: %q", s)
	}
	if s := KeyEdge(orig, "uk", []Col{{Name: "a"}, {Name: "b"}}, true); s != "SELECT `a`, `b` FROM `d`.`t` FORCE INDEX (`uk`) ORDER BY `a` DESC, `b` DESC LIMIT 1 LOCK IN SHARE MODE" {
		t.Errorf("KeyEdge: %q", s)
	}
	ek := []Col{{Name: "e", Number: true, Members: 3}, {Name: "b", Number: true}}
	if s := KeyEdge(orig, "PRIMARY", ek, false); s != "SELECT `e`+0, `b`+0 FROM `d`.`t` FORCE INDEX (`PRIMARY`) ORDER BY `e`, `b` LIMIT 1 LOCK IN SHARE MODE" {
		t.Errorf("KeyEdge of ENUM and BIT: %q", s)
	}
	s, args = ChunkEnd(orig, "PRIMARY", ek, Bounds{Lower: []any{uint64(2), uint64(9)}, Upper: []any{uint64(3), uint64(1)}}, 10)
	if s != "SELECT `e`+0, `b`+0 FROM `d`.`t` FORCE INDEX (`PRIMARY`) WHERE (`e` = ? OR `e` = ? AND `b` > ?) AND (`e` IN (?, ?, ?) OR `e` = ? AND `b` <= ?) ORDER BY `e`, `b` LIMIT 1 OFFSET 9" ||
		!reflect.DeepEqual(args, []any{uint64(3), uint64(2), uint64(9), uint64(0), uint64(1), uint64(2), uint64(3), uint64(1)}) {
		t.Errorf("ChunkEnd of ENUM and BIT: %q %v", s, args)
	}
	if s := DeleteKeys(gho, key, 3); s != "DELETE FROM `d`.`_t_gho` WHERE `id` IN (?, ?, ?)" {
		t.Errorf("DeleteKeys single: %q", s)
	}
	if s := DeleteKeys(gho, []Col{{Name: "a"}, {Name: "b", Charset: "utf8mb4", Collation: "utf8mb4_bin"}}, 2); s != "DELETE FROM `d`.`_t_gho` WHERE (`a` = ? AND `b` = CONVERT(? USING utf8mb4) COLLATE utf8mb4_bin) OR (`a` = ? AND `b` = CONVERT(? USING utf8mb4) COLLATE utf8mb4_bin)" {
		t.Errorf("DeleteKeys composite: %q", s)
	}
	if s := InsertRows(gho, []Col{{Name: "id"}, {Name: "c"}}, []Col{{Name: "id"}, {Name: "c", Charset: "gbk", Collation: "gbk_chinese_ci"}}, 2); s != "INSERT INTO `d`.`_t_gho` (`id`, `c`) VALUES (?, CONVERT(? USING gbk)), (?, CONVERT(? USING gbk))" {
		t.Errorf("InsertRows: %q", s)
	}
	if s, _ := DeleteRange(gho, key, Bounds{Upper: []any{5}}); s != "DELETE FROM `d`.`_t_gho` WHERE `id` <= ?" {
		t.Errorf("DeleteRange: %q", s)
	}
}

func TestQuotingOddNames(t *testing.T) {
	if got := Names([]Col{{Name: "we`ird"}, {Name: "select"}}); got != "`we``ird`, `select`" {
		t.Fatalf("Names: %q", got)
	}
}
