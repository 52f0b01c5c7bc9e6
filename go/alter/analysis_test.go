package alter

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseClauseAndTable(t *testing.T) {
	tests := []struct {
		name, in        string
		clause, table   string
		schema, tblPart string
	}{
		{name: "bare", in: "ADD COLUMN c INT, DROP COLUMN d", clause: "ADD COLUMN c INT, DROP COLUMN d"},
		{name: "bare trailing semicolon", in: "  ADD COLUMN c INT ;  ", clause: "ADD COLUMN c INT"},
		{name: "bare several semicolons and comment", in: "ADD COLUMN c INT;; -- done\n", clause: "ADD COLUMN c INT"},
		{name: "bare leading comments", in: "/* why */ -- note\n# more\nADD COLUMN c INT", clause: "ADD COLUMN c INT"},
		{name: "bare ALTER COLUMN", in: "ALTER COLUMN c SET DEFAULT 1", clause: "ALTER COLUMN c SET DEFAULT 1"},
		{name: "full", in: "ALTER TABLE t ADD COLUMN c INT", clause: "ADD COLUMN c INT", table: "t", tblPart: "t"},
		{name: "full lower case", in: "alter table t add column c int;", clause: "add column c int", table: "t", tblPart: "t"},
		{name: "full db.t", in: "ALTER TABLE db.t ADD COLUMN c INT", clause: "ADD COLUMN c INT", table: "db.t", schema: "db", tblPart: "t"},
		{name: "full backquoted", in: "ALTER TABLE `my db`.`t``x` ADD COLUMN c INT", clause: "ADD COLUMN c INT", table: "my db.t`x", schema: "my db", tblPart: "t`x"},
		{name: "full spaced dot", in: "ALTER TABLE `db` . `t` DROP d", clause: "DROP d", table: "db.t", schema: "db", tblPart: "t"},
		{name: "full online ignore comments", in: "/* c */ ALTER ONLINE IGNORE /* x */ TABLE -- y\n t /* z */ ADD c INT; -- end",
			clause: "ADD c INT", table: "t", tblPart: "t"},
		{name: "full MariaDB IF EXISTS and NOWAIT", in: "ALTER TABLE IF EXISTS t NOWAIT ADD c INT", clause: "ADD c INT", table: "t", tblPart: "t"},
		{name: "full MariaDB WAIT n", in: "ALTER TABLE t WAIT 5 ADD c INT", clause: "ADD c INT", table: "t", tblPart: "t"},
		{name: "clause keeps inner comments and strings", in: "ALTER TABLE t ADD c INT COMMENT 'a; b -- c', /* keep */ ADD d INT",
			clause: "ADD c INT COMMENT 'a; b -- c', /* keep */ ADD d INT", table: "t", tblPart: "t"},
		{name: "executable comment kept whole", in: "ALTER TABLE t /*!50100 ADD c INT */ ;", clause: "/*!50100 ADD c INT */", table: "t", tblPart: "t"},
		{name: "executable comment in prefix", in: "ALTER /*!50000 ONLINE */ TABLE t ADD c INT", clause: "ADD c INT", table: "t", tblPart: "t"},
		{name: "multi-line clause", in: "ALTER TABLE t\n  ADD c INT,\n  DROP d\n;\n", clause: "ADD c INT,\n  DROP d", table: "t", tblPart: "t"},
		{name: "MariaDB-only syntax kept", in: "ALTER TABLE t ADD COLUMN u UUID", clause: "ADD COLUMN u UUID", table: "t", tblPart: "t"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if a.Clause != tc.clause {
				t.Errorf("Clause = %q, want %q", a.Clause, tc.clause)
			}
			if a.TableInStatement != tc.table || a.StatementSchema != tc.schema || a.StatementTable != tc.tblPart {
				t.Errorf("table = %q (%q, %q), want %q (%q, %q)", a.TableInStatement, a.StatementSchema, a.StatementTable,
					tc.table, tc.schema, tc.tblPart)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
		text     string
	}{
		{name: "empty", in: "", want: ErrEmpty},
		{name: "blank", in: "  \n\t", want: ErrEmpty},
		{name: "only comments and semicolons", in: "/* x */ ; -- y", want: ErrEmpty},
		{name: "prefix without clause", in: "ALTER TABLE t;", want: ErrEmpty, text: "ALTER TABLE t has no clause"},
		{name: "drop table", in: "DROP TABLE t", want: ErrNotAlterTable, text: "DROP TABLE"},
		{name: "drop table unparsable", in: "DROP TABLE t WITH SOMETHING ODD", want: ErrNotAlterTable, text: "DROP TABLE"},
		{name: "rename table statement", in: "RENAME TABLE a TO b", want: ErrNotAlterTable},
		{name: "create table MariaDB", in: "CREATE TABLE t (u UUID)", want: ErrNotAlterTable, text: "CREATE"},
		{name: "select", in: "SELECT 1", want: ErrNotAlterTable},
		{name: "truncate", in: "TRUNCATE TABLE t", want: ErrNotAlterTable},
		{name: "alter database", in: "ALTER DATABASE d CHARACTER SET utf8mb4", want: ErrNotAlterTable},
		{name: "drop view", in: "DROP VIEW v", want: ErrNotAlterTable},
		{name: "two statements", in: "ALTER TABLE t ADD c INT; DROP TABLE t", want: ErrSyntax, text: "more than one statement"},
		{name: "unterminated string", in: "ADD c INT COMMENT 'oops", want: ErrSyntax},
		{name: "unterminated comment", in: "ADD c INT /* oops", want: ErrSyntax},
		{name: "missing table name", in: "ALTER TABLE ADD COLUMN c INT", want: ErrSyntax, text: "table name"},
		{name: "executable comment straddles", in: "ALTER TABLE t /*!50100 ADD c INT; */", want: ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", tc.in, a)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			var ue *UserError
			if !errors.As(err, &ue) || ue.Hint == "" {
				t.Errorf("error %v is not a *UserError with a hint", err)
			}
			checkOneLine(t, err.Error())
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q does not mention %q", err, tc.text)
			}
		})
	}
}

