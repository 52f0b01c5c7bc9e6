package alter

import (
	"fmt"
	"strings"
)

// statement is the --alter text cut into the optional ALTER TABLE prefix and
// the clause list.
type statement struct {
	lx      *lexed
	tokens  []token // the clause's tokens
	start   int     // byte range of the clause in lx.src
	end     int
	full    bool   // an ALTER TABLE prefix was given
	ignore  bool   // ALTER IGNORE TABLE
	schema  string // schema named in the prefix, unquoted; "" when none
	table   string // table named in the prefix, unquoted
	stmtEnd int    // end of the statement's last token (before any ';')
}

// clause returns the clause list exactly as written, without the prefix,
// the surrounding comments and the trailing semicolons.
func (s *statement) clause() string { return s.lx.src[s.start:s.end] }

// startsClause tells the reserved words that start a clause: when one of
// them stands where the table name should be, the name was forgotten.
func startsClause(word string) bool {
	switch word {
	case "ADD", "ALTER", "CHANGE", "CHECK", "CONVERT", "DEFAULT", "DROP", "FOREIGN", "INDEX", "KEY", "ORDER",
		"PARTITION", "PRIMARY", "RENAME", "UNIQUE", "CHARACTER", "COLLATE":
		return true
	}
	return false
}

// splitStatement strips "ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] [db.]t
// [WAIT n | NOWAIT]" when present, and the trailing semicolons.
func splitStatement(input string) (*statement, error) {
	lx, err := lex(input)
	if err != nil {
		return nil, userError(ErrSyntax, "cannot read --alter: "+err.Error(),
			"close every quote, backquote and /* comment, or pass the ALTER in a file-safe shell quoting")
	}
	toks := lx.tokens
	for i, t := range toks {
		if !t.isPunct(';') {
			continue
		}
		if t.exec >= 0 {
			return nil, userError(ErrSyntax, "--alter ends its statement inside an executable comment (/*! ... ; */)",
				"put the semicolon after the comment's */, or leave it out")
		}
		for _, rest := range toks[i+1:] {
			if !rest.isPunct(';') {
				return nil, userError(ErrSyntax, "--alter holds more than one statement",
					"pass a single ALTER TABLE statement or its clause list, separating clauses with commas")
			}
		}
		toks = toks[:i]
		break
	}
	if len(toks) == 0 {
		return nil, userError(ErrEmpty, "--alter is empty",
			`pass the change to make, e.g. --alter "ADD COLUMN c INT" or a full ALTER TABLE statement`)
	}
	st := &statement{lx: lx, stmtEnd: toks[len(toks)-1].end}
	word := func(i int) string {
		if i < len(toks) {
			return toks[i].upper()
		}
		return ""
	}
	i := 0
	if word(0) == "ALTER" {
		j := 1
		for word(j) == "ONLINE" || word(j) == "OFFLINE" || word(j) == "IGNORE" {
			st.ignore = st.ignore || word(j) == "IGNORE"
			j++
		}
		if word(j) == "TABLE" {
			st.full = true
			i, err = st.readTableName(toks, j+1)
			if err != nil {
				return nil, err
			}
		}
	}
	toks = toks[i:]
	if len(toks) == 0 {
		return nil, userError(ErrEmpty, fmt.Sprintf("ALTER TABLE %s has no clause", st.displayName()),
			`add the change to make, e.g. "ALTER TABLE t ADD COLUMN c INT"`)
	}
	st.tokens = toks
	st.start = toks[0].start
	if e := toks[0].exec; e >= 0 {
		st.start = lx.execs[e].open.start
	}
	st.end = toks[len(toks)-1].end
	if e := toks[len(toks)-1].exec; e >= 0 {
		st.end = lx.execs[e].close.end
	}
	// An executable comment must lie wholly inside or wholly outside the
	// clause: otherwise the clause text would hold half of it.
	for _, e := range lx.execs {
		in := e.open.start >= st.start && e.close.end <= st.end
		out := e.close.end <= st.start || e.open.start >= st.end
		if !in && !out {
			return nil, userError(ErrSyntax, "an executable comment (/*! ... */) straddles the start or end of the ALTER clauses",
				"keep the ALTER TABLE prefix, the trailing semicolon and each clause wholly inside or outside such comments")
		}
	}
	return st, nil
}

