package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// Names of the bench's database and tables.
const (
	benchDB     = "bench"
	sourceTable = "sbtest_src" // pristine data, copied into a fresh runTable for every run
	runTable    = "sbtest1"    // the table ghost migrates
	benchAlter  = "ADD COLUMN x INT"
)

// createTableSQL is a sysbench-like table; %s is the quoted name.
const createTableSQL = "CREATE TABLE %s (\n" +
	"  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n" +
	"  k INT NOT NULL DEFAULT 0,\n" +
	"  c CHAR(120) NOT NULL DEFAULT '',\n" +
	"  pad CHAR(60) NOT NULL DEFAULT '',\n" +
	"  KEY k_1 (k)\n" +
	") ENGINE=InnoDB"

// loadBatch is the rows per multi-row INSERT while loading (about 190 bytes each).
const loadBatch = 2000

// loadSource creates the source table and fills it with rows sysbench-like rows with ids 1..rows,
// through two connections writing alternate batches.
func loadSource(ctx context.Context, db *sql.DB, rows int64, seed uint64) error {
	if _, err := db.ExecContext(ctx, fmt.Sprintf(createTableSQL, quote(sourceTable))); err != nil {
		return fmt.Errorf("create %s: %w", sourceTable, err)
	}
	const writers = 2
	g, gctx := errgroup.WithContext(ctx)
	for w := range writers {
		g.Go(func() error {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			var b strings.Builder
			for first := int64(1) + int64(w)*loadBatch; first <= rows; first += writers * loadBatch {
				last := min(first+loadBatch-1, rows)
				b.Reset()
				b.WriteString("INSERT INTO " + quote(sourceTable) + " (id, k, c, pad) VALUES ")
				for id := first; id <= last; id++ {
					if id > first {
						b.WriteByte(',')
					}
					// Digits and dashes only: nothing to escape.
					fmt.Fprintf(&b, "(%d,%d,'%s','%s')", id, 1+rng.Int64N(rows), filler(rng, 10), filler(rng, 5))
				}
				if _, err := db.ExecContext(gctx, b.String()); err != nil {
					return fmt.Errorf("load %s rows %d-%d: %w", sourceTable, first, last, err)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// filler returns sysbench's c/pad shape: groups of 11 random digits joined by '-'.
func filler(rng *rand.Rand, groups int) string {
	b := make([]byte, 0, groups*12)
	for g := range groups {
		if g > 0 {
			b = append(b, '-')
		}
		for range 11 {
			b = append(b, byte('0'+rng.IntN(10)))
		}
	}
	return string(b)
}

// timeExec runs one statement and returns how long it took.
func timeExec(ctx context.Context, db *sql.DB, query string) (time.Duration, error) {
	begin := time.Now()
	if _, err := db.ExecContext(ctx, query); err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return time.Since(begin), nil
}

// dropAllBut drops every table of the bench database except keep.
func dropAllBut(ctx context.Context, db *sql.DB, keep string) error {
	rows, err := db.QueryContext(ctx,
		"SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name <> ?", benchDB, keep)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("list tables: %w", err)
		}
		names = append(names, quote(n))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	if len(names) == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("drop leftovers: %w", err)
	}
	return nil
}

// copyTable creates dst as an identical copy of the source table and returns the time of its
// INSERT ... SELECT.
func copyTable(ctx context.Context, db *sql.DB, dst string) (time.Duration, error) {
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+quote(dst)+" LIKE "+quote(sourceTable)); err != nil {
		return 0, fmt.Errorf("create %s: %w", dst, err)
	}
	return timeExec(ctx, db, "INSERT INTO "+quote(dst)+" SELECT * FROM "+quote(sourceTable))
}

// Fingerprint identifies a table's content over the original columns.
type Fingerprint struct {
	Rows     int64 `json:"rows"`
	Checksum int64 `json:"checksum"` // BIT_XOR of CRC32 over id, k, c, pad
}

func fingerprint(ctx context.Context, db *sql.DB, table string) (Fingerprint, error) {
	var f Fingerprint
	q := "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', id, k, c, pad))), 0) FROM " + quote(table)
	if err := db.QueryRowContext(ctx, q).Scan(&f.Rows, &f.Checksum); err != nil {
		return f, fmt.Errorf("fingerprint %s: %w", table, err)
	}
	return f, nil
}

// hasColumn tells whether table has the column.
func hasColumn(ctx context.Context, db *sql.DB, table, column string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?",
		benchDB, table, column).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("columns of %s: %w", table, err)
	}
	return n == 1, nil
}

func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