func checkOneLine(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\n\r") {
		t.Errorf("text is not one line: %q", s)
	}
}

func TestParseColumns(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		parsed   bool
		renames  map[string]string
		dropped  []string
		added    []string
		modified []string
	}{
		{name: "change renames", in: "CHANGE COLUMN a b INT", parsed: true,
			renames: map[string]string{"a": "b"}, modified: []string{"a"}},
		{name: "change keeps name", in: "CHANGE a a BIGINT", parsed: true, modified: []string{"a"}},
		{name: "change case only", in: "CHANGE COLUMN `Name` name VARCHAR(10)", parsed: true, modified: []string{"Name"}},
		{name: "change lower-cases key", in: "CHANGE `OldName` `NewName` INT", parsed: true,
			renames: map[string]string{"oldname": "NewName"}, modified: []string{"OldName"}},
		{name: "rename column", in: "RENAME COLUMN a TO b", parsed: true, renames: map[string]string{"a": "b"}},
		{name: "swap", in: "CHANGE a b INT, CHANGE b a INT", parsed: true,
			renames: map[string]string{"a": "b", "b": "a"}, modified: []string{"a", "b"}},
		{name: "drop and add", in: "DROP COLUMN d, DROP e, ADD COLUMN c INT, ADD f INT", parsed: true,
			dropped: []string{"d", "e"}, added: []string{"c", "f"}},
		{name: "add list", in: "ADD COLUMN (a INT, b INT NOT NULL DEFAULT 0)", parsed: true, added: []string{"a", "b"}},
		{name: "if exists forms", in: "DROP COLUMN IF EXISTS a, ADD COLUMN IF NOT EXISTS b INT, CHANGE COLUMN IF EXISTS c d INT",
			parsed: true, dropped: []string{"a"}, added: []string{"b"}, modified: []string{"c"}, renames: map[string]string{"c": "d"}},
		{name: "modify", in: "MODIFY c BIGINT UNSIGNED NOT NULL DEFAULT 0, MODIFY COLUMN d TEXT", parsed: true, modified: []string{"c", "d"}},
		{name: "partition clause after columns", in: "ADD COLUMN x INT PARTITION BY HASH(id) PARTITIONS 4", parsed: true, added: []string{"x"}},
		// MariaDB-only syntax: keyword scan.
		{name: "uuid", in: "ADD COLUMN u UUID", added: []string{"u"}},
		{name: "inet6 list", in: "ADD (i INET6, j INT)", added: []string{"i", "j"}},
		{name: "invisible", in: "MODIFY c INT INVISIBLE", modified: []string{"c"}},
		{name: "spatial index", in: "ADD SPATIAL INDEX (g)"},
		{name: "change to uuid", in: "CHANGE COLUMN IF EXISTS s u UUID, DROP COLUMN IF EXISTS x, DROP INDEX i, DROP SYSTEM VERSIONING",
			renames: map[string]string{"s": "u"}, modified: []string{"s"}, dropped: []string{"x"}},
		{name: "rename column in unparsable", in: "RENAME COLUMN `a b` TO c, ADD d INET6", renames: map[string]string{"a b": "c"}, added: []string{"d"}},
		{name: "reserved words are not names", in: "ADD u UUID, DROP TABLE t, DROP COLUMN IF EXISTS `table`", added: []string{"u"}, dropped: []string{"table"}},
		{name: "executable comment content counts", in: "ADD u UUID /*!, DROP COLUMN z */", added: []string{"u"}, dropped: []string{"z"}},
		{name: "add index, key, constraint are not columns", in: "ADD INDEX i (a), ADD KEY k (b), ADD CONSTRAINT c UNIQUE (d), ADD v INET6",
			added: []string{"v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if a.Parsed != tc.parsed {
				t.Errorf("Parsed = %v (%s), want %v", a.Parsed, a.ParseError, tc.parsed)
			}
			if a.Parsed != (a.ParseError == "") {
				t.Errorf("ParseError %q with Parsed %v", a.ParseError, a.Parsed)
			}
			if tc.renames == nil {
				tc.renames = map[string]string{}
			}
			if !maps.Equal(a.Renames, tc.renames) {
				t.Errorf("Renames = %v, want %v", a.Renames, tc.renames)
			}
			if a.HasUnapprovedRename() != (len(tc.renames) > 0) {
				t.Errorf("HasUnapprovedRename = %v", a.HasUnapprovedRename())
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"Dropped", a.Dropped, tc.dropped}, {"Added", a.Added, tc.added}, {"Modified", a.Modified, tc.modified}} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestParseErrorPosition(t *testing.T) {
	a, err := Parse("ALTER TABLE t ADD COLUMN u UUID,\n ADD v INT")
	if err != nil {
		t.Fatal(err)
	}
	if a.Parsed || !strings.HasPrefix(a.ParseError, `line 1 column 17 near "UUID`) {
		t.Errorf("ParseError = %q, want the position in the clause", a.ParseError)
	}
	checkOneLine(t, a.ParseError)
}

func TestColumnChanges(t *testing.T) {
	a, err := Parse("ADD c INT NOT NULL DEFAULT 1, MODIFY d BIGINT(20) UNSIGNED NOT NULL, CHANGE e f VARCHAR(64) NULL UNIQUE, ADD g INT AS (c+1) VIRTUAL")
	if err != nil {
		t.Fatal(err)
	}
	want := []ColumnChange{
		{Op: "add", Name: "c", Type: "int", NotNull: true, HasDefault: true},
		{Op: "modify", Old: "d", Name: "d", Type: "bigint(20) unsigned", NotNull: true},
		{Op: "change", Old: "e", Name: "f", Type: "varchar(64)", Unique: true},
		{Op: "add", Name: "g", Type: "int", Generated: true},
	}
	if !slices.Equal(a.Columns, want) {
		t.Errorf("Columns =\n%+v\nwant\n%+v", a.Columns, want)
	}
}

func TestRefusal(t *testing.T) {
	tests := []struct {
		name, in string
		refused  bool
		text     string
	}{
		{name: "plain", in: "ADD c INT, DROP d, MODIFY e BIGINT, ALGORITHM=INPLACE, LOCK=NONE, FORCE"},
		{name: "partition by", in: "PARTITION BY HASH(id) PARTITIONS 4"},
		{name: "add partition", in: "ADD PARTITION (PARTITION p9 VALUES LESS THAN (900))"},
		{name: "remove partitioning", in: "REMOVE PARTITIONING"},
		{name: "convert", in: "CONVERT TO CHARACTER SET utf8mb4"},
		{name: "rename to", in: "RENAME TO t2", refused: true, text: "RENAME TABLE separately"},
		{name: "rename as", in: "ADD c INT, RENAME AS db.t2", refused: true, text: "renames the table"},
		{name: "bare rename", in: "RENAME t2", refused: true},
		{name: "rename to unparsable", in: "ADD u UUID, RENAME TO t2", refused: true, text: "renames the table"},
		{name: "rename column is not refused", in: "RENAME COLUMN a TO b, RENAME INDEX i TO j"},
		{name: "discard tablespace", in: "DISCARD TABLESPACE", refused: true, text: "TABLESPACE"},
		{name: "import tablespace", in: "IMPORT TABLESPACE", refused: true},
		{name: "drop partition", in: "DROP PARTITION p0", refused: true, text: "deletes the rows"},
		{name: "truncate partition", in: "TRUNCATE PARTITION p0", refused: true},
		{name: "exchange partition", in: "EXCHANGE PARTITION p0 WITH TABLE t2", refused: true},
		{name: "optimize partition", in: "OPTIMIZE PARTITION p0", refused: true},
		{name: "analyze partition unparsable", in: "ANALYZE PARTITION p0", refused: true},
		{name: "order by", in: "ORDER BY a", refused: true, text: "ORDER BY"},
		{name: "disable keys", in: "DISABLE KEYS", refused: true},
		{name: "add foreign key", in: "ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p(id)", refused: true, text: "foreign key"},
		{name: "inline references", in: "ADD c INT REFERENCES p(id)", refused: true, text: "foreign key"},
		{name: "foreign key unparsable", in: "ADD u UUID, ADD FOREIGN KEY (a) REFERENCES p(id)", refused: true},
		{name: "several", in: "DROP PARTITION p0, RENAME TO x", refused: true, text: `also refused: "RENAME`},
		{name: "tidb only", in: "SET TIFLASH REPLICA 1", refused: true, text: "TiDB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			err = a.Refusal()
			if (err != nil) != tc.refused {
				t.Fatalf("Refusal() = %v, want refused=%v", err, tc.refused)
			}
			if err == nil {
				return
			}
			var ue *UserError
			if !errors.As(err, &ue) || !errors.Is(err, ErrRefused) || ue.Hint == "" {
				t.Errorf("Refusal() = %#v, want a *UserError with a hint wrapping ErrRefused", err)
			}
			checkOneLine(t, err.Error())
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("Refusal() = %q, want it to mention %q", err, tc.text)
			}
		})
	}
}

