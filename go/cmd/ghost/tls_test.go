package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// sslAccepts is the server's count of TLS handshakes it accepted.
func sslAccepts(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var name, v string
	if err := db.QueryRow("SHOW GLOBAL STATUS LIKE 'Ssl_accepts'").Scan(&name, &v); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTLS migrates on a primary and replica of the test's own that offer TLS with a
// certificate of a CA the test made, as users created REQUIRE SSL and REQUIRE X509: the
// servers let them in only over TLS (and, for X509, with a client certificate the CA
// signed), so every connection ghost opens as them, the binlog dump's included, is
// encrypted. Without --ssl, without the client certificate, against another CA or a
// server without TLS, ghost stops before creating anything, with one line naming the
// cause and the flags that fix it.
func TestTLS(t *testing.T) {
	files := topotest.MakeTLSFiles(t)
	tp := topotest.Private(t, topology.Options{ExtraArgs: files.ServerArgs()})
	topotest.CreateUser(t, tp.Primary, "tls_ssl", "pw-ssl", "SSL")
	topotest.CreateUser(t, tp.Primary, "tls_x509", "pw-x509", "X509")
	ctx := t.Context()
	if err := tp.Primary.Exec(ctx, "CREATE DATABASE tlsdb"); err != nil {
		t.Fatal(err)
	}
	db, err := tp.Primary.Open("tlsdb")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rdb, err := tp.Replica.Open("tlsdb")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	exec(t, db, baseTable, baseRows, "INSERT INTO t SELECT seq, seq % 7, CONCAT('row ', seq), NULL FROM seq_4_to_2000")
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rows := count()
	args := func(user, password, alter string, extra ...string) []string {
		a := append(connArgs(tp.Replica, "tlsdb", "t", alter), "--user", user, "--password", password)
		return append(a, extra...)
	}
	ca, otherCA := "--ssl-ca="+files.CA, "--ssl-ca="+files.OtherCA
	cert, key := "--ssl-cert="+files.ClientCert, "--ssl-key="+files.ClientKey

	for _, f := range []struct {
		name string
		args []string
		want []string
	}{
		{"REQUIRE SSL without --ssl", args("tls_ssl", "pw-ssl", "ADD COLUMN x INT", "--execute"),
			[]string{fmt.Sprintf(`cannot log in to %s as "tls_ssl": access denied`, tp.Replica.Addr()), "REQUIRE SSL logs in only with --ssl"}},
		{"REQUIRE X509 without a client certificate", args("tls_x509", "pw-x509", "ADD COLUMN x INT", "--execute", "--ssl", ca),
			[]string{`as "tls_x509": access denied`, "REQUIRE X509 also with --ssl-cert and --ssl-key"}},
		{"another CA", args("tls_ssl", "pw-ssl", "ADD COLUMN x INT", "--execute", "--ssl", otherCA),
			[]string{fmt.Sprintf("cannot connect to %s: TLS certificate verification failed", tp.Replica.Addr()),
				"certificate signed by unknown authority", "give --ssl-ca the CA that signed the server's certificate", "--ssl-allow-insecure"}},
		{"client certificate of another CA", args("tls_x509", "pw-x509", "ADD COLUMN x INT", "--execute", "--ssl", ca,
			"--ssl-cert="+files.OtherClientCert, "--ssl-key="+files.OtherClientKey),
			[]string{"it may not trust the client certificate", "check that --ssl-cert was signed by a CA the server trusts"}},
		{"--ssl-ca without --ssl", args("tls_ssl", "pw-ssl", "ADD COLUMN x INT", "--execute", ca),
			[]string{"--ssl-ca needs --ssl"}},
		{"--ssl-cert without --ssl-key", args("tls_x509", "pw-x509", "ADD COLUMN x INT", "--execute", "--ssl", ca, cert),
			[]string{"--ssl-cert needs --ssl-key"}},
		{"server without TLS", append(baseArgs(topo.Replica, "tlsdb", "t", "ADD COLUMN x INT"), "--execute", "--ssl", "--ssl-allow-insecure"),
			[]string{fmt.Sprintf("cannot connect to %s: --ssl asks for TLS but the server offers none", topo.Replica.Addr())}},
	} {
		code, stdout, stderr := ghost(f.args...)
		t.Logf("%s: %s", f.name, strings.TrimSpace(stderr))
		checkRefusal(t, code, stdout, stderr, f.want, "tlsdb")
		if got := tablesOf(t, db, "tlsdb"); got != "t" {
			t.Fatalf("%s: tables left %s", f.name, got)
		}
	}

	primaryBefore, replicaBefore := sslAccepts(t, db), sslAccepts(t, rdb)

	// REQUIRE SSL with --ssl --ssl-ca, also to the replica as a control replica; held
	// before the cut-over to look at ghost's sessions.
	flag := filepath.Join(t.TempDir(), "postpone")
	if err := os.WriteFile(flag, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := ghost(args("tls_ssl", "pw-ssl", "ADD COLUMN x INT NOT NULL DEFAULT 7", "--execute", "--ok-to-drop-table",
			"--ssl", ca, "--throttle-control-replicas", tp.Replica.Addr(), "--postpone-cut-over-flag-file", flag)...)
		done <- result{code, stdout, stderr}
	}()
	sessions := func(db *sql.DB, command string) int {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'tls_ssl' AND (? = '' OR COMMAND = ?)", command, command).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(time.Minute)
	for sessions(rdb, "Binlog Dump") == 0 {
		select {
		case r := <-done:
			t.Fatalf("ghost ended before its binlog dump was seen: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no binlog dump connection of the REQUIRE SSL user on the replica within a minute")
		}
	}
	onPrimary, onReplica := sessions(db, ""), sessions(rdb, "")
	if onPrimary == 0 || onReplica < 2 {
		t.Errorf("sessions of the REQUIRE SSL user: %d on the primary, %d on the replica; want the primary's pool and the replica's pools and dump", onPrimary, onReplica)
	}
	if err := os.Remove(flag); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the migration did not end within 2 minutes of the cut-over being allowed")
	}
	if r.code != 0 || !strings.Contains(r.stdout, "Done: tlsdb.t migrated") {
		t.Fatalf("REQUIRE SSL with --ssl --ssl-ca: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if got := columnsOf(t, db, "t"); !strings.HasSuffix(got, ",x") {
		t.Errorf("columns after the migration: %s", got)
	}
	if n := count(); n != rows {
		t.Errorf("%d rows after the migration, want %d", n, rows)
	}
	if p, r := sslAccepts(t, db)-primaryBefore, sslAccepts(t, rdb)-replicaBefore; p < 1 || r < 3 {
		t.Errorf("TLS handshakes during the migration: %d on the primary, %d on the replica", p, r)
	} else {
		t.Logf("TLS handshakes during the migration: %d on the primary, %d on the replica; sessions seen %d and %d", p, r, onPrimary, onReplica)
	}

	// REQUIRE X509 with the client certificate; then --ssl-allow-insecure connects
	// whatever the CA.
	for _, s := range []struct {
		name string
		args []string
	}{
		{"REQUIRE X509 with --ssl-cert --ssl-key", args("tls_x509", "pw-x509", "ADD COLUMN y INT", "--execute", "--ok-to-drop-table", "--ssl", ca, cert, key)},
		{"--ssl-allow-insecure with another CA", args("tls_ssl", "pw-ssl", "ADD COLUMN z INT", "--execute", "--ok-to-drop-table", "--ssl", otherCA, "--ssl-allow-insecure")},
	} {
		code, stdout, stderr := ghost(slices.Clone(s.args)...)
		if code != 0 || !strings.Contains(stdout, "Done: tlsdb.t migrated") {
			t.Fatalf("%s: exit %d\nstdout %s\nstderr %s", s.name, code, stdout, stderr)
		}
		if n := count(); n != rows {
			t.Errorf("%s: %d rows after the migration, want %d", s.name, n, rows)
		}
	}
	if got := columnsOf(t, db, "t"); !strings.HasSuffix(got, ",x,y,z") {
		t.Errorf("columns after the migrations: %s", got)
	}
	if got := tablesOf(t, db, "tlsdb"); got != "t" {
		t.Errorf("tables after the migrations: %s", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := tp.WaitReplicaCaughtUp(ctx); err != nil {
		t.Errorf("replication between the servers (plain) after the migrations: %v", err)
	}
}
