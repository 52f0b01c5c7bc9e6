package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
)

// statuses are the values of orders.status.
var statuses = []string{"new", "paid", "shipped", "delivered", "cancelled"}

// createTableSQL is a sysbench-like table (id, k, c, pad) with a few more types.
func createTableSQL(name string) string {
	quoted := make([]string, len(statuses))
	for i, s := range statuses {
		quoted[i] = "'" + s + "'"
	}
	return "CREATE TABLE " + dbconn.QuoteIdent(name) + ` (
  id INT NOT NULL AUTO_INCREMENT,
  k INT NOT NULL DEFAULT 0,
  c CHAR(120) NOT NULL DEFAULT '',
  pad CHAR(60) NOT NULL DEFAULT '',
  created DATETIME(6) NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  status ENUM(` + strings.Join(quoted, ",") + `) NOT NULL DEFAULT 'new',
  PRIMARY KEY (id),
  KEY k_1 (k)
) ENGINE=InnoDB`
}

// columnList names the columns loadBatchSQL fills, in its SELECT order.
const columnList = "id, k, c, pad, created, price, status"

// rowExprs is the SELECT list that generates the row with id x from x alone, so that rows are
// generated inside the server and the same id always gets the same values (the twin is loaded
// the same way). CRC32 spreads the values; {rows} keeps k in the table's id range, like sysbench.
const rowExprs = `x, ` +
	`CRC32(x) % {rows} + 1, ` +
	`RPAD(CONCAT_WS('-', LPAD(CRC32(x * 3), 11, '0'), LPAD(CRC32(x * 5), 11, '0'), LPAD(CRC32(x * 7), 11, '0')), 119, '-0123456789'), ` +
	`RPAD(LPAD(CRC32(x * 11), 11, '0'), 59, '-abcdefghij'), ` +
	`TIMESTAMPADD(MICROSECOND, CRC32(x * 13) % 1000000, TIMESTAMPADD(SECOND, CRC32(x * 17) % 63072000, '2024-01-01 00:00:00')), ` +
	`(CRC32(x * 19) % 100000000) / 100, ` +
	`ELT(1 + CRC32(x * 23) % 5, 'new', 'paid', 'shipped', 'delivered', 'cancelled')`

// batchDigits is the number of decimal digits of a load batch: 10^5 rows per INSERT.
const batchDigits = 5

// loadBatchSQL returns the INSERT ... SELECT that adds ids first..last (at most 10^batchDigits of
// them) to table. The ids come from a cross join of digit tables, which needs no helper table and
// no self-join (an INSERT ... SELECT from its own table goes through a temporary table).
func loadBatchSQL(table string, first, last, rows int64) string {
	digits := "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4" +
		" UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	// Why the least significant digit comes first: the server's block nested loop join then yields
	// the ids in ascending order, so rows are appended to the primary key without an ORDER BY
	// (whose sort of 10^5 wide rows spills to disk). The order only matters for speed.
	var from, sum []string
	weight := int64(1)
	for i := range batchDigits {
		from = append(from, fmt.Sprintf("%s AS d%d", digits, i))
		sum = append(sum, fmt.Sprintf("%d * d%d.d", weight, i))
		weight *= 10
	}
	sel := strings.ReplaceAll(rowExprs, "{rows}", fmt.Sprint(rows))
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM (SELECT %d + %s AS x FROM %s) AS n WHERE x <= %d",
		dbconn.QuoteIdent(table), columnList, sel, first, strings.Join(sum, " + "), strings.Join(from, ", "), last)
}

// loadTables fills the empty table with ids 1..rows in batches, and copies each batch to the empty
// twin (copying rows is about three times cheaper than generating them). progress is called after
// each batch with the rows loaded so far.
func loadTables(ctx context.Context, db *sql.DB, table, twin string, rows int64, progress func(int64)) error {
	const batch = 100_000 // 10^batchDigits
	copySQL := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE id BETWEEN ? AND ? ORDER BY id",
		dbconn.QuoteIdent(twin), columnList, columnList, dbconn.QuoteIdent(table))
	for first := int64(1); first <= rows; first += batch {
		last := min(first+batch-1, rows)
		if _, err := db.ExecContext(ctx, loadBatchSQL(table, first, last, rows)); err != nil {
			return fmt.Errorf("load %s: ids %d..%d: %w", table, first, last, err)
		}
		if _, err := db.ExecContext(ctx, copySQL, first, last); err != nil {
			return fmt.Errorf("copy %s to %s: ids %d..%d: %w", table, twin, first, last, err)
		}
		if progress != nil {
			progress(last)
		}
	}
	return nil
}
