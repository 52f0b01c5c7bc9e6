package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseDone(t *testing.T) {
	tests := []struct {
		line  string
		rows  int64
		rate  float64
		block time.Duration
	}{
		{
			"Done: demo.orders migrated; rows copied: 1000000 in 14.211s (70368 rows/s); events applied: 0; cut-over blocked writes for 20ms; total 14.41s",
			1000000, 70368, 20 * time.Millisecond,
		},
		{
			"Done: copied 100000 rows in 12s; applied 57 events; total 15s; writes blocked 0.250s during cut-over",
			100000, 100000.0 / 12, 250 * time.Millisecond,
		},
		{
			"Done: demo.orders migrated; rows copied: 5 in 1m2.5s; cut-over blocked writes for 3ms",
			5, 5 / 62.5, 3 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		f := parseDone(tt.line)
		if !f.HasRows || !f.HasBlock {
			t.Errorf("parseDone(%q) = %+v: figures missing", tt.line, f)
			continue
		}
		if f.RowsCopied != tt.rows || f.CutOverBlock != tt.block || f.RowsPerSec < tt.rate-0.01 || f.RowsPerSec > tt.rate+0.01 {
			t.Errorf("parseDone(%q) = %+v, want rows %d, rate %.2f, block %v", tt.line, f, tt.rows, tt.rate, tt.block)
		}
	}
	if f := parseDone("Done: something else"); f.HasRows || f.HasBlock {
		t.Errorf("parseDone of an unknown shape = %+v, want nothing", f)
	}
}

func TestNormaliseCreate(t *testing.T) {
	a := "CREATE TABLE `orders` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=1000123 DEFAULT CHARSET=utf8mb4"
	b := "CREATE TABLE `orders_twin` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=17 DEFAULT CHARSET=utf8mb4"
	if normaliseCreate(a) != normaliseCreate(b) {
		t.Errorf("normalised forms differ:\n%s\n%s", normaliseCreate(a), normaliseCreate(b))
	}
	c := strings.Replace(b, "int(11)", "bigint(20)", 1)
	if normaliseCreate(a) == normaliseCreate(c) {
		t.Error("a column type difference was normalised away")
	}
}

func TestPickKindCoversTheMix(t *testing.T) {
	seen := map[string]int{}
	for n := range 100 {
		seen[pickKind(n)]++
	}
	for _, kw := range kindWeights {
		if seen[kw.kind] != kw.weight {
			t.Errorf("kind %s picked %d times in 100, want %d", kw.kind, seen[kw.kind], kw.weight)
		}
	}
}

func TestLoadBatchSQL(t *testing.T) {
	q := loadBatchSQL("orders", 100001, 150000, 150000)
	for _, want := range []string{"INSERT INTO `orders` (id, k, c, pad, created, price, status) SELECT x, CRC32(x) % 150000 + 1,",
		"SELECT 100001 + 1 * d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d + 10000 * d4.d AS x", "WHERE x <= 150000"} {
		if !strings.Contains(q, want) {
			t.Errorf("loadBatchSQL lacks %q:\n%s", want, q)
		}
	}
}

func TestShellCommand(t *testing.T) {
	got := shellCommand("bin/ghost", []string{"--host=127.0.0.1", "--alter=ADD COLUMN note VARCHAR(64) NOT NULL DEFAULT ''", "--execute"})
	want := `bin/ghost --host=127.0.0.1 --alter="ADD COLUMN note VARCHAR(64) NOT NULL DEFAULT ''" --execute`
	if got != want {
		t.Errorf("shellCommand = %s, want %s", got, want)
	}
}

func TestValidate(t *testing.T) {
	ok := demoConfig{Rows: 10, Writers: 1, WriteRate: 1, Alter: defaultAlter}
	if err := ok.validate(); err != nil {
		t.Fatalf("validate(%+v) = %v", ok, err)
	}
	for _, bad := range []demoConfig{
		{Rows: 0, Alter: defaultAlter},
		{Rows: 10, Writers: 1, WriteRate: 0, Alter: defaultAlter},
		{Rows: 10, Alter: "ALTER TABLE orders ADD COLUMN x INT"},
	} {
		if err := bad.validate(); err == nil {
			t.Errorf("validate(%+v) = nil, want an error", bad)
		}
	}
}