// readTableName reads "[IF EXISTS] name[.name] [WAIT n | NOWAIT]" from
// toks[i:] and returns the index of the first clause token.
func (st *statement) readTableName(toks []token, i int) (int, error) {
	bad := func() error {
		return userError(ErrSyntax, "cannot read the table name after ALTER TABLE",
			"write it as t, db.t or `db`.`t`, or pass only the clause list")
	}
	if i+1 < len(toks) && toks[i].upper() == "IF" && toks[i+1].upper() == "EXISTS" {
		i += 2
	}
	if i >= len(toks) || !toks[i].isName() || startsClause(toks[i].upper()) {
		return 0, bad()
	}
	st.table = toks[i].value
	i++
	if i < len(toks) && toks[i].isPunct('.') {
		if i+1 >= len(toks) || !toks[i+1].isName() {
			return 0, bad()
		}
		st.schema, st.table = st.table, toks[i+1].value
		i += 2
	}
	// MariaDB: ALTER TABLE t WAIT n | NOWAIT. Only the lock wait of the
	// ALTER on the ghost table, which nobody else uses.
	switch {
	case i < len(toks) && toks[i].upper() == "NOWAIT":
		i++
	case i+1 < len(toks) && toks[i].upper() == "WAIT" && toks[i+1].kind == tokWord:
		i += 2
	}
	return i, nil
}

func (st *statement) displayName() string {
	if st.schema != "" {
		return st.schema + "." + st.table
	}
	return st.table
}

// statementStart tells the first words that never start an ALTER TABLE
// clause.
func statementStart(first string) bool {
	switch first {
	case "CREATE", "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "GRANT", "REVOKE", "SHOW", "USE", "CALL",
		"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "SET", "LOAD", "EXPLAIN", "DESCRIBE", "HANDLER", "FLUSH",
		"KILL", "PREPARE", "EXECUTE", "DEALLOCATE", "INSTALL", "UNINSTALL", "RESET", "PURGE":
		return true
	}
	return false
}

// statementPair tells the pairs of reserved words that start a statement
// and never a clause ("DROP view" may drop a column named view, so only
// reserved second words count).
func statementPair(first, second string) bool {
	switch first {
	case "DROP":
		switch second {
		case "TABLE", "DATABASE", "SCHEMA", "TRIGGER", "PROCEDURE":
			return true
		}
	case "ALTER":
		switch second {
		case "DATABASE", "SCHEMA", "PROCEDURE":
			return true
		}
	case "RENAME":
		switch second {
		case "TABLE", "USER":
			return true
		}
	case "LOCK", "ANALYZE", "OPTIMIZE", "REPAIR", "CHECK":
		return second == "TABLE" || (first == "LOCK" && second == "TABLES")
	case "TRUNCATE":
		// TRUNCATE PARTITION is a clause; TRUNCATE [TABLE] t is not.
		return second != "PARTITION"
	}
	return false
}

// otherStatement names the statement toks starts with when it is plainly
// not an ALTER TABLE clause list; "" otherwise.
func otherStatement(toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	first := toks[0].upper()
	if statementStart(first) {
		return first
	}
	if len(toks) > 1 && statementPair(first, toks[1].upper()) {
		if first == "TRUNCATE" {
			return first
		}
		return first + " " + toks[1].upper()
	}
	return ""
}

// oneLine collapses runs of white space so that a message stays on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// snippet is user text quoted inside a message: on one line and shortened.
func snippet(s string) string {
	s = oneLine(s)
	const maxLen = 120
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 character
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
