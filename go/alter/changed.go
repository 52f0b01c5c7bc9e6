package alter

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// TableRef names a table; Schema is filled from the statement's default schema
// when the statement leaves it out.
type TableRef struct{ Schema, Name string }

// Is compares with a schema and table name (names compared case-insensitively,
// as with lower_case_table_names, which is the safe direction here).
func (r TableRef) Is(schema, table string) bool {
	return strings.EqualFold(r.Schema, schema) && strings.EqualFold(r.Name, table)
}

// ChangedTables tells which tables a statement read from the binary log may change:
// the target of ALTER TABLE (and its RENAME TO name), RENAME TABLE (both names), DROP TABLE, TRUNCATE, CREATE
// and DROP INDEX and CREATE TRIGGER ... ON, and every table a statement-logged DML
// names. CREATE TABLE changes only the table it creates (CREATE TABLE x LIKE t does
// not change t). Statements the parser cannot read are scanned for the same shapes.
func ChangedTables(query, defaultSchema string) []TableRef {
	stmt, err := parser.New().ParseOneStmt(query, "", "")
	if err != nil {
		return scanChangedTables(query, defaultSchema)
	}
	ref := func(tn *ast.TableName) TableRef {
		s := tn.Schema.O
		if s == "" {
			s = defaultSchema
		}
		return TableRef{Schema: s, Name: tn.Name.O}
	}
	var out []TableRef
	switch s := stmt.(type) {
	case *ast.AlterTableStmt:
		out = append(out, ref(s.Table))
		for _, spec := range s.Specs {
			if spec.Tp == ast.AlterTableRenameTable && spec.NewTable != nil {
				out = append(out, ref(spec.NewTable))
			}
		}
	case *ast.RenameTableStmt:
		for _, tt := range s.TableToTables {
			out = append(out, ref(tt.OldTable), ref(tt.NewTable))
		}
	case *ast.DropTableStmt:
		for _, t := range s.Tables {
			out = append(out, ref(t))
		}
	case *ast.TruncateTableStmt:
		out = append(out, ref(s.Table))
	case *ast.CreateTableStmt:
		out = append(out, ref(s.Table))
	case *ast.CreateIndexStmt:
		out = append(out, ref(s.Table))
	case *ast.DropIndexStmt:
		out = append(out, ref(s.Table))
	case *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.LoadDataStmt:
		c := &tableCollector{}
		stmt.Accept(c)
		for _, t := range c.tables {
			out = append(out, ref(t))
		}
	}
	return out
}

type tableCollector struct{ tables []*ast.TableName }

func (c *tableCollector) Enter(n ast.Node) (ast.Node, bool) {
	if t, ok := n.(*ast.TableName); ok {
		c.tables = append(c.tables, t)
	}
	return n, false
}

func (c *tableCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }

// scanChangedTables is the fallback for statements the parser cannot read
// (MariaDB-only syntax, CREATE TRIGGER): for the statement kinds that change tables
// it returns the name that follows the keyword introducing the target.
func scanChangedTables(query, defaultSchema string) []TableRef {
	lx, err := lex(query)
	if err != nil || len(lx.tokens) == 0 {
		return nil
	}
	toks := lx.tokens
	// name reads [schema.]name at i.
	name := func(i int) (TableRef, bool) {
		if i >= len(toks) || !toks[i].isName() {
			return TableRef{}, false
		}
		if i+2 < len(toks) && toks[i+1].isPunct('.') && toks[i+2].isName() {
			return TableRef{Schema: toks[i].value, Name: toks[i+2].value}, true
		}
		return TableRef{Schema: defaultSchema, Name: toks[i].value}, true
	}
	var out []TableRef
	first := toks[0].upper()
	isCreate := first == "CREATE"
	trigger := false
	for i := 1; i < len(toks); i++ {
		w := toks[i].upper()
		if w == "TRIGGER" {
			trigger = true
		}
		switch first {
		case "ALTER", "RENAME", "DROP", "TRUNCATE":
			if w == "TABLE" || w == "TABLES" || w == "EXISTS" || w == "TO" || w == "AS" || toks[i].isPunct(',') || (first == "TRUNCATE" && i == 1) {
				j := i + 1
				if first == "TRUNCATE" && i == 1 && w != "TABLE" {
					j = i
				}
				if r, ok := name(j); ok {
					out = append(out, r)
				}
			}
		case "INSERT", "REPLACE", "UPDATE", "DELETE", "LOAD":
			if w == "INTO" || w == "FROM" || w == "TABLE" || (first == "UPDATE" && i == 1) {
				j := i + 1
				if first == "UPDATE" && i == 1 {
					j = i
				}
				if r, ok := name(j); ok {
					out = append(out, r)
				}
			}
		}
		if isCreate && trigger && w == "ON" {
			if r, ok := name(i + 1); ok {
				out = append(out, r)
			}
		}
	}
	return out
}
