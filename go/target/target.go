// Package target computes the ALTER that turns a table into the CREATE TABLE a file declares
// (--target-schema, docs/target-schema.md), with the server as parser and judge: the declared
// table is created empty under a scratch name, so the server reads every type and option it
// knows (MariaDB's own included) and shows both tables in one canonical form (SHOW CREATE
// TABLE); the diff works on those lines; and the ALTER is accepted only once an empty copy of
// the table, altered with it, shows exactly the declared definition.
package target

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// ErrSame: the table already has the declared definition.
var ErrSame = errors.New("the table already has the target definition")

// definition is SHOW CREATE TABLE cut into its parts.
type definition struct {
	columns []string          // names, in order
	colDef  map[string]string // name -> its line, without the trailing comma
	keys    map[string]string // key or constraint name (PRIMARY for the primary key) -> line
	keyList []string
	options string // the table options after the closing parenthesis (no AUTO_INCREMENT)
	parts   string // the partitioning clause, if any
}

var (
	reCreate    = regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?((?:` + "`[^`]+`" + `|[A-Za-z0-9_$]+)(?:\.(?:` + "`[^`]+`" + `|[A-Za-z0-9_$]+))?)`)
	reColName   = regexp.MustCompile("^`((?:[^`]|``)+)`")
	reKeyName   = regexp.MustCompile("^(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `((?:[^`]|``)+)`")
	reConstr    = regexp.MustCompile("^CONSTRAINT `((?:[^`]|``)+)`")
	reAutoInc   = regexp.MustCompile(` AUTO_INCREMENT=\d+`)
	rePartition = regexp.MustCompile(`(?s)\n?(/\*!\d+ )?PARTITION BY .*$`)
)

func parse(create string) definition {
	d := definition{colDef: map[string]string{}, keys: map[string]string{}}
	lines := strings.Split(create, "\n")
	for _, l := range lines[1:] {
		t := strings.TrimSuffix(strings.TrimSpace(l), ",")
		switch {
		case strings.HasPrefix(t, ")"):
			opts := strings.TrimSpace(strings.TrimPrefix(t, ")"))
			d.options = strings.TrimSpace(reAutoInc.ReplaceAllString(" "+opts, ""))
		case reColName.MatchString(t) && !strings.HasPrefix(t, "KEY"):
			name := strings.ReplaceAll(reColName.FindStringSubmatch(t)[1], "``", "`")
			d.columns = append(d.columns, name)
			d.colDef[strings.ToLower(name)] = t
		case strings.HasPrefix(t, "PRIMARY KEY"):
			d.keys["PRIMARY"] = t
			d.keyList = append(d.keyList, "PRIMARY")
		case reKeyName.MatchString(t):
			n := reKeyName.FindStringSubmatch(t)[1]
			d.keys[n] = t
			d.keyList = append(d.keyList, n)
		case reConstr.MatchString(t):
			n := "CONSTRAINT " + reConstr.FindStringSubmatch(t)[1]
			d.keys[n] = t
			d.keyList = append(d.keyList, n)
		}
	}
	if m := rePartition.FindString(create); m != "" {
		d.parts = strings.TrimSpace(m)
	}
	return d
}

// Normalise is SHOW CREATE TABLE without its first line and counter: what must be equal.
func Normalise(create string) string {
	if i := strings.IndexByte(create, '\n'); i >= 0 {
		create = create[i+1:]
	}
	return reAutoInc.ReplaceAllString(create, "")
}

func showCreate(ctx context.Context, db *sql.DB, t sqlgen.Table) (string, error) {
	var name, create string
	if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE "+t.String()).Scan(&name, &create); err != nil {
		return "", fmt.Errorf("read the definition of %s: %w", t, err)
	}
	return create, nil
}

// Diff returns the ALTER clause list that turns orig into the table createSQL declares. The
// scratch tables (scratch+"_tgt", scratch+"_chk") are dropped before it returns.
//
// A column that disappears while another appears is a rename only when approveRenames says so
// (--approve-renamed-columns) and they are one each: the ALTER then renames it with CHANGE, and
// a migration copies its values; otherwise it is refused (a diff cannot tell a rename from a
// drop and an add).
func Diff(ctx context.Context, db *sql.DB, orig sqlgen.Table, createSQL, scratch string, approveRenames bool) (string, error) {
	m := reCreate.FindStringSubmatchIndex(createSQL)
	if m == nil {
		return "", hint.New("--target-schema: the file does not hold a CREATE TABLE statement", "put the CREATE TABLE the table should have in the file (SHOW CREATE TABLE's form works)")
	}
	tgt := sqlgen.Table{Schema: orig.Schema, Name: scratch + "_tgt"}
	chk := sqlgen.Table{Schema: orig.Schema, Name: scratch + "_chk"}
	drop := func() {
		for _, t := range []sqlgen.Table{tgt, chk} {
			db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+t.String())
		}
	}
	drop()
	defer drop()
	stmt := strings.TrimRight(strings.TrimSpace(createSQL[:m[4]]+tgt.String()+createSQL[m[5]:]), ";")
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		if dbconn.Number(err) != 0 {
			return "", hint.New(fmt.Sprintf("--target-schema: the server refuses the declared table: %v", err), "fix the CREATE TABLE in the file")
		}
		return "", err
	}
	have, err := showCreate(ctx, db, orig)
	if err != nil {
		return "", err
	}
	want, err := showCreate(ctx, db, tgt)
	if err != nil {
		return "", err
	}
	if Normalise(have) == Normalise(want) {
		return "", ErrSame
	}
	clauses, err := diff(parse(have), parse(want), approveRenames)
	if err != nil {
		return "", err
	}
	if len(clauses) == 0 {
		return "", hint.New("--target-schema: the declared table differs in a way ghost cannot express as an ALTER: "+firstDifference(Normalise(have), Normalise(want)),
			"write the ALTER yourself with --alter")
	}
	clause := join(clauses)
	// The server judges: an empty copy altered with it must show exactly the target.
	if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s LIKE %s", chk, orig)); err != nil {
		return "", fmt.Errorf("--target-schema: create a copy to check the ALTER on: %w", err)
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s %s", chk, clause)); err != nil {
		return "", hint.New(fmt.Sprintf("--target-schema: the computed ALTER fails on an empty copy of the table: %v (ALTER: %s)", err, clause), "write the ALTER yourself with --alter")
	}
	got, err := showCreate(ctx, db, chk)
	if err != nil {
		return "", err
	}
	if Normalise(got) != Normalise(want) {
		return "", hint.New(fmt.Sprintf("--target-schema: the computed ALTER (%s) does not give the declared table: %s", clause, firstDifference(Normalise(got), Normalise(want))),
			"write the ALTER yourself with --alter")
	}
	return clause, nil
}

