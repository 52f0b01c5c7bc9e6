package binlog_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/binlog"
	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// TestReaderTLS reads the binlog of a server of its own that offers TLS, as a user
// created REQUIRE X509: the server lets that user in only over TLS with a client
// certificate its CA signed, so the dump connection it serves is encrypted. The
// *tls.Config names no server: the reader verifies the certificate against Host.
// Against another CA the reader fails naming the certificate.
func TestReaderTLS(t *testing.T) {
	files := topotest.MakeTLSFiles(t)
	tp := topotest.Private(t, topology.Options{NoReplica: true, ExtraArgs: files.ServerArgs()})
	topotest.CreateUser(t, tp.Primary, "tls_binlog", "pw-binlog", "X509")
	p := tp.Primary
	ctx := t.Context()

	pemOf := func(file string) *x509.CertPool {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(b)
		return pool
	}
	cert, err := tls.LoadX509KeyPair(files.ClientCert, files.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	tc := &tls.Config{RootCAs: pemOf(files.CA), Certificates: []tls.Certificate{cert}}
	db, err := dbconn.Open(ctx, dbconn.Config{Host: p.Host, Port: p.Port, User: "tls_binlog", Password: "pw-binlog", TLS: tc})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	info, err := dbconn.Inspect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE DATABASE tlsdb", "CREATE TABLE tlsdb.t (id INT PRIMARY KEY, v VARCHAR(10))"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	start, err := binlog.CurrentPosition(ctx, db, info)
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(tc *tls.Config) binlog.Config {
		return binlog.Config{Host: p.Host, Port: p.Port, User: "tls_binlog", Password: "pw-binlog", Flavor: info.Flavor,
			ServerID: serverIDs.Add(1), Watch: func(s, tb string) bool { return s == "tlsdb" && tb == "t" },
			MaxReconnects: 1, ReconnectDelay: 10 * time.Millisecond, TLS: tc}
	}

	rctx, cancel := context.WithCancel(ctx)
	out := make(chan binlog.Transaction, 10)
	done := make(chan error, 1)
	go func() { done <- binlog.NewReader(cfg(tc)).Run(rctx, start, out) }()
	defer func() { cancel(); <-done }()
	if _, err := db.ExecContext(ctx, "INSERT INTO tlsdb.t VALUES (1, 'secret')"); err != nil {
		t.Fatal(err)
	}
	select {
	case tx := <-out:
		if len(tx.Changes) != 1 || len(tx.Changes[0].After) != 2 || fmt.Sprintf("%s", tx.Changes[0].After[1]) != "secret" {
			t.Errorf("transaction read over TLS: %+v", tx)
		}
	case err := <-done:
		done <- err // for the deferred wait
		t.Fatalf("reader ended: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no transaction within 20s")
	}
	if tc.ServerName != "" {
		t.Errorf("the caller's tls.Config was changed: ServerName %q", tc.ServerName)
	}
	// The dump connection is the REQUIRE X509 user's.
	var dumps int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'tls_binlog' AND COMMAND = 'Binlog Dump'").Scan(&dumps); err != nil {
		t.Fatal(err)
	}
	if dumps != 1 {
		t.Errorf("%d binlog dump connections of the REQUIRE X509 user, want 1", dumps)
	}

	// Another CA: the reader stops, naming the certificate.
	other := &tls.Config{RootCAs: pemOf(files.OtherCA), Certificates: []tls.Certificate{cert}}
	err = binlog.NewReader(cfg(other)).Run(ctx, start, make(chan binlog.Transaction, 10))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("reader verifying against another CA: %v, want a certificate error", err)
	}
}
