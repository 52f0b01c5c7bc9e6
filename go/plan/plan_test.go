package plan_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/plan"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

var topo *topology.Topology

func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }

// seed is the table every case plans against, with data that the checks count: 100 NULLs in
// v, 200 values of s longer than 32, 300 rows of e = 'c', 20 values of v above 127, k in 10
// duplicate groups, 500 values of d with a third decimal.
const seed = `CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NULL, s VARCHAR(64) NOT NULL,
  e ENUM('a','b','c') NOT NULL DEFAULT 'a', u VARCHAR(20) CHARACTER SET latin1 NULL,
  d DECIMAL(10,3) NOT NULL DEFAULT 0, k INT NOT NULL DEFAULT 0, txt TEXT NULL,
  UNIQUE KEY uu (u), KEY kk (k)) ENGINE=InnoDB`

var seedRows = []string{
	`INSERT INTO t (v, s, e, u, d, k, txt) SELECT IF(seq <= 100, NULL, IF(seq <= 120, 200, seq % 100)),
	  IF(seq <= 200, REPEAT('s', 50), 'short'), IF(seq <= 300, 'c', 'a'), CONCAT('u', seq),
	  IF(seq <= 500, 1.234, 1.5), seq % 10, 'text' FROM seq_1_to_1000`,
	"CREATE TABLE parent (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB",
	"INSERT INTO parent SELECT seq FROM seq_0_to_9",
}

type planCase struct {
	alter string
	class plan.Class
	risks []string // codes, sorted
	count map[string]int64
}

// The classes are what MariaDB 10.11 decided for this table (the test is the record).
var planCases = []planCase{
	{"ADD COLUMN w INT", plan.Instant, nil, nil},
	{"ADD COLUMN w INT FIRST", plan.Instant, nil, nil},
	{"ADD COLUMN w INT NOT NULL DEFAULT 7", plan.Instant, nil, nil},
	{"DROP COLUMN txt", plan.Instant, []string{"drop-column"}, nil},
	{"ALTER COLUMN k SET DEFAULT 5", plan.Instant, nil, nil},
	{"RENAME COLUMN k TO k2", plan.Instant, []string{"rename-column"}, nil},
	{"CHANGE k k2 INT NOT NULL DEFAULT 0", plan.Instant, []string{"rename-column"}, nil},
	{"MODIFY e ENUM('a','b','c','d') NOT NULL DEFAULT 'a'", plan.Instant, nil, nil},
	{"MODIFY s VARCHAR(100) NOT NULL", plan.Instant, nil, nil},
	{"ADD INDEX iv (v)", plan.InplaceNoRebuild, nil, nil},
	{"DROP INDEX kk", plan.InplaceNoRebuild, nil, nil},
	{"ADD UNIQUE KEY uk (k)", plan.InplaceNoRebuild, []string{"unique-over-duplicates"}, map[string]int64{"unique-over-duplicates": 10}},
	{"MODIFY v INT NOT NULL", plan.InplaceOnline, []string{"not-null-on-populated"}, map[string]int64{"not-null-on-populated": 100}},
	{"ENGINE=InnoDB", plan.InplaceOnline, nil, nil},
	{"FORCE", plan.InplaceOnline, nil, nil},
	{"MODIFY v BIGINT", plan.Copy, []string{"type-change-rewrite"}, nil},
	{"MODIFY v TINYINT", plan.Copy, []string{"narrowing-data-loss", "type-change-rewrite"}, map[string]int64{"narrowing-data-loss": 20}},
	{"MODIFY s VARCHAR(32) NOT NULL", plan.Copy, []string{"narrowing-data-loss", "type-change-rewrite"}, map[string]int64{"narrowing-data-loss": 200}},
	{"MODIFY d DECIMAL(10,2) NOT NULL DEFAULT 0", plan.Copy, []string{"narrowing-data-loss", "type-change-rewrite"}, map[string]int64{"narrowing-data-loss": 500}},
	{"MODIFY e ENUM('c','b','a') NOT NULL DEFAULT 'a'", plan.Copy, []string{"enum-reorder", "type-change-rewrite"}, nil},
	{"MODIFY e ENUM('a','b') NOT NULL DEFAULT 'a'", plan.Copy, []string{"enum-value-removed", "type-change-rewrite"}, map[string]int64{"enum-value-removed": 300}},
	{"MODIFY u VARCHAR(20) CHARACTER SET utf8mb4 NULL", plan.Copy, []string{"charset-collation-change-in-unique-key"}, nil},
	{"ADD CONSTRAINT fk FOREIGN KEY (k) REFERENCES parent (id)", plan.Copy, []string{"foreign-key-revalidation"}, nil},
	{"ADD FULLTEXT INDEX ft (txt)", plan.InplaceLocking, []string{"index-without-online"}, nil},
	{"ADD COLUMN w INT, MODIFY v BIGINT", plan.Copy, []string{"type-change-rewrite"}, nil},
	{"MODIFY nope INT", plan.Refused, nil, nil},
}

