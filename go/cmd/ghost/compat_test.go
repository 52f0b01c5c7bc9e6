package main

import (
	"bufio"
	"fmt"
	"github.com/ghost-osc/ghost/go/migration"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// ghOstFlagList is testdata/gh-ost-flags.txt: gh-ost v1.1.10's flags as its --help
// lists them, one "name type" a line (no type for a boolean).
func ghOstFlagList(t *testing.T) []ghOstFlag {
	t.Helper()
	f, err := os.Open("testdata/gh-ost-flags.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []ghOstFlag
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, typ, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if name == "" {
			continue
		}
		out = append(out, ghOstFlag{name: name, kind: kind(typ)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 108 {
		t.Fatalf("testdata/gh-ost-flags.txt lists %d flags, gh-ost v1.1.10 has 108", len(out))
	}
	return out
}

// appFlags are the flags the command defines, urfave's own --help and --version included.
func appFlags() map[string]cli.Flag {
	out := map[string]cli.Flag{}
	for _, f := range append(append(flags(), tableFlags()...), cli.HelpFlag, cli.VersionFlag) {
		for _, n := range f.Names() {
			out[n] = f
		}
	}
	return out
}

// kindOf is the gh-ost type name of a defined flag.
func kindOf(f cli.Flag) kind {
	switch f.(type) {
	case *cli.BoolFlag:
		return kindBool
	case *cli.StringFlag:
		return kindString
	case *cli.IntFlag, *cli.Int64Flag:
		return kindInt
	case *cli.Float64Flag:
		return kindFloat
	case *cli.UintFlag:
		return kindUint
	case *cli.StringSliceFlag:
		return kindList
	}
	return kind(fmt.Sprintf("%T", f))
}

// TestFlagTable: every flag of gh-ost is in the table exactly once and defined with
// gh-ost's value type, so a gh-ost command line parses; each entry says what ghost does
// or, refused, why and what to do instead.
func TestFlagTable(t *testing.T) {
	list := ghOstFlagList(t)
	table := ghOstFlags()
	defined := appFlags()
	own := map[string]bool{}
	for _, f := range flags() {
		own[f.Names()[0]] = true
	}
	seen := map[string]bool{}
	for _, f := range table {
		if seen[f.name] {
			t.Errorf("--%s is in the table twice", f.name)
		}
		seen[f.name] = true
		if !slices.ContainsFunc(list, func(g ghOstFlag) bool { return g.name == f.name }) {
			t.Errorf("--%s is in the table but not a gh-ost flag", f.name)
		}
		switch {
		case f.class < Same || f.class > Refused:
			t.Errorf("--%s has no class", f.name)
		case f.class == Refused && (f.why == "" || f.instead == ""):
			t.Errorf("--%s is refused without why and what to do instead", f.name)
		case f.class != Refused && f.does == "":
			t.Errorf("--%s does not say what ghost does", f.name)
		case f.refuseValue != nil && (f.why == "" || f.instead == ""):
			t.Errorf("--%s refuses some values without why and what to do instead", f.name)
		}
		builtin := f.name == "help" || f.name == "version"
		if f.defined != (own[f.name] || builtin) {
			t.Errorf("--%s: defined=%v in the table, but flags() defines it: %v", f.name, f.defined, own[f.name])
		}
		if !f.defined && (f.class == Same || f.class == Equivalent) && f.refuseValue == nil && len(f.neutral) > 0 {
			t.Errorf("--%s: neutral values only matter to refused flags", f.name)
		}
	}
	for _, g := range list {
		if !seen[g.name] {
			t.Errorf("gh-ost's --%s is not in the table", g.name)
		}
		d, ok := defined[g.name]
		if !ok {
			t.Errorf("gh-ost's --%s is not defined: a gh-ost command line with it fails", g.name)
			continue
		}
		if k := kindOf(d); k != g.kind {
			t.Errorf("--%s is defined as %q, gh-ost's is %q", g.name, k, g.kind)
		}
	}
}

// sampleValue is a value of a flag's type that is not gh-ost's default.
func sampleValue(k kind) []string {
	switch k {
	case kindBool:
		return nil
	case kindInt, kindUint:
		return []string{"7"}
	case kindFloat:
		return []string{"0.5"}
	case kindList:
		return []string{"env:test"}
	}
	return []string{"sample"}
}

// TestCheckFlag walks gh-ost's list through --check-flag, each flag alone with a
// sample value of its type: 0 for every flag ghost runs with, non-zero with one line
// naming the flag for every refused one, and non-zero for a flag gh-ost does not have.
func TestCheckFlag(t *testing.T) {
	counts := map[Class]int{}
	for _, g := range ghOstFlagList(t) {
		f, _ := lookupFlag(g.name)
		counts[f.class]++
		args := append([]string{"--check-flag", "--" + g.name}, sampleValue(g.kind)...)
		code, stdout, stderr := ghost(args...)
		if f.class == Refused {
			want := fmt.Sprintf("ghost: error: --%s is not supported yet: %s; %s\n", g.name, f.why, f.instead)
			if code == 0 || stderr != want {
				t.Errorf("%v: exit %d, stderr %q; want non-zero and %q", args, code, stderr, want)
			}
			continue
		}
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing (%s)", args, code, stderr, f.class)
		}
		if g.name != "help" && g.name != "version" && stdout != "" {
			t.Errorf("%v printed %q", args, stdout)
		}
	}
	t.Logf("classes: %v", counts)

	code, _, stderr := ghost("--check-flag", "--cut-over-lock-timeout-seconds", "1", "--nice-ratio", "0", "--no-such-flag")
	if code == 0 || stderr != "ghost: error: flag provided but not defined: -no-such-flag\n" {
		t.Errorf("unknown flag: exit %d, stderr %q", code, stderr)
	}
	// gh-ost's own example, with flags of every kind of answer but refused.
	code, stdout, stderr := ghost("--check-flag", "--cut-over-lock-timeout-seconds", "1", "--nice-ratio", "0", "--assume-rbr", "--gtid", "--charset", "latin1")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("known flags: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// The refused one is named among others.
	code, _, stderr = ghost("--check-flag", "--nice-ratio", "0", "--skip-strict-mode", "--revert")
	if code == 0 || !strings.HasPrefix(stderr, "ghost: error: --skip-strict-mode is not supported") {
		t.Errorf("refused among others: exit %d, stderr %q", code, stderr)
	}
}

// TestRefusedValues: a run with a refused flag stops before connecting with one line
// naming it; gh-ost's defaults and the values that ask for nothing are accepted (the run
// then goes on and fails to connect to a closed port).
func TestRefusedValues(t *testing.T) {
	base := []string{"--host", "127.0.0.1", "--port", "1", "--database", "d", "--table", "t", "--alter", "ADD COLUMN x INT"}
	refusedLine := regexp.MustCompile(`^ghost: error: --([a-z-]+) is not supported yet: [^;]+; .+\n$`)
	for _, g := range ghOstFlagList(t) {
		f, _ := lookupFlag(g.name)
		if f.class != Refused {
			continue
		}
		args := append(append(slices.Clone(base), "--"+g.name), sampleValue(g.kind)...)
		code, _, stderr := ghost(args...)
		if m := refusedLine.FindStringSubmatch(stderr); code != migration.ExitRefused || m == nil || m[1] != g.name {
			t.Errorf("--%s: exit %d, stderr %q", g.name, code, stderr)
		}
	}
	for _, tc := range []struct {
		args    []string
		refused bool
	}{
		{[]string{"--storage-engine", "innodb"}, false},
		{[]string{"--storage-engine=InnoDB"}, false},
		{[]string{"--storage-engine", "rocksdb"}, false},
		{[]string{"--checkpoint-seconds", "300"}, false},
		{[]string{"--runtime-metrics-interval", "0"}, false},
		{[]string{"--ssl=false", "--checkpoint=false", "--include-triggers=false"}, false},
		{[]string{"--charset", "utf8mb4,utf8,latin1"}, false},
		{[]string{"--charset", "utf8mb4_unicode_ci"}, false},
		{[]string{"--charset", "latin1"}, true},
		{[]string{"--concurrent-rowcount=false", "--panic-on-warnings", "--binlogsyncer-max-reconnect-attempts", "3"}, false},
		{[]string{"--assume-rbr", "--gtid", "--skip-port-validation", "--allow-zero-in-date", "--replication-lag-query", "select 1"}, false},
	} {
		code, _, stderr := ghost(append(slices.Clone(base), tc.args...)...)
		refused := strings.Contains(stderr, "is not supported yet")
		// Refused flags and a server that cannot be reached are both refusals before anything ran.
		if code != migration.ExitRefused || refused != tc.refused || strings.Count(stderr, "ghost: error:") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want refused=%v", tc.args, code, stderr, tc.refused)
		}
	}
}

const (
	docsPath  = "../../../docs/command-line-flags.md"
	docsBegin = "<!-- BEGIN gh-ost flags: generated from the table in go/cmd/ghost/compat.go; GHOST_UPDATE_DOCS=1 go test ./go/cmd/ghost -run TestFlagDocs rewrites it -->\n"
	docsEnd   = "<!-- END gh-ost flags -->\n"
)

// flagDocs renders the table for docs/command-line-flags.md.
func flagDocs() string {
	var b strings.Builder
	table := ghOstFlags()
	counts := map[Class]int{}
	for _, f := range table {
		counts[f.class]++
	}
	fmt.Fprintf(&b, "ghost knows all %d flags of gh-ost v1.1.10, so a gh-ost command line parses unchanged. Each is in one of four classes:\n\n", len(table))
	b.WriteString("| class | flags | meaning |\n|---|---|---|\n")
	for _, c := range []struct {
		class Class
		text  string
	}{
		{Same, "ghost does what gh-ost does"},
		{Equivalent, "ghost reaches the same end its own way (below: how)"},
		{NotNeeded, "accepted; ghost has no need of it and logs one line saying why (info level, a warning for the deprecated `--replication-lag-query`)"},
		{Refused, "not supported yet: given with a value that asks for something (anything but gh-ost's default), ghost exits 1 before connecting, with `ghost: error: --flag is not supported yet: <why>; <what to do instead>`, and `--check-flag` answers non-zero for it"},
	} {
		fmt.Fprintf(&b, "| %s | %d | %s |\n", c.class, counts[c.class], c.text)
	}
	b.WriteString("\n| flag | class | what ghost does |\n|---|---|---|\n")
	for _, f := range table {
		text := strings.TrimSuffix(f.does, ".")
		if f.class == Refused {
			text = "not supported yet: " + f.why + "; " + f.instead
		} else if f.refuseValue != nil {
			text += ". Refused values: " + f.why + "; " + f.instead
		}
		fmt.Fprintf(&b, "| `--%s` | %s | %s. |\n", f.name, f.class, strings.ReplaceAll(text, "|", `\|`))
	}
	return b.String()
}

// TestFlagDocs keeps the flag section of docs/command-line-flags.md equal to the table.
func TestFlagDocs(t *testing.T) {
	raw, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated section (%q ... %q)", docsPath, docsBegin, docsEnd)
	}
	want := doc[:i+len(docsBegin)] + flagDocs() + doc[j:]
	if want == doc {
		return
	}
	if os.Getenv("GHOST_UPDATE_DOCS") != "" {
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s differs from the flag table; run GHOST_UPDATE_DOCS=1 go test ./go/cmd/ghost -run TestFlagDocs", docsPath)
}
