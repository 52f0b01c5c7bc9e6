package alter

import (
	"fmt"
	"iter"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"

	// Value expressions (DEFAULT 0, CHECK (a > 1)...) need a driver.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
)

// Risk levels, from least to most serious.
const (
	RiskInfo    = "info"
	RiskWarning = "warning"
	RiskDanger  = "danger"
)

// Risk is one advisory finding about a clause.
type Risk struct {
	Level   string // RiskInfo, RiskWarning or RiskDanger
	Clause  string // the clause concerned, as the parser renders it (or as written when it could not parse)
	Message string // one line: what may go wrong
}

// ColumnChange describes one column definition written by ADD, MODIFY or
// CHANGE, for checks against the table's schema (is a key column's type
// changed? does a NOT NULL column get a default?). Only filled when Parsed.
type ColumnChange struct {
	Op            string // "add", "modify" or "change"
	Old           string // the column in the original table ("" for add)
	Name          string // the column's name after the ALTER
	Type          string // the new type as the parser renders it, lower case: "bigint unsigned", "varchar(64)"
	NotNull       bool
	HasDefault    bool
	AutoIncrement bool
	Generated     bool
	PrimaryKey    bool
	Unique        bool
}

// Analysis is what ghost knows about the user's ALTER.
type Analysis struct {
	// Clause is the clause list to append to "ALTER TABLE `db`.`_t_gho` ",
	// exactly as written: no ALTER TABLE prefix, no trailing semicolon.
	Clause string
	// TableInStatement is "" when a bare clause list was given, else the
	// table the statement names, unquoted, as "t" or "db.t" (for messages;
	// StatementSchema and StatementTable hold the parts, see CheckTable).
	TableInStatement string
	StatementSchema  string
	StatementTable   string
	// Parsed is false when the TiDB parser could not read the clauses
	// (MariaDB-only syntax): the server is the judge, and Renames, Dropped,
	// Added and Modified come from a keyword scan.
	Parsed bool
	// ParseError is the parser's message when Parsed is false, positions
	// counted in Clause.
	ParseError string
	// Renames maps old column name (lower case) -> new name as written, for
	// CHANGE a b and RENAME COLUMN a TO b. A change of letter case only is
	// not a rename.
	Renames map[string]string
	// Dropped, Added: column names as written in DROP COLUMN and ADD COLUMN.
	Dropped []string
	Added   []string
	// Modified: the original column targeted by each MODIFY and CHANGE.
	Modified []string
	// Columns details each ADD/MODIFY/CHANGE column definition (Parsed only).
	Columns []ColumnChange
	// RenamesTable: RENAME [TO|AS] name is present (refused).
	RenamesTable bool
	// SetsAutoIncrement: a table option AUTO_INCREMENT=n is present; the
	// engine must keep it rather than carry over the original's counter.
	SetsAutoIncrement bool
	// Risks is the advisory classification, in clause order.
	Risks []Risk

	refusals []refusal
}

// refusal is a clause an online row copy cannot carry out.
type refusal struct {
	clause, msg, hint string
}

// parsePrefix is put before the clause list for the TiDB parser. Its length
// is subtracted from the column in parser messages.
const parsePrefix = "ALTER TABLE `_` "

// Parse analyses the --alter text: a bare clause list ("ADD COLUMN c INT,
// DROP COLUMN d") or a full ALTER TABLE statement. It fails (with a
// *UserError) only on empty input, text ghost cannot tokenize, several
// statements, or a statement that is not ALTER TABLE. Clauses ghost must
// refuse are reported by Refusal, not here.
func Parse(input string) (*Analysis, error) {
	st, err := splitStatement(input)
	if err != nil {
		return nil, err
	}
	a := &Analysis{
		Clause:          st.clause(),
		StatementSchema: st.schema,
		StatementTable:  st.table,
		Renames:         map[string]string{},
	}
	if st.full {
		a.TableInStatement = st.displayName()
		if st.ignore {
			a.risk(RiskWarning, "ALTER IGNORE TABLE", "IGNORE is not carried over: ghost applies only the clauses, to the empty ghost table, so duplicate rows are not dropped by the ALTER but meet the row copy")
		}
	}
	text := st.lx.serverText(st.start, st.end)
	stmt, perr := parser.New().ParseOneStmt(parsePrefix+text, "", "")
	if perr == nil {
		if at, ok := stmt.(*ast.AlterTableStmt); ok {
			a.Parsed = true
			a.analyzeSpecs(at.Specs)
			a.finish()
			return a, nil
		}
		perr = fmt.Errorf("parsed as %T, not ALTER TABLE", stmt)
	}
	if !st.full {
		if kind := otherKind(st); kind != "" {
			return nil, userError(ErrNotAlterTable, fmt.Sprintf("--alter holds a %s statement, not an ALTER TABLE", kind),
				`pass the ALTER TABLE clauses, e.g. --alter "ADD COLUMN c INT", or a full ALTER TABLE statement`)
		}
	}
	a.ParseError = parseMessage(perr)
	a.Risks = append(a.Risks, Risk{Level: RiskInfo, Clause: snippet(a.Clause), Message: "the TiDB parser cannot read this ALTER (" +
		a.ParseError + "), likely MariaDB-only syntax: ghost applies it as written and the server judges it; renames, drops and adds come from a keyword scan"})
	a.scanClauses(st.tokens, st.lx.src)
	a.finish()
	return a, nil
}

