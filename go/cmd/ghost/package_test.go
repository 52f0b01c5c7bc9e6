package main

import (
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPackage builds the release artefacts with script/package, installs the .deb with dpkg
// into a root of its own (the machine's packages untouched) and runs the installed ghost:
// --version names the version, the commit and the build date, and the binary is static.
func TestPackage(t *testing.T) {
	if _, err := osexec.LookPath("dpkg-deb"); err != nil {
		t.Fatalf("dpkg-deb is needed to build the .deb (Debian's dpkg package): %v", err)
	}
	out := t.TempDir()
	cmd := osexec.Command("../../../script/package", "--version", "v9.8.7", "--out", out)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("script/package: %v\n%s", err, b)
	}
	paths := strings.Fields(string(b))
	if len(paths) < 2 || !strings.HasSuffix(paths[len(paths)-1], "ghost_9.8.7_amd64.deb") && !strings.HasSuffix(paths[len(paths)-1], ".deb") {
		t.Fatalf("script/package printed %q", b)
	}
	deb := paths[len(paths)-1]
	commit, err := osexec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/updates", "var/lib/dpkg/info", "var/lib/dpkg/triggers"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"var/lib/dpkg/status", "var/lib/dpkg/available"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	install := osexec.Command("dpkg", "--root="+root, "--force-not-root", "--force-script-chrootless", "--log=/dev/null", "--install", deb)
	if b, err := install.CombinedOutput(); err != nil {
		t.Fatalf("dpkg --install: %v\n%s", err, b)
	}
	status, _ := os.ReadFile(filepath.Join(root, "var/lib/dpkg/status"))
	if !regexp.MustCompile(`(?m)^Package: ghost$`).Match(status) || !strings.Contains(string(status), "Status: install ok installed") ||
		!strings.Contains(string(status), "Version: 9.8.7") {
		t.Errorf("dpkg's status after the install:\n%s", status)
	}
	bin := filepath.Join(root, "usr/bin/ghost")
	v, err := osexec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("installed ghost --version: %v", err)
	}
	want := regexp.MustCompile(`^ghost version v9\.8\.7 \(commit ` + string(commit[:12]) + `, built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\n$`)
	if !want.Match(v) {
		t.Errorf("installed ghost --version printed %q", v)
	}
	if f, err := osexec.Command("file", bin).Output(); err == nil && !strings.Contains(string(f), "statically linked") {
		t.Errorf("the binary is not static: %s", f)
	}
	for _, doc := range []string{"usr/share/doc/ghost/copyright", "usr/share/doc/ghost/docs/exit-status.md"} {
		if _, err := os.Stat(filepath.Join(root, doc)); err != nil {
			t.Errorf("the package lacks %s: %v", doc, err)
		}
	}
	t.Logf("%s -> %s", filepath.Base(deb), strings.TrimSpace(string(v)))
}
