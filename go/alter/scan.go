package alter

import "fmt"

// scanClauses is the fallback when the TiDB parser cannot read the ALTER
// (MariaDB-only syntax). It splits the clause list at top-level commas and
// reads the leading keywords of each clause, which is enough for what
// safety needs: table renames and the other refused forms, column renames,
// drops and adds. ColumnMapping checks these findings against the column
// lists the server reports, so a misreading ends in a refusal, never in a
// wrong copy.
func (a *Analysis) scanClauses(toks []token, src string) {
	for _, p := range splitTop(toks) {
		a.scanClause(p, src[p[0].start:p[len(p)-1].end])
	}
}

// splitTop cuts toks at commas outside parentheses, dropping empty parts.
func splitTop(toks []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.isPunct('('):
			depth++
		case t.isPunct(')'):
			depth--
		case t.isPunct(',') && depth == 0:
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// words gives keyword access to a clause's tokens.
type words []token

func (w words) kw(i int) string {
	if i >= 0 && i < len(w) {
		return w[i].upper()
	}
	return ""
}

// name returns the identifier at i. Reserved words cannot be unquoted
// names, so "DROP TABLE t" does not read as dropping a column "TABLE".
func (w words) name(i int) (string, bool) {
	if i < 0 || i >= len(w) || !w[i].isName() || isReserved(w[i].upper()) {
		return "", false
	}
	return w[i].value, true
}

// isReserved tells the MySQL/MariaDB reserved words that may turn up where
// the scan expects a column name.
func isReserved(word string) bool {
	switch word {
	case "ADD", "ALTER", "AND", "AS", "BY", "CHANGE", "CHECK", "COLUMN", "CONSTRAINT", "CONVERT", "CREATE",
		"DATABASE", "DEFAULT", "DELETE", "DROP", "EXISTS", "FOREIGN", "FROM", "FULLTEXT", "IF", "IN", "INDEX",
		"INSERT", "KEY", "KEYS", "NOT", "NULL", "ON", "OR", "ORDER", "PARTITION", "PRIMARY", "REFERENCES",
		"RENAME", "SCHEMA", "SELECT", "SET", "SPATIAL", "TABLE", "TO", "TRIGGER", "UNIQUE", "UPDATE", "WITH":
		return true
	}
	return false
}

func (w words) has(kw string) bool {
	for _, t := range w {
		if t.upper() == kw {
			return true
		}
	}
	return false
}

func (w words) hasPair(k1, k2 string) bool {
	for i := range w {
		if w.kw(i) == k1 && w.kw(i+1) == k2 {
			return true
		}
	}
	return false
}

// skip advances past an optional keyword sequence such as IF NOT EXISTS.
func (w words) skip(i int, kws ...string) int {
	for k, kw := range kws {
		if w.kw(i+k) != kw {
			return i
		}
	}
	return i + len(kws)
}

func (a *Analysis) scanClause(toks []token, text string) {
	w := words(toks)
	switch w.kw(0) {
	case "ADD":
		a.scanAdd(w, text)
	case "DROP":
		a.scanDrop(w, text)
	case "CHANGE":
		j := w.skip(w.skip(1, "COLUMN"), "IF", "EXISTS")
		oldName, ok1 := w.name(j)
		newName, ok2 := w.name(j + 1)
		if ok1 && ok2 {
			a.Modified = append(a.Modified, oldName)
			a.addRename(text, oldName, newName)
			a.risk(RiskWarning, text, "redefines column "+oldName+": values that do not fit fail the copy or are converted, and the engine refuses a type change of a column in the shared unique key")
		}
		a.scanForeign(w, text)
	case "MODIFY":
		j := w.skip(w.skip(1, "COLUMN"), "IF", "EXISTS")
		if n, ok := w.name(j); ok {
			a.Modified = append(a.Modified, n)
			a.risk(RiskWarning, text, "redefines column "+n+": values that do not fit fail the copy or are converted, and the engine refuses a type change of a column in the shared unique key")
		}
		a.scanForeign(w, text)
	case "RENAME":
		switch w.kw(1) {
		case "COLUMN":
			j := w.skip(2, "IF", "EXISTS")
			oldName, ok1 := w.name(j)
			newName, ok2 := w.name(j + 2)
			if ok1 && ok2 && w.kw(j+1) == "TO" {
				a.addRename(text, oldName, newName)
			}
		case "INDEX", "KEY":
		default:
			a.RenamesTable = true
			a.refuse(text, "RENAME TO renames the table, and ghost migrates the table in place",
				"run RENAME TABLE separately after the migration")
		}
	case "DISCARD", "IMPORT":
		a.refuse(text, "DISCARD/IMPORT TABLESPACE moves tablespace files, not rows", hintDirect)
	case "ORDER":
		if w.kw(1) == "BY" {
			a.refuse(text, "ORDER BY only orders the rows present during the ALTER, and the ghost table is empty then (InnoDB orders by the primary key anyway)",
				hintSeparate)
		}
	case "ENABLE", "DISABLE":
		if w.kw(1) == "KEYS" {
			a.refuse(text, "ENABLE/DISABLE KEYS would leave the ghost table's indexes in that state after the cut-over", hintSeparate)
		}
	case "TRUNCATE":
		a.refuse(text, "it deletes the rows of a partition, which a row copy into an empty ghost table cannot do", hintDirect)
	case "EXCHANGE":
		a.refuse(text, "EXCHANGE PARTITION swaps data with another table, not a row change", hintDirect)
	case "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR":
		if w.kw(1) == "PARTITION" {
			a.refuse(text, "partition maintenance does nothing on the empty ghost table", hintDirect)
		}
	case "CONVERT":
		a.risk(RiskWarning, text, "CONVERT TO CHARACTER SET re-encodes every text column: characters the new character set lacks fail the copy or become '?', indexes may exceed key length limits, and text keys compare differently (the engine refuses that on the shared key)")
	case "ENGINE":
		a.risk(RiskInfo, text, "sets the storage engine of the ghost table")
	case "PARTITION", "REMOVE", "COALESCE", "REORGANIZE":
		a.risk(RiskInfo, text, "changes partitioning: the ghost table is built with the new layout and rows are copied into it")
	}
	switch w.kw(0) {
	case "ADD", "CHANGE", "MODIFY", "ALTER":
	default:
		if w.has("AUTO_INCREMENT") {
			a.SetsAutoIncrement = true
			a.risk(RiskInfo, text, "sets AUTO_INCREMENT: the ghost table keeps this value instead of the original's counter")
		}
	}
}

// addsNonColumn tells the words after ADD that start something other than
// a column (a column with such a name has to be backquoted: most are
// reserved).
func addsNonColumn(word string) bool {
	switch word {
	case "INDEX", "KEY", "UNIQUE", "PRIMARY", "FOREIGN", "CONSTRAINT", "FULLTEXT", "SPATIAL", "CHECK", "PARTITION":
		return true
	}
	return false
}

func (a *Analysis) scanAdd(w words, text string) {
	j := 1
	column := w.kw(j) == "COLUMN"
	if column {
		j++
	}
	k := w.kw(j)
	switch {
	case !column && addsNonColumn(k):
		a.scanAddConstraint(w, text)
		return
	case !column && (k == "SYSTEM" && w.kw(j+1) == "VERSIONING" || k == "PERIOD" && w.kw(j+1) == "FOR" ||
		k == "VECTOR" && (w.kw(j+1) == "INDEX" || w.kw(j+1) == "KEY")):
		return
	}
	j = w.skip(j, "IF", "NOT", "EXISTS")
	if j < len(w) && w[j].isPunct('(') {
		end := j + 1
		for depth := 1; end < len(w) && depth > 0; end++ {
			switch {
			case w[end].isPunct('('):
				depth++
			case w[end].isPunct(')'):
				depth--
			}
		}
		for _, def := range splitTop(w[j+1 : end-1]) {
			a.scanColumnDef(words(def), text)
		}
	} else {
		a.scanColumnDef(w[j:], text)
	}
	a.scanForeign(w, text)
}

// scanColumnDef reads "name type [attributes]" of an added column.
func (a *Analysis) scanColumnDef(def words, text string) {
	n, ok := def.name(0)
	if !ok {
		return
	}
	a.Added = append(a.Added, n)
	if def.hasPair("NOT", "NULL") && !def.has("DEFAULT") && !def.has("AUTO_INCREMENT") && !def.has("AS") && !def.has("GENERATED") {
		a.risk(RiskDanger, text, fmt.Sprintf("adds NOT NULL column %s without DEFAULT: the row copy does not write it, so it fails in strict mode (or gets 0/'' otherwise); give the column a DEFAULT", n))
	}
	if def.has("UNIQUE") || def.hasPair("PRIMARY", "KEY") {
		a.risk(RiskWarning, text, fmt.Sprintf("makes column %s unique: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates", n))
	}
}

func (a *Analysis) scanAddConstraint(w words, text string) {
	switch {
	case w.has("FOREIGN"):
		// reported by scanForeign
	case w.has("PRIMARY"):
		a.risk(RiskWarning, text, "adds a primary key: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates or NULLs in its columns")
	case w.has("UNIQUE"):
		a.risk(RiskWarning, text, "adds a unique key: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates")
	case w.has("CHECK"):
		a.risk(RiskWarning, text, "adds a CHECK constraint: rows that violate it fail the copy")
	case w.kw(1) == "PARTITION":
		a.risk(RiskInfo, text, "changes partitioning: the ghost table is built with the new layout and rows are copied into it")
	}
	a.scanForeign(w, text)
}

// scanForeign refuses foreign keys in ADD, CHANGE and MODIFY clauses.
func (a *Analysis) scanForeign(w words, text string) {
	if w.has("REFERENCES") || w.hasPair("FOREIGN", "KEY") {
		a.refuse(text, "it adds a foreign key", hintForeignFK)
	}
}

func (a *Analysis) scanDrop(w words, text string) {
	j := 1
	column := w.kw(j) == "COLUMN"
	if column {
		j++
	}
	if !column {
		switch k := w.kw(j); {
		case k == "PARTITION":
			a.refuse(text, "it deletes the rows of a partition, which a row copy into an empty ghost table cannot do", hintDirect)
			return
		case k == "PRIMARY":
			a.risk(RiskWarning, text, "drops the primary key: ghost needs a unique key shared by the old and new table to copy by")
			return
		case k == "INDEX" || k == "KEY":
			a.risk(RiskInfo, text, "drops an index: if it is the only unique key shared by the old and new table, the engine refuses")
			return
		case k == "FOREIGN" || k == "CONSTRAINT" || k == "CHECK",
			k == "SYSTEM" && w.kw(j+1) == "VERSIONING", k == "PERIOD" && w.kw(j+1) == "FOR":
			return
		}
	}
	j = w.skip(j, "IF", "EXISTS")
	if n, ok := w.name(j); ok {
		a.Dropped = append(a.Dropped, n)
		a.risk(RiskWarning, text, "drops column "+n+": its values are gone after the cut-over")
	}
}

// Clauses is the ALTER's clause list cut at top-level commas, each clause as written (a
// plan tries each on its own).
func (a *Analysis) Clauses() []string {
	lx, err := lex(a.Clause)
	if err != nil {
		return []string{a.Clause}
	}
	var out []string
	for _, p := range splitTop(lx.tokens) {
		out = append(out, a.Clause[p[0].start:p[len(p)-1].end])
	}
	return out
}
