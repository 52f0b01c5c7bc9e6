package topotest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/dbconn"
	"github.com/ghost-osc/ghost/go/topology"
)

// TLSFiles are PEM files made for one test by openssl: a CA, a server certificate for
// 127.0.0.1 and localhost and a client certificate, both signed by the CA, and a second
// CA (with a client certificate of its own) that signed nothing the servers present.
type TLSFiles struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey string
	// OtherCA signed neither certificate above: verifying the server against it fails.
	// OtherClientCert and OtherClientKey are a client certificate it signed, which a
	// server trusting only CA refuses.
	OtherCA, OtherClientCert, OtherClientKey string
}

// MakeTLSFiles makes the files in a temporary directory removed when the test ends. It
// skips the test under the docker backend, whose servers cannot read the host's files.
func MakeTLSFiles(t testing.TB) TLSFiles {
	t.Helper()
	if os.Getenv(topology.EnvBackend) == topology.BackendDocker {
		t.Skip("TLS tests give the server files of the host: local backend only")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is not installed (script/bootstrap installs it)")
	}
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ca := func(name, cn string) {
		t.Helper()
		run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN="+cn,
			"-keyout", path(name+".key"), "-out", path(name+".pem"))
	}
	// signed makes a key and a certificate signed by ca; ext is an extensions file's text.
	serial := 1
	signed := func(name, cn, ca, ext string) {
		t.Helper()
		if err := os.WriteFile(path(name+".ext"), []byte(ext), 0o600); err != nil {
			t.Fatal(err)
		}
		run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN="+cn,
			"-keyout", path(name+".key"), "-out", path(name+".csr"))
		serial++
		run("x509", "-req", "-in", path(name+".csr"), "-CA", path(ca+".pem"), "-CAkey", path(ca+".key"),
			"-set_serial", fmt.Sprint(serial), "-days", "2", "-extfile", path(name+".ext"), "-out", path(name+".pem"))
	}
	ca("ca", "ghost test CA")
	ca("other-ca", "ghost test other CA")
	// Go checks the subject alternative names only, never the common name.
	signed("server", "127.0.0.1", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
	signed("client", "ghost test client", "ca", "extendedKeyUsage=clientAuth\n")
	signed("other-client", "ghost test other client", "other-ca", "extendedKeyUsage=clientAuth\n")
	return TLSFiles{
		CA: path("ca.pem"), ServerCert: path("server.pem"), ServerKey: path("server.key"),
		ClientCert: path("client.pem"), ClientKey: path("client.key"),
		OtherCA: path("other-ca.pem"), OtherClientCert: path("other-client.pem"), OtherClientKey: path("other-client.key"),
	}
}

// ServerArgs are the server options that make it offer TLS with the server certificate
// and check client certificates against CA (for users created REQUIRE X509).
func (f TLSFiles) ServerArgs() []string {
	return []string{"--ssl-ca=" + f.CA, "--ssl-cert=" + f.ServerCert, "--ssl-key=" + f.ServerKey}
}

// CreateUser creates user (at 127.0.0.1, localhost and any host, so that no anonymous
// account shadows it) with every privilege and the given REQUIRE clause ("SSL", "X509",
// or "" for none) on s, through its binlog, so that s's replicas get it too.
func CreateUser(t testing.TB, s *topology.Server, user, password, require string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, h := range []string{"127.0.0.1", "localhost", "%"} {
		u := dbconn.QuoteString(user) + "@" + dbconn.QuoteString(h)
		q := "CREATE USER " + u + " IDENTIFIED BY " + dbconn.QuoteString(password)
		if require != "" {
			q += " REQUIRE " + require
		}
		for _, q := range []string{q, "GRANT ALL PRIVILEGES ON *.* TO " + u} {
			if err := s.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
}
