package plan

import (
	"fmt"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// The expand-contract steps: change the data layer in steps where old and new coexist, so that
// no deploy of the application has to happen at the instant of a swap. Each database step is
// one ghost migration (online) or a batched UPDATE.

// definition is a column's type and nullability as an ALTER writes them.
func definition(c schema.Column, nullable bool) string {
	d := c.ColumnType
	if c.Charset != "" {
		d += " CHARACTER SET " + c.Charset + " COLLATE " + c.Collation
	}
	if nullable {
		return d + " NULL"
	}
	return d + " NOT NULL"
}

func batched(t sqlgen.Table, set, where string) string {
	return fmt.Sprintf("UPDATE %s SET %s WHERE %s LIMIT 1000; -- repeat until it changes no row, pausing between batches", t, set, where)
}

func renameSteps(t sqlgen.Table, old schema.Column, to string) []Step {
	o, n := dbconn.QuoteIdent(old.Name), dbconn.QuoteIdent(to)
	return []Step{
		{"expand", "add the new column, nullable (ghost migration)", fmt.Sprintf("ghost --alter \"ADD COLUMN %s %s\" ...", n, definition(old, true))},
		{"application", "write both columns on every insert and update (dual-write)", ""},
		{"backfill", "copy the old column into the new one for the rows written before the dual-write", batched(t, fmt.Sprintf("%s = %s", n, o), fmt.Sprintf("%s IS NULL AND %s IS NOT NULL", n, o))},
		{"application", "read the new column; stop writing the old one", ""},
		{"contract", "drop the old column and make the new one as the old was (ghost migration)", fmt.Sprintf("ghost --alter \"DROP COLUMN %s, MODIFY %s %s\" ...", o, n, definition(old, old.Nullable))},
	}
}

func typeSteps(t sqlgen.Table, old, changed schema.Column) []Step {
	o := dbconn.QuoteIdent(old.Name)
	tmp := dbconn.QuoteIdent(old.Name + "_new")
	return []Step{
		{"expand", "add a column of the new type beside the old one, nullable (ghost migration)", fmt.Sprintf("ghost --alter \"ADD COLUMN %s %s\" ...", tmp, definition(changed, true))},
		{"application", "write both columns on every insert and update (dual-write)", ""},
		{"backfill", "convert the old values into the new column, checking that none changes", batched(t, fmt.Sprintf("%s = %s", tmp, o), fmt.Sprintf("%s IS NULL AND %s IS NOT NULL", tmp, o))},
		{"application", "read the new column; stop writing the old one", ""},
		{"contract", "drop the old column and give the new one its name (ghost migration)", fmt.Sprintf("ghost --alter \"DROP COLUMN %s, CHANGE %s %s %s\" --approve-renamed-columns ...", o, tmp, o, definition(changed, changed.Nullable))},
	}
}

func notNullSteps(t sqlgen.Table, c schema.Column) []Step {
	q := dbconn.QuoteIdent(c.Name)
	fill := "<value>"
	switch {
	case schema.IntegerBits(c.DataType) > 0 || strings.Contains(c.DataType, "decimal"):
		fill = "0"
	case c.Charset != "":
		fill = "''"
	}
	return []Step{
		{"application", "make every insert and update set the column", ""},
		{"backfill", "fill the NULLs left", batched(t, fmt.Sprintf("%s = %s", q, fill), q+" IS NULL")},
		{"contract", "make the column NOT NULL (ghost migration; the copy fails if a NULL is left)", fmt.Sprintf("ghost --alter \"MODIFY %s %s\" ...", q, definition(c, false))},
	}
}