// otherKind tells whether an unparsable bare clause list is in fact another
// statement: either the parser reads it as one, or it starts with words that
// never start a clause.
func otherKind(st *statement) string {
	stmts, _, err := parser.New().Parse(st.lx.serverText(0, st.stmtEnd), "", "")
	if err == nil && len(stmts) > 0 {
		if _, ok := stmts[0].(*ast.AlterTableStmt); !ok {
			if kind := otherStatement(st.tokens); kind != "" {
				return kind
			}
			return strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", stmts[0]), "*ast."), "Stmt")
		}
	}
	return otherStatement(st.tokens)
}

var parserPosition = regexp.MustCompile(`^line (\d+) column (\d+) `)

// parseMessage makes the parser's message one line and counts its position
// in the user's clause rather than in parsePrefix+clause.
func parseMessage(err error) string {
	msg := err.Error()
	if m := parserPosition.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		if line == 1 {
			col -= len(parsePrefix)
		}
		msg = fmt.Sprintf("line %d column %d ", line, max(col, 0)) + msg[len(m[0]):]
	}
	return snippet(msg)
}

// addRename records old -> new unless only the letter case changes:
// MySQL column names are case-insensitive, so CHANGE a A keeps the column.
func (a *Analysis) addRename(clause, oldName, newName string) {
	if strings.EqualFold(oldName, newName) {
		return
	}
	a.Renames[strings.ToLower(oldName)] = newName
	a.risk(RiskWarning, clause, fmt.Sprintf("renames column %s to %s: ghost copies its values into %s only with --approve-renamed-columns (with --skip-renamed-columns they are lost)",
		oldName, newName, newName))
}

func (a *Analysis) risk(level, clause, msg string) {
	a.Risks = append(a.Risks, Risk{Level: level, Clause: snippet(clause), Message: oneLine(msg)})
}

// refuse records a clause ghost will not run, and reports it as a danger.
func (a *Analysis) refuse(clause, msg, hint string) {
	a.refusals = append(a.refusals, refusal{clause: snippet(clause), msg: msg, hint: hint})
	a.risk(RiskDanger, clause, msg+"; ghost refuses it")
}

// finish adds the findings that need the whole clause list.
func (a *Analysis) finish() {
	dropped := map[string]bool{}
	for _, d := range a.Dropped {
		dropped[strings.ToLower(d)] = true
	}
	for _, c := range a.Added {
		if dropped[strings.ToLower(c)] {
			a.risk(RiskWarning, "DROP COLUMN "+c+", ADD COLUMN "+c, fmt.Sprintf("column %s is dropped and added again: its old values are not copied, the new column starts with its default", c))
		}
	}
}

// Refusal returns a *UserError (ErrRefused) when the ALTER holds a clause
// that an online row copy cannot carry out, nil otherwise. See
// docs/alter.md for the list. Column renames are not refused here: see
// CheckRenames.
func (a *Analysis) Refusal() error {
	if len(a.refusals) == 0 {
		return nil
	}
	r := a.refusals[0]
	msg := fmt.Sprintf("ghost cannot run %q online: %s", r.clause, r.msg)
	if len(a.refusals) > 1 {
		more := make([]string, 0, len(a.refusals)-1)
		for _, o := range a.refusals[1:] {
			more = append(more, strconv.Quote(o.clause))
		}
		msg += fmt.Sprintf(" (also refused: %s)", strings.Join(more, ", "))
	}
	return userError(ErrRefused, msg, r.hint)
}

// HasUnapprovedRename tells whether the ALTER renames columns, which needs
// --approve-renamed-columns or --skip-renamed-columns; the caller knows the
// flags (see CheckRenames).
func (a *Analysis) HasUnapprovedRename() bool { return len(a.Renames) > 0 }

// CheckRenames returns a *UserError (ErrRenameNotApproved) when columns are
// renamed and neither flag was given, as gh-ost does.
func (a *Analysis) CheckRenames(approve, skip bool) error {
	if !a.HasUnapprovedRename() || approve || skip {
		return nil
	}
	pairs := make([]string, 0, len(a.Renames))
	for o, n := range sortedPairs(a.Renames) {
		pairs = append(pairs, o+" -> "+n)
	}
	return userError(ErrRenameNotApproved, "the ALTER renames column(s) "+strings.Join(pairs, ", "),
		"check that ghost read this right and pass --approve-renamed-columns to copy the values into the new names, or --skip-renamed-columns to leave them out (their values are lost)")
}

// CheckTable returns a *UserError (ErrTableMismatch) when a full statement
// names a table other than schema.table (--database, --table). The schema
// is only compared when the statement names one. Names are compared exactly
// unless foldCase (lower_case_table_names != 0).
func (a *Analysis) CheckTable(schema, table string, foldCase bool) error {
	if a.TableInStatement == "" {
		return nil
	}
	same := func(x, y string) bool {
		if foldCase {
			return strings.EqualFold(x, y)
		}
		return x == y
	}
	if same(a.StatementTable, table) && (a.StatementSchema == "" || same(a.StatementSchema, schema)) {
		return nil
	}
	want := table
	if a.StatementSchema != "" {
		want = schema + "." + table
	}
	return userError(ErrTableMismatch, fmt.Sprintf("--alter names table %s but --table/--database name %s", a.TableInStatement, want),
		"make them name the same table, or pass only the clause list in --alter")
}

// sortedPairs iterates over m in key order, for stable messages.
func sortedPairs(m map[string]string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
