package checksum

import (
	"strings"
	"testing"

	"github.com/ghost-osc/ghost/go/schema"
)

// TestConvert pins the conversions: the original's value is cast to the ghost column's type,
// numbers on both sides (ZEROFILL pads a column's text), SET by member name.
func TestConvert(t *testing.T) {
	col := func(name, dataType, columnType, charset string, members ...string) schema.Column {
		return schema.Column{Name: name, DataType: dataType, ColumnType: columnType, Charset: charset, Members: members,
			Unsigned: strings.Contains(columnType, "unsigned")}
	}
	for _, tc := range []struct {
		o, g       schema.Column
		orig, ghos string
	}{
		{col("a", "int", "int(11)", ""), col("a", "int", "int(11)", ""), "`a`", "`a`"},
		{col("a", "int", "int(11)", ""), col("a", "bigint", "bigint(20) unsigned", ""), "CAST(`a` AS UNSIGNED)", "CAST(`a` AS UNSIGNED)"},
		{col("p", "decimal", "decimal(10,3)", ""), col("p", "decimal", "decimal(12,2)", ""), "CAST(`p` AS DECIMAL(12,2))", "CAST(`p` AS DECIMAL(12,2))"},
		{col("s", "varchar", "varchar(10)", "latin1"), col("s", "varchar", "varchar(10)", "utf8mb4"), "CONVERT(`s` USING utf8mb4)", "`s`"},
		{col("s", "varchar", "varchar(10)", "utf8mb4"), col("s", "char", "char(20)", "utf8mb4"), "TRIM(TRAILING ' ' FROM CONVERT(`s` USING utf8mb4))", "`s`"},
		{col("b", "varbinary", "varbinary(4)", ""), col("b", "binary", "binary(8)", ""), "CAST(`b` AS BINARY(8))", "`b`"},
		{col("d", "datetime", "datetime(6)", ""), col("d", "datetime", "datetime(3)", ""), "CAST(`d` AS DATETIME(3))", "CAST(`d` AS DATETIME(3))"},
		{col("x", "bit", "bit(8)", ""), col("x", "bit", "bit(16)", ""), "`x`+0", "`x`+0"},
		{col("e", "set", "set('a','b')", "utf8mb4", "a", "b"), col("e", "set", "set('b','a')", "utf8mb4", "b", "a"),
			"CONCAT(FIND_IN_SET('b', `e`) > 0, FIND_IN_SET('a', `e`) > 0)", "CONCAT(FIND_IN_SET('b', `e`) > 0, FIND_IN_SET('a', `e`) > 0)"},
	} {
		o, g := Convert(tc.o, tc.g)
		if o != tc.orig || g != tc.ghos {
			t.Errorf("%s -> %s: %s / %s, want %s / %s", tc.o.ColumnType, tc.g.ColumnType, o, g, tc.orig, tc.ghos)
		}
	}
}

// TestRowHashDelimits: every column is length-prefixed and compared as bytes, NULL apart.
func TestRowHashDelimits(t *testing.T) {
	h := rowHash([]string{"`a`", "`b`"}, true)
	for _, want := range []string{"COALESCE(CONCAT(LENGTH(`a`), ':', CAST(`a` AS BINARY)), 'NULL')", "(CRC32(CONCAT(", ") << 32 | CRC32C(CONCAT("} {
		if !strings.Contains(h, want) {
			t.Errorf("row hash %s lacks %s", h, want)
		}
	}
}
