package sqlgen

import (
	"reflect"
	"testing"
)

func TestComparison(t *testing.T) {
	a := Col{Name: "a"}
	b := Col{Name: "b", Charset: "latin1", Collation: "latin1_swedish_ci"}
	cases := []struct {
		key  []Col
		op   string
		want string
		args []int
	}{
		{[]Col{a}, ">", "`a` > ?", []int{0}},
		{[]Col{a}, "<=", "`a` <= ?", []int{0}},
		{[]Col{a, b}, ">", "(`a` > ? OR `a` = ? AND `b` > CONVERT(? USING latin1) COLLATE latin1_swedish_ci)", []int{0, 0, 1}},
		{[]Col{a, b}, "<=", "(`a` < ? OR `a` = ? AND `b` <= CONVERT(? USING latin1) COLLATE latin1_swedish_ci)", []int{0, 0, 1}},
		{[]Col{a, a, a}, ">=", "(`a` > ? OR `a` = ? AND `a` > ? OR `a` = ? AND `a` = ? AND `a` >= ?)", []int{0, 0, 1, 0, 1, 2}},
	}
	for _, c := range cases {
		got, args := Comparison(c.key, c.op)
		if got != c.want || !reflect.DeepEqual(args, c.args) {
			t.Errorf("Comparison(%v,%q) = %q %v, want %q %v", c.key, c.op, got, args, c.want, c.args)
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