func TestRenamesTable(t *testing.T) {
	for _, in := range []string{"RENAME TO x", "RENAME AS x", "RENAME x", "ADD u UUID, RENAME x"} {
		a, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if !a.RenamesTable {
			t.Errorf("%q: RenamesTable = false", in)
		}
	}
}

func TestRisks(t *testing.T) {
	tests := []struct {
		name, in string
		level    string // the most serious level expected
		text     string // expected in one of the messages at that level
	}{
		{name: "not null without default", in: "ADD COLUMN c INT NOT NULL", level: RiskDanger, text: "without DEFAULT"},
		{name: "not null without default unparsable", in: "ADD COLUMN u UUID NOT NULL", level: RiskDanger, text: "without DEFAULT"},
		{name: "not null with default", in: "ADD COLUMN c INT NOT NULL DEFAULT 0", level: ""},
		{name: "not null auto_increment", in: "ADD COLUMN c INT NOT NULL AUTO_INCREMENT, ADD KEY (c)", level: ""},
		{name: "generated not null", in: "ADD COLUMN g INT AS (a+1) STORED NOT NULL", level: ""},
		{name: "modify", in: "MODIFY c BIGINT", level: RiskWarning, text: "shared unique key"},
		{name: "add unique", in: "ADD UNIQUE KEY u (a)", level: RiskWarning, text: "duplicates"},
		{name: "add unique column", in: "ADD c INT UNIQUE", level: RiskWarning, text: "duplicates"},
		{name: "add primary key", in: "ADD PRIMARY KEY (a)", level: RiskWarning, text: "duplicates"},
		{name: "drop column", in: "DROP COLUMN d", level: RiskWarning, text: "values are gone"},
		{name: "drop and re-add", in: "DROP COLUMN d, ADD COLUMN d INT", level: RiskWarning, text: "dropped and added again"},
		{name: "convert", in: "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", level: RiskWarning, text: "re-encodes"},
		{name: "rename", in: "RENAME COLUMN a TO b", level: RiskWarning, text: "--approve-renamed-columns"},
		{name: "foreign key", in: "ADD FOREIGN KEY (a) REFERENCES p(id)", level: RiskDanger, text: "foreign key"},
		{name: "partition by", in: "PARTITION BY KEY(id) PARTITIONS 2", level: RiskInfo, text: "partitioning"},
		{name: "engine", in: "ENGINE=InnoDB", level: RiskInfo, text: "engine"},
		{name: "default charset", in: "DEFAULT CHARSET=utf8mb4", level: RiskInfo, text: "default character set"},
		{name: "auto_increment", in: "AUTO_INCREMENT=1000", level: RiskInfo, text: "AUTO_INCREMENT"},
		{name: "unparsable", in: "ADD COLUMN i INET6 NULL", level: RiskInfo, text: "TiDB parser cannot read"},
		{name: "add index", in: "ADD INDEX (a)", level: ""},
		{name: "alter ignore", in: "ALTER IGNORE TABLE t ADD INDEX (a)", level: RiskWarning, text: "IGNORE is not carried over"},
		{name: "alter online", in: "ALTER ONLINE TABLE t ADD INDEX (a)", level: ""},
	}
	rank := map[string]int{"": 0, RiskInfo: 1, RiskWarning: 2, RiskDanger: 3}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			top, found := "", tc.text == ""
			for _, r := range a.Risks {
				if _, ok := rank[r.Level]; !ok || r.Level == "" {
					t.Errorf("bad level in %+v", r)
				}
				checkOneLine(t, r.Message)
				if rank[r.Level] > rank[top] {
					top = r.Level
				}
				if r.Level == tc.level && strings.Contains(r.Message, tc.text) {
					found = true
				}
			}
			if top != tc.level || !found {
				t.Errorf("Risks = %+v, want top level %q with a message containing %q", a.Risks, tc.level, tc.text)
			}
		})
	}
}

