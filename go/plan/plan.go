// Package plan tells, before anything runs, what an ALTER would cost on this server and what
// could go wrong (docs/plan.md): the algorithm class of the ALTER and of each clause as the
// server itself decides it on an empty copy of the table, the effect of a native ALTER on
// writers and estimates of its time and ghost's, risks with stable codes (counted in the data
// where that tells something), and the expand-contract steps that avoid the risky ones.
package plan

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/sqlgen"
)

// Class is how the server can run an ALTER, cheapest first.
type Class string

const (
	Instant          Class = "instant"            // metadata only
	InplaceNoRebuild Class = "inplace-no-rebuild" // online, no table rebuild (MariaDB NOCOPY)
	InplaceOnline    Class = "inplace-online"     // online (LOCK=NONE), the table rebuilt in place
	InplaceLocking   Class = "inplace-locking"    // in place, writes blocked
	Copy             Class = "copy"               // a table copy, writes blocked
	Refused          Class = "refused"            // the server refuses the ALTER
)

// Writers says what a native ALTER of a class does to the application's writes.
func (c Class) Writers() string {
	switch c {
	case Instant:
		return "online: a metadata lock for an instant"
	case InplaceNoRebuild, InplaceOnline:
		return "online: writes go on, a metadata lock at the start and the end"
	case InplaceLocking, Copy:
		return "blocks writes for the whole ALTER"
	}
	return "-"
}

// ClauseClass is the class of one clause.
type ClauseClass struct {
	Clause string `json:"clause"`
	Class  Class  `json:"class"`
	// Why is the server's refusal of the next cheaper algorithm.
	Why string `json:"why,omitempty"`
}