func diff(have, want definition, approveRenames bool) ([]string, error) {
	var dropped, added []string
	for _, c := range have.columns {
		if _, ok := want.colDef[strings.ToLower(c)]; !ok {
			dropped = append(dropped, c)
		}
	}
	for _, c := range want.columns {
		if _, ok := have.colDef[strings.ToLower(c)]; !ok {
			added = append(added, c)
		}
	}
	renameFrom, renameTo := "", ""
	if len(dropped) == 1 && len(added) == 1 && approveRenames {
		renameFrom, renameTo = dropped[0], strings.ToLower(added[0])
		dropped = nil
	}
	if len(dropped) > 0 && len(added) > 0 {
		return nil, hint.New(fmt.Sprintf("--target-schema: column(s) %s disappear and %s appear: a rename cannot be told from a drop and an add",
			strings.Join(dropped, ", "), strings.Join(added, ", ")),
			"for one rename pass --approve-renamed-columns (ghost renames it with CHANGE and copies its values), or follow the expand-contract steps of ghost plan; for a drop and an add, declare them in two steps")
	}
	var out []string
	for _, k := range have.keyList {
		if want.keys[k] != have.keys[k] {
			switch {
			case k == "PRIMARY":
				out = append(out, "DROP PRIMARY KEY")
			case strings.HasPrefix(k, "CONSTRAINT "):
				out = append(out, "DROP CONSTRAINT "+dbconn.QuoteIdent(strings.TrimPrefix(k, "CONSTRAINT ")))
			default:
				out = append(out, "DROP KEY "+dbconn.QuoteIdent(k))
			}
		}
	}
	for _, c := range dropped {
		out = append(out, "DROP COLUMN "+dbconn.QuoteIdent(c))
	}
	// The columns both keep, in the order the target gives them: a column whose definition or
	// place changes is modified in place.
	var kept []string
	for _, c := range have.columns {
		if _, ok := want.colDef[strings.ToLower(c)]; ok {
			kept = append(kept, strings.ToLower(c))
		}
	}
	prev := ""
	ki := 0
	for _, c := range want.columns {
		lc := strings.ToLower(c)
		place := " FIRST"
		if prev != "" {
			place = " AFTER " + dbconn.QuoteIdent(prev)
		}
		def, inHave := have.colDef[lc]
		switch {
		case !inHave && lc == renameTo:
			out = append(out, "CHANGE COLUMN "+dbconn.QuoteIdent(renameFrom)+" "+want.colDef[lc]+place)
		case !inHave:
			out = append(out, "ADD COLUMN "+want.colDef[lc]+place)
		default:
			moved := ki >= len(kept) || kept[ki] != lc
			if moved {
				// Take it out of the old order: what follows compares as if it were gone.
				for i, k := range kept {
					if k == lc {
						kept = append(kept[:i:i], kept[i+1:]...)
						break
					}
				}
				out = append(out, "MODIFY COLUMN "+want.colDef[lc]+place)
			} else {
				ki++
				if def != want.colDef[lc] {
					out = append(out, "MODIFY COLUMN "+want.colDef[lc])
				}
			}
		}
		prev = c
	}
	for _, k := range want.keyList {
		if have.keys[k] != want.keys[k] {
			out = append(out, "ADD "+want.keys[k])
		}
	}
	if want.options != have.options {
		if charsetOf(want.options) != charsetOf(have.options) {
			return nil, hint.New(fmt.Sprintf("--target-schema: the table's default character set or collation changes (%s to %s): the columns that follow the default change with it, which a diff of their lines cannot show",
				charsetOf(have.options), charsetOf(want.options)),
				"write it with --alter \"CONVERT TO CHARACTER SET ... COLLATE ...\" (then declare the rest)")
		}
		out = append(out, want.options)
	}
	if want.parts != have.parts {
		// The partitioning clause ends the ALTER, after the comma list (partition).
		if want.parts == "" {
			out = append(out, partitionMark+"REMOVE PARTITIONING")
		} else {
			out = append(out, partitionMark+strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(want.parts, "/*!50100 "), "*/")))
		}
	}
	return out, nil
}

// partitionMark tags the partitioning clause, which follows the others without a comma.
const partitionMark = "\x00partition:"

var reCharset = regexp.MustCompile(`DEFAULT CHARSET=(\S+)(?: COLLATE=(\S+))?`)

func charsetOf(options string) string {
	m := reCharset.FindStringSubmatch(options)
	if m == nil {
		return ""
	}
	return m[1] + "/" + m[2]
}

// join renders the clauses as one ALTER clause list.
func join(clauses []string) string {
	var list []string
	part := ""
	for _, c := range clauses {
		if p, ok := strings.CutPrefix(c, partitionMark); ok {
			part = p
			continue
		}
		list = append(list, c)
	}
	s := strings.Join(list, ", ")
	if part != "" {
		if s != "" {
			s += " "
		}
		s += part
	}
	return s
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = strings.TrimSpace(al[i])
		}
		if i < len(bl) {
			y = strings.TrimSpace(bl[i])
		}
		if x != y {
			return fmt.Sprintf("the table has %q where the target has %q", x, y)
		}
	}
	return "no line differs"
}