func TestSetsAutoIncrement(t *testing.T) {
	for in, want := range map[string]bool{
		"AUTO_INCREMENT=5":                      true,
		"ENGINE=InnoDB AUTO_INCREMENT 5":        true,
		"ADD u UUID, AUTO_INCREMENT=5":          true,
		"ADD c INT AUTO_INCREMENT, ADD KEY (c)": false,
		"ADD u UUID AUTO_INCREMENT":             false,
	} {
		a, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if a.SetsAutoIncrement != want {
			t.Errorf("%q: SetsAutoIncrement = %v, want %v", in, a.SetsAutoIncrement, want)
		}
	}
}

func TestCheckRenames(t *testing.T) {
	a, err := Parse("CHANGE a b INT, RENAME COLUMN c TO d")
	if err != nil {
		t.Fatal(err)
	}
	err = a.CheckRenames(false, false)
	if !errors.Is(err, ErrRenameNotApproved) || !strings.Contains(err.Error(), "a -> b, c -> d") ||
		!strings.Contains(err.Error(), "--approve-renamed-columns") {
		t.Errorf("CheckRenames(false, false) = %v", err)
	}
	checkOneLine(t, err.Error())
	if err := a.CheckRenames(true, false); err != nil {
		t.Errorf("approved: %v", err)
	}
	if err := a.CheckRenames(false, true); err != nil {
		t.Errorf("skipped: %v", err)
	}
	b, _ := Parse("CHANGE a a BIGINT")
	if err := b.CheckRenames(false, false); err != nil {
		t.Errorf("CHANGE a a: %v", err)
	}
}

func TestCheckTable(t *testing.T) {
	tests := []struct {
		in, schema, table string
		fold, ok          bool
	}{
		{in: "ADD c INT", schema: "db", table: "t", ok: true},
		{in: "ALTER TABLE t ADD c INT", schema: "db", table: "t", ok: true},
		{in: "ALTER TABLE db.t ADD c INT", schema: "db", table: "t", ok: true},
		{in: "ALTER TABLE other.t ADD c INT", schema: "db", table: "t"},
		{in: "ALTER TABLE u ADD c INT", schema: "db", table: "t"},
		{in: "ALTER TABLE T ADD c INT", schema: "db", table: "t"},
		{in: "ALTER TABLE DB.T ADD c INT", schema: "db", table: "t", fold: true, ok: true},
	}
	for _, tc := range tests {
		a, err := Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		err = a.CheckTable(tc.schema, tc.table, tc.fold)
		if (err == nil) != tc.ok {
			t.Errorf("%q CheckTable(%q, %q, %v) = %v, want ok=%v", tc.in, tc.schema, tc.table, tc.fold, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrTableMismatch) {
			t.Errorf("error %v does not wrap ErrTableMismatch", err)
		}
	}
}