func setup(t *testing.T) (*dbconnDB, *schema.Table) {
	t.Helper()
	db, name := topotest.NewDatabase(t, topo)
	for _, q := range append([]string{seed}, seedRows...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Exec("ANALYZE TABLE t"); err != nil {
		t.Fatal(err)
	}
	tb, err := schema.Read(context.Background(), db, name, "t")
	if err != nil {
		t.Fatal(err)
	}
	info, err := dbconn.Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return &dbconnDB{db: db, info: info}, tb
}

// TestPlanClasses plans every case against the seeded table on the real server: the class of
// the ALTER, the risk codes and the data checks' counts.
func TestPlanClasses(t *testing.T) {
	d, tb := setup(t)
	var table []string
	for _, c := range planCases {
		a, err := alter.Parse(c.alter)
		if err != nil {
			t.Fatalf("%s: %v", c.alter, err)
		}
		r, err := plan.Make(context.Background(), plan.Config{Primary: d.db, Replica: d.db, Info: d.info, Orig: tb, Alter: a, Scratch: "_t_gpl", CheckTimeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("%s: %v", c.alter, err)
		}
		var codes []string
		counts := map[string]int64{}
		for _, k := range r.Risks {
			if !slices.Contains(codes, k.Code) {
				codes = append(codes, k.Code)
			}
			if k.Count != nil {
				counts[k.Code] = *k.Count
			}
		}
		sort.Strings(codes)
		if r.Class != c.class || !slices.Equal(codes, c.risks) {
			t.Errorf("%s: class %s risks %v, want %s %v", c.alter, r.Class, codes, c.class, c.risks)
		}
		for code, n := range c.count {
			if counts[code] != n {
				t.Errorf("%s: %s counted %d, want %d", c.alter, code, counts[code], n)
			}
		}
		table = append(table, "| `"+c.alter+"` | "+string(r.Class)+" | "+strings.Join(codes, ", ")+" |")
	}
	if n := len(planCases); n < 25 {
		t.Errorf("%d cases, want at least 25", n)
	}
	t.Logf("the classes as the server decided them:\n%s", strings.Join(table, "\n"))
}

// TestPlanJSON checks the JSON a CI gate reads: the documented fields, with their types.
func TestPlanJSON(t *testing.T) {
	d, tb := setup(t)
	a, _ := alter.Parse("MODIFY v INT NOT NULL, ADD COLUMN w INT")
	r, err := plan.Make(context.Background(), plan.Config{Primary: d.db, Replica: d.db, Info: d.info, Orig: tb, Alter: a, Scratch: "_t_gpl", CheckTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for field, kind := range map[string]string{"database": "string", "table": "string", "alter": "string", "server": "string", "class": "string",
		"native_writers": "string", "clauses": "array", "estimates": "object", "risks": "array", "expand_contract": "object"} {
		if k := kindOf(got[field]); k != kind {
			t.Errorf("field %s is %s, want %s:\n%s", field, k, kind, b)
		}
	}
	cl := got["clauses"].([]any)[0].(map[string]any)
	if kindOf(cl["clause"]) != "string" || kindOf(cl["class"]) != "string" {
		t.Errorf("a clause: %v", cl)
	}
	rk := got["risks"].([]any)[0].(map[string]any)
	if rk["code"] != "not-null-on-populated" || rk["count"] != float64(100) || kindOf(rk["message"]) != "string" || kindOf(rk["safer"]) != "string" {
		t.Errorf("a risk: %v", rk)
	}
	est := got["estimates"].(map[string]any)
	for _, f := range []string{"rows", "copy_rows_per_second", "native_seconds", "ghost_seconds"} {
		if kindOf(est[f]) != "number" {
			t.Errorf("estimates.%s: %v", f, est[f])
		}
	}
	steps := got["expand_contract"].(map[string]any)["NOT NULL on v"].([]any)
	if len(steps) != 3 || steps[2].(map[string]any)["phase"] != "contract" {
		t.Errorf("steps: %v", steps)
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}

type dbconnDB struct {
	db   *sql.DB
	info dbconn.ServerInfo
}

// TestPlanAutoIncrement: a counter past 80% of its type's limit is a risk of its own.
func TestPlanAutoIncrement(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	for _, q := range []string{"CREATE TABLE a (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT) AUTO_INCREMENT=2000000000", "INSERT INTO a (v) VALUES (1)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tb, err := schema.Read(context.Background(), db, name, "a")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := dbconn.Inspect(context.Background(), db)
	a, _ := alter.Parse("ADD COLUMN w INT")
	r, err := plan.Make(context.Background(), plan.Config{Primary: db, Replica: db, Info: info, Orig: tb, Alter: a, Scratch: "_a_gpl", CheckTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Risks) != 1 || r.Risks[0].Code != "auto-increment-near-limit" || !strings.Contains(r.Risks[0].Message, "93%") {
		t.Errorf("risks %+v", r.Risks)
	}
}
