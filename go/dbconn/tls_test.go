package dbconn_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"testing"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

func certPool(t *testing.T, file string) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", file)
	}
	return pool
}

func keyPair(t *testing.T, cert, key string) []tls.Certificate {
	t.Helper()
	c, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return []tls.Certificate{c}
}

// TestTLS runs against a server of its own that offers TLS: every session of a pool
// with a *tls.Config is encrypted (Ssl_cipher), users created REQUIRE SSL and REQUIRE
// X509 get in only with TLS and a client certificate, and each way of failing is told
// apart: certificate not verified, client certificate refused, no TLS on the server.
func TestTLS(t *testing.T) {
	files := topotest.MakeTLSFiles(t)
	tp := topotest.Private(t, topology.Options{NoReplica: true, ExtraArgs: files.ServerArgs()})
	topotest.CreateUser(t, tp.Primary, "tls_ssl", "pw-ssl", "SSL")
	topotest.CreateUser(t, tp.Primary, "tls_x509", "pw-x509", "X509")
	p := tp.Primary
	conf := func(user, password string, tc *tls.Config) dbconn.Config {
		return dbconn.Config{Host: p.Host, Port: p.Port, User: user, Password: password, TLS: tc}
	}
	verified := &tls.Config{RootCAs: certPool(t, files.CA)}

	// Every session of the pool, not only the first, is encrypted; the shared
	// *tls.Config is left as it was (the server name goes on the pool's copy).
	db := open(t, conf("tls_ssl", "pw-ssl", verified))
	for i := 0; i < 3; i++ {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var name, cipher string
		if err := conn.QueryRowContext(t.Context(), "SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher); err != nil {
			t.Fatal(err)
		}
		if cipher == "" {
			t.Errorf("session %d: Ssl_cipher is empty: the session is not encrypted", i)
		}
	}
	if verified.ServerName != "" {
		t.Errorf("the caller's tls.Config was changed: ServerName %q", verified.ServerName)
	}

	// REQUIRE SSL: refused without TLS, by number.
	_, err := dbconn.Open(t.Context(), conf("tls_ssl", "pw-ssl", nil))
	if !dbconn.Is(err, dbconn.ErrAccessDenied) {
		t.Errorf("REQUIRE SSL user without TLS: %v, want access denied", err)
	}
	// REQUIRE X509: refused with TLS but no client certificate; in with one.
	_, err = dbconn.Open(t.Context(), conf("tls_x509", "pw-x509", verified))
	if !dbconn.Is(err, dbconn.ErrAccessDenied) {
		t.Errorf("REQUIRE X509 user without a client certificate: %v, want access denied", err)
	}
	withCert := &tls.Config{RootCAs: verified.RootCAs, Certificates: keyPair(t, files.ClientCert, files.ClientKey)}
	open(t, conf("tls_x509", "pw-x509", withCert)).Close()

	// A client certificate signed by a CA the server does not trust: with TLS 1.3 the
	// server drops the connection after the handshake, and the error says why it may have.
	strange := &tls.Config{RootCAs: verified.RootCAs, Certificates: keyPair(t, files.OtherClientCert, files.OtherClientKey)}
	_, err = dbconn.Open(t.Context(), conf("tls_x509", "pw-x509", strange))
	if !errors.Is(err, dbconn.ErrClientCertRefused) || dbconn.TLSUnverified(err) {
		t.Errorf("client certificate of another CA: %v, want a note on the client certificate", err)
	}
	t.Logf("client certificate of another CA: %v", err)

	// The server's certificate is checked against the CA given, and its name.
	_, err = dbconn.Open(t.Context(), conf("tls_ssl", "pw-ssl", &tls.Config{RootCAs: certPool(t, files.OtherCA)}))
	if !dbconn.TLSUnverified(err) || dbconn.TLSNotOffered(err) {
		t.Errorf("wrong CA: %v, want a verification failure", err)
	}
	_, err = dbconn.Open(t.Context(), conf("tls_x509", "pw-x509", &tls.Config{RootCAs: certPool(t, files.OtherCA), Certificates: withCert.Certificates}))
	if !dbconn.TLSUnverified(err) || errors.Is(err, dbconn.ErrClientCertRefused) {
		t.Errorf("wrong CA with a client certificate: %v, want a verification failure only", err)
	}
	byName := conf("tls_ssl", "pw-ssl", verified)
	byName.Host = "localhost" // in the certificate too
	open(t, byName).Close()
	_, err = dbconn.Open(t.Context(), conf("tls_ssl", "pw-ssl", &tls.Config{RootCAs: verified.RootCAs, ServerName: "db.example"}))
	if !dbconn.TLSUnverified(err) {
		t.Errorf("wrong server name: %v, want a verification failure", err)
	}
	// Skipping verification connects whatever the CA.
	open(t, conf("tls_ssl", "pw-ssl", &tls.Config{RootCAs: certPool(t, files.OtherCA), InsecureSkipVerify: true})).Close()

	// A server without TLS (the package's shared one): no silent plain connection.
	_, err = dbconn.Open(t.Context(), dbconn.Config{Host: topo.Primary.Host, Port: topo.Primary.Port,
		User: topo.Primary.User, Password: topo.Primary.Password, TLS: &tls.Config{InsecureSkipVerify: true}})
	if !dbconn.TLSNotOffered(err) || dbconn.TLSUnverified(err) {
		t.Errorf("server without TLS: %v, want TLS not offered", err)
	}
}