// Risk is one thing that can go wrong, with a stable code.
type Risk struct {
	Code    string `json:"code"`
	Clause  string `json:"clause,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
	Safer   string `json:"safer"`
	// Count is what the data check found (rows with NULL, rows that do not fit, duplicate
	// groups); nil when the risk has no count or the check was skipped (Skipped says why).
	Count   *int64 `json:"count,omitempty"`
	Skipped string `json:"check_skipped,omitempty"`
}

// Step is one step of an expand-contract sequence.
type Step struct {
	Phase string `json:"phase"` // expand, backfill, application, contract
	What  string `json:"what"`
	SQL   string `json:"sql,omitempty"`
}

// Estimates are times in seconds from the table's size and this server's measured copy rate.
type Estimates struct {
	Rows           int64   `json:"rows"`
	CopyRowsPerSec float64 `json:"copy_rows_per_second"`
	NativeSeconds  float64 `json:"native_seconds"`
	GhostSeconds   float64 `json:"ghost_seconds"`
	Basis          string  `json:"basis"`
}

// Report is a plan.
type Report struct {
	Database  string            `json:"database"`
	Table     string            `json:"table"`
	Alter     string            `json:"alter"`
	Server    string            `json:"server"`
	Class     Class             `json:"class"`
	Writers   string            `json:"native_writers"`
	Clauses   []ClauseClass     `json:"clauses"`
	Estimates Estimates         `json:"estimates"`
	Risks     []Risk            `json:"risks"`
	Steps     map[string][]Step `json:"expand_contract,omitempty"`
	Refusal   string            `json:"refusal,omitempty"`
}

// Config is what a plan reads.
type Config struct {
	Primary *sql.DB // where the scratch tables are made (the server the ALTER runs on)
	Replica *sql.DB // where the data checks run (the inspected server)
	Info    dbconn.ServerInfo
	Orig    *schema.Table
	Alter   *alter.Analysis
	// Scratch names the empty copies the trials use.
	Scratch string
	// CheckTimeout bounds every data check.
	CheckTimeout time.Duration
}

// Make builds the plan. The scratch tables are dropped before it returns.
func Make(ctx context.Context, cfg Config) (*Report, error) {
	t := cfg.Orig
	r := &Report{Database: t.Schema, Table: t.Name, Alter: cfg.Alter.Clause, Server: cfg.Info.String(), Risks: []Risk{}}
	p := &planner{cfg: cfg, r: r, orig: sqlgen.Table{Schema: t.Schema, Name: t.Name},
		scratch: sqlgen.Table{Schema: t.Schema, Name: cfg.Scratch}}
	defer p.drop(context.WithoutCancel(ctx))
	var why string
	var err error
	r.Class, why, err = p.classify(ctx, cfg.Alter.Clause)
	if err != nil {
		return nil, err
	}
	r.Writers = r.Class.Writers()
	if r.Class == Refused {
		r.Refusal = why
	}
	for _, c := range cfg.Alter.Clauses() {
		cl, why, err := p.classify(ctx, c)
		if err != nil {
			return nil, err
		}
		r.Clauses = append(r.Clauses, ClauseClass{Clause: c, Class: cl, Why: why})
	}
	if err := p.estimate(ctx); err != nil {
		return nil, err
	}
	if r.Class != Refused {
		if err := p.risks(ctx); err != nil {
			return nil, err
		}
	}
	return r, nil
}

type planner struct {
	cfg           Config
	r             *Report
	orig, scratch sqlgen.Table
	after         *schema.Table // the table as the ALTER leaves it
}

func (p *planner) drop(ctx context.Context) {
	p.cfg.Primary.ExecContext(ctx, "DROP TABLE IF EXISTS "+p.scratch.String())
}

// fresh makes the scratch table an empty copy of the original: same definition, row format.
func (p *planner) fresh(ctx context.Context) error {
	p.drop(ctx)
	if _, err := p.cfg.Primary.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s LIKE %s", p.scratch, p.orig)); err != nil {
		return fmt.Errorf("plan: create %s: %w", p.scratch, err)
	}
	return nil
}

// classify asks the server, cheapest algorithm first, which it accepts for clause.
func (p *planner) classify(ctx context.Context, clause string) (Class, string, error) {
	type try struct {
		class Class
		with  string
	}
	tries := []try{{Instant, "ALGORITHM=INSTANT"}}
	if p.cfg.Info.Flavor == dbconn.MariaDB {
		tries = append(tries, try{InplaceNoRebuild, "ALGORITHM=NOCOPY, LOCK=NONE"})
	}
	tries = append(tries, try{InplaceOnline, "ALGORITHM=INPLACE, LOCK=NONE"}, try{InplaceLocking, "ALGORITHM=INPLACE"}, try{Copy, "ALGORITHM=COPY"})
	why := ""
	for _, tr := range tries {
		if err := p.fresh(ctx); err != nil {
			return "", "", err
		}
		_, err := p.cfg.Primary.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s %s, %s", p.scratch, clause, tr.with))
		if err == nil {
			if clause == p.cfg.Alter.Clause {
				after, rerr := schema.Read(ctx, p.cfg.Primary, p.scratch.Schema, p.scratch.Name)
				if rerr != nil {
					return "", "", rerr
				}
				p.after = after
			}
			return tr.class, why, nil
		}
		if dbconn.Number(err) == 0 {
			return "", "", fmt.Errorf("plan: try %s: %w", tr.with, err)
		}
		if why == "" {
			why = dbconn.Message(err)
		}
	}
	return Refused, why, nil
}

// estimate measures this server's copy rate on a sample of the table (READ COMMITTED: no row
// locks on the original) and scales it to the table.
func (p *planner) estimate(ctx context.Context) error {
	e := &p.r.Estimates
	if err := p.cfg.Primary.QueryRowContext(ctx, "SELECT COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
		p.orig.Schema, p.orig.Name).Scan(&e.Rows); err != nil {
		return fmt.Errorf("plan: table size: %w", err)
	}
	if err := p.fresh(ctx); err != nil {
		return err
	}
	conn, err := p.cfg.Primary.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"); err != nil {
		return err
	}
	const sample = 20000
	start := time.Now()
	res, err := conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s SELECT * FROM %s LIMIT %d", p.scratch, p.orig, sample))
	took := time.Since(start)
	conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
	if err != nil {
		e.Basis = "no sample copy: " + dbconn.Message(err)
		return nil
	}
	n, _ := res.RowsAffected()
	if n == 0 || took <= 0 {
		e.Basis = "the table is empty"
		return nil
	}
	e.CopyRowsPerSec = float64(n) / took.Seconds()
	copySec := float64(e.Rows) / e.CopyRowsPerSec
	switch p.r.Class {
	case Instant, InplaceNoRebuild:
		e.NativeSeconds = 0
	default:
		e.NativeSeconds = copySec
	}
	// ghost's copy measured 1.06-1.21x of INSERT ... SELECT in script/bench (docs/bench.md),
	// plus the checksum, 0.16x of the copy (docs/checksum.md).
	e.GhostSeconds = copySec * 1.2 * 1.16
	e.Basis = fmt.Sprintf("a sample copy of %d rows at %.0f rows/s, scaled to the table's %d estimated rows", n, e.CopyRowsPerSec, e.Rows)
	return nil
}

// check runs a counting query on the replica within the time bound.
func (p *planner) check(ctx context.Context, query string, args ...any) (*int64, string) {
	cctx, cancel := context.WithTimeout(ctx, p.cfg.CheckTimeout)
	defer cancel()
	var n int64
	if err := p.cfg.Replica.QueryRowContext(cctx, query, args...).Scan(&n); err != nil {
		if cctx.Err() != nil {
			return nil, fmt.Sprintf("took longer than %s", p.cfg.CheckTimeout)
		}
		return nil, dbconn.Message(err)
	}
	return &n, ""
}

var (
	reLength  = regexp.MustCompile(`^(?:var)?(?:char|binary)\((\d+)\)`)
	reDecimal = regexp.MustCompile(`^decimal\((\d+),(\d+)\)`)
)

// risks compares the table before and after the ALTER, and looks at the data where a count
// tells how bad it is.
func (p *planner) risks(ctx context.Context) error {
	o, a, an := p.cfg.Orig, p.after, p.cfg.Alter
	if a == nil {
		return nil
	}
	rows := p.r.Estimates.Rows
	add := func(r Risk) { p.r.Risks = append(p.r.Risks, r) }
	q := func(c string) string { return dbconn.QuoteIdent(c) }
	renamed := map[string]string{}
	for from, to := range an.Renames {
		renamed[strings.ToLower(from)] = to
		add(Risk{Code: "rename-column", Column: from, Message: fmt.Sprintf("renames column %s to %s: code that reads or writes %s breaks at the cut-over", from, to, from),
			Safer: "expand-contract: add the new column, backfill, dual-write, switch reads, drop the old one (steps below)"})
		if oc, ok := o.Column(from); ok {
			p.steps(fmt.Sprintf("rename %s to %s", from, to), renameSteps(p.orig, oc, to))
		}
	}
	for _, oc := range o.Columns {
		name := oc.Name
		if to, ok := renamed[strings.ToLower(name)]; ok {
			name = to
		}
		nc, ok := a.Column(name)
		if !ok {
			add(Risk{Code: "drop-column", Column: oc.Name, Message: fmt.Sprintf("drops column %s: code that still reads or writes it fails after the cut-over, and its values are gone", oc.Name),
				Safer: "stop using the column in the application first (reads, then writes); drop it once no code names it"})
			continue
		}
		if oc.Nullable && !nc.Nullable && rows > 0 {
			n, skipped := p.check(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IS NULL", p.orig, q(oc.Name)))
			add(Risk{Code: "not-null-on-populated", Column: nc.Name, Count: n, Skipped: skipped,
				Message: fmt.Sprintf("makes %s NOT NULL on a populated table: rows holding NULL fail the copy (a native ALTER turns them into the type's zero in non-strict mode)", nc.Name),
				Safer:   "backfill the NULLs in batches and make every writer set the column, then add NOT NULL (steps below)"})
			p.steps("NOT NULL on "+nc.Name, notNullSteps(p.orig, oc))
		}
		typeChanged := oc.ColumnType != nc.ColumnType
		if typeChanged && p.r.Class != Instant && p.r.Class != InplaceNoRebuild {
			add(Risk{Code: "type-change-rewrite", Column: nc.Name,
				Message: fmt.Sprintf("changes %s from %s to %s: a native ALTER rewrites the whole table (%s)", nc.Name, oc.ColumnType, nc.ColumnType, p.r.Class.Writers()),
				Safer:   "run it with ghost (online), or expand-contract through a new column (steps below)"})
			p.steps(fmt.Sprintf("type of %s to %s", nc.Name, nc.ColumnType), typeSteps(p.orig, oc, nc))
		}
		if typeChanged {
			if cond := narrowing(oc, nc); cond != "" {
				n, skipped := p.check(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", p.orig, cond))
				add(Risk{Code: "narrowing-data-loss", Column: nc.Name, Count: n, Skipped: skipped,
					Message: fmt.Sprintf("narrows %s from %s to %s: values that do not fit fail ghost's copy (a non-strict native ALTER truncates them)", nc.Name, oc.ColumnType, nc.ColumnType),
					Safer:   "fix or remove the rows that do not fit first (count above), or keep the wider type"})
			}
		}
		if oc.DataType == "enum" && nc.DataType == "enum" || oc.DataType == "set" && nc.DataType == "set" {
			var removed []string
			for _, m := range oc.Members {
				if !slices.Contains(nc.Members, m) {
					removed = append(removed, m)
				}
			}
			switch {
			case len(removed) > 0:
				lits := make([]string, len(removed))
				args := make([]any, len(removed))
				for i, m := range removed {
					lits[i], args[i] = "?", m
				}
				n, skipped := p.check(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IN (%s)", p.orig, q(oc.Name), strings.Join(lits, ", ")), args...)
				add(Risk{Code: "enum-value-removed", Column: nc.Name, Count: n, Skipped: skipped,
					Message: fmt.Sprintf("removes value(s) %s of %s: rows holding them fail the copy (a native ALTER empties them)", strings.Join(removed, ", "), nc.Name),
					Safer:   "move the rows off those values first (count above), and stop the application writing them"})
			case !slices.Equal(commonOrder(oc.Members, nc.Members), commonOrder(nc.Members, oc.Members)):
				add(Risk{Code: "enum-reorder", Column: nc.Name,
					Message: fmt.Sprintf("reorders the values of %s: ORDER BY and comparisons by the column change meaning, and a native ALTER rewrites the table", nc.Name),
					Safer:   "append new values at the end instead of reordering"})
			}
		}
		if (!strings.EqualFold(oc.Charset, nc.Charset) || !strings.EqualFold(oc.Collation, nc.Collation)) && oc.Charset != "" && inUniqueKey(a, nc.Name) {
			add(Risk{Code: "charset-collation-change-in-unique-key", Column: nc.Name,
				Message: fmt.Sprintf("changes the charset or collation of %s (%s/%s to %s/%s), which a unique key covers: values unique before may collide after (case, accents, padding)", nc.Name, oc.Charset, oc.Collation, nc.Charset, nc.Collation),
				Safer:   "check for values equal under the new collation first (GROUP BY the column COLLATE the new collation HAVING COUNT(*) > 1)"})
		}
	}
	for _, k := range a.Keys {
		if !k.Unique {
			continue
		}
		// The key's columns by their names in the original (renames undone).
		origCols := make([]string, len(k.Columns))
		for i, c := range k.Columns {
			origCols[i] = c
			for oldName, to := range renamed {
				if strings.EqualFold(to, c) {
					if oc, ok := o.Column(oldName); ok {
						origCols[i] = oc.Name
					}
				}
			}
		}
		if hasUniqueOn(o, origCols) || rows == 0 {
			continue
		}
		cols := make([]string, len(origCols))
		notNull := make([]string, len(origCols))
		for i, c := range origCols {
			cols[i], notNull[i] = q(c), q(c)+" IS NOT NULL"
		}
		n, skipped := p.check(ctx, fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s WHERE %s GROUP BY %s HAVING COUNT(*) > 1) d",
			p.orig, strings.Join(notNull, " AND "), strings.Join(cols, ", ")))
		add(Risk{Code: "unique-over-duplicates", Column: strings.Join(k.Columns, ","), Count: n, Skipped: skipped,
			Message: fmt.Sprintf("adds unique key %s over (%s): duplicate groups fail ghost's copy (count above is of groups)", k.Name, strings.Join(k.Columns, ", ")),
			Safer:   "remove the duplicates first and make the application stop writing them"})
	}
	for _, c := range p.r.Clauses {
		up := strings.ToUpper(c.Clause)
		switch {
		case strings.Contains(up, "FOREIGN KEY"):
			add(Risk{Code: "foreign-key-revalidation", Clause: c.Clause,
				Message: "adds a foreign key: a native ALTER checks every row against the parent (with foreign_key_checks on, under a lock), and ghost does not migrate foreign keys",
				Safer:   "add the constraint with a plain ALTER and foreign_key_checks=0 once the data is known to be consistent, at a quiet time"})
		case isIndexAdd(up) && (c.Class == InplaceLocking || c.Class == Copy):
			add(Risk{Code: "index-without-online", Clause: c.Clause,
				Message: fmt.Sprintf("builds an index that this server cannot build online (%s): a native ALTER blocks writes for the whole build", c.Class),
				Safer:   "run it with ghost"})
		}
	}
	var autoCol string
	p.cfg.Primary.QueryRowContext(ctx, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND EXTRA LIKE '%auto_increment%'",
		o.Schema, o.Name).Scan(&autoCol)
	for _, c := range o.Columns {
		if !strings.EqualFold(c.Name, autoCol) || o.AutoIncrement == 0 {
			continue
		}
		limit := maxOf(c)
		if limit > 0 && float64(o.AutoIncrement) > 0.8*float64(limit) {
			add(Risk{Code: "auto-increment-near-limit", Column: c.Name,
				Message: fmt.Sprintf("the counter of %s (%s) is at %d, %.0f%% of its type's limit %d", c.Name, c.ColumnType, o.AutoIncrement, 100*float64(o.AutoIncrement)/float64(limit), limit),
				Safer:   "widen the column (INT to BIGINT) before it runs out, with ghost"})
		}
	}
	return nil
}

func (p *planner) steps(what string, steps []Step) {
	if p.r.Steps == nil {
		p.r.Steps = map[string][]Step{}
	}
	p.r.Steps[what] = steps
}

func isIndexAdd(up string) bool {
	for _, k := range []string{"ADD INDEX", "ADD KEY", "ADD UNIQUE", "ADD FULLTEXT", "ADD SPATIAL", "CREATE INDEX"} {
		if strings.Contains(up, k) {
			return true
		}
	}
	return false
}

// commonOrder is the members of a that b has too, in a's order.
func commonOrder(a, b []string) []string {
	var out []string
	for _, m := range a {
		if slices.Contains(b, m) {
			out = append(out, m)
		}
	}
	return out
}

func inUniqueKey(t *schema.Table, col string) bool {
	for _, k := range t.Keys {
		if k.Unique && slices.ContainsFunc(k.Columns, func(c string) bool { return strings.EqualFold(c, col) }) {
			return true
		}
	}
	return false
}

func hasUniqueOn(t *schema.Table, cols []string) bool {
	for _, k := range t.Keys {
		if !k.Unique || len(k.Columns) > len(cols) {
			continue
		}
		all := true
		for _, c := range k.Columns {
			if !slices.ContainsFunc(cols, func(x string) bool { return strings.EqualFold(x, c) }) {
				all = false
			}
		}
		if all {
			return true // a unique subset makes the new key hold already
		}
	}
	return false
}

// narrowing is the condition of rows whose value of o does not fit n, or "".
func narrowing(o, n schema.Column) string {
	q := dbconn.QuoteIdent(o.Name)
	if lo, ln := reLength.FindStringSubmatch(o.ColumnType), reLength.FindStringSubmatch(n.ColumnType); lo != nil && ln != nil {
		a, _ := strconv.Atoi(lo[1])
		b, _ := strconv.Atoi(ln[1])
		if b < a {
			return fmt.Sprintf("CHAR_LENGTH(%s) > %d", q, b)
		}
		return ""
	}
	if schema.IntegerBits(o.DataType) > 0 && schema.IntegerBits(n.DataType) > 0 {
		if lo, hi := intRange(n); schema.IntegerBits(n.DataType) < schema.IntegerBits(o.DataType) || n.Unsigned != o.Unsigned {
			return fmt.Sprintf("%s NOT BETWEEN %s AND %s", q, lo, hi)
		}
		return ""
	}
	if m := reDecimal.FindStringSubmatch(n.ColumnType); m != nil && (o.DataType == "decimal" || schema.IntegerBits(o.DataType) > 0 || o.DataType == "double" || o.DataType == "float") {
		return fmt.Sprintf("%s <> CAST(%s AS DECIMAL(%s,%s))", q, q, m[1], m[2])
	}
	return ""
}

func intRange(c schema.Column) (string, string) {
	bits := schema.IntegerBits(c.DataType)
	if c.Unsigned {
		if bits == 64 {
			return "0", "18446744073709551615"
		}
		return "0", strconv.FormatUint(1<<bits-1, 10)
	}
	return strconv.FormatInt(-(1 << (bits - 1)), 10), strconv.FormatInt(1<<(bits-1)-1, 10)
}

func maxOf(c schema.Column) uint64 {
	bits := schema.IntegerBits(c.DataType)
	switch {
	case bits == 0:
		return 0
	case c.Unsigned && bits == 64:
		return 1<<64 - 1
	case c.Unsigned:
		return 1<<bits - 1
	}
	return 1<<(bits-1) - 1
}

// Text renders the plan for a terminal.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plan for %s.%s on %s\n", r.Database, r.Table, r.Server)
	fmt.Fprintf(&b, "  ALTER as a whole: %s — natively %s\n", r.Class, r.Writers)
	if r.Refusal != "" {
		fmt.Fprintf(&b, "  the server refuses it: %s\n", r.Refusal)
	}
	for _, c := range r.Clauses {
		fmt.Fprintf(&b, "  clause %q: %s\n", c.Clause, c.Class)
	}
	e := r.Estimates
	if e.CopyRowsPerSec > 0 {
		fmt.Fprintf(&b, "  estimates: %d rows; natively %.1fs (%s), with ghost %.1fs online (%s)\n", e.Rows, e.NativeSeconds, r.Writers, e.GhostSeconds, e.Basis)
	} else if e.Basis != "" {
		fmt.Fprintf(&b, "  estimates: %s\n", e.Basis)
	}
	if len(r.Risks) == 0 {
		b.WriteString("  risks: none found\n")
	}
	for _, k := range r.Risks {
		count := ""
		switch {
		case k.Count != nil:
			count = fmt.Sprintf(" [found now: %d]", *k.Count)
		case k.Skipped != "":
			count = " [data check skipped: " + k.Skipped + "]"
		}
		fmt.Fprintf(&b, "  risk %s%s: %s; safer: %s\n", k.Code, count, k.Message, k.Safer)
	}
	whats := make([]string, 0, len(r.Steps))
	for w := range r.Steps {
		whats = append(whats, w)
	}
	slices.Sort(whats)
	for _, w := range whats {
		fmt.Fprintf(&b, "  expand-contract for %s:\n", w)
		for i, s := range r.Steps[w] {
			fmt.Fprintf(&b, "    %d. [%s] %s", i+1, s.Phase, s.What)
			if s.SQL != "" {
				fmt.Fprintf(&b, ": %s", s.SQL)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Classify asks the server which algorithm it accepts for clause on an empty copy of orig
// (the scratch table, dropped before it returns): --attempt-instant-ddl's check.
func Classify(ctx context.Context, db *sql.DB, info dbconn.ServerInfo, orig sqlgen.Table, scratch string, clause string) (Class, string, error) {
	a, err := alter.Parse(clause)
	if err != nil {
		return "", "", err
	}
	p := &planner{cfg: Config{Primary: db, Info: info, Alter: a}, orig: orig, scratch: sqlgen.Table{Schema: orig.Schema, Name: scratch}}
	defer p.drop(context.WithoutCancel(ctx))
	return p.classify(ctx, a.Clause)
}
