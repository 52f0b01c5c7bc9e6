package config_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/config"
)

// writeCert writes a self-signed certificate and its key as PEM files and returns
// their paths.
func writeCert(t *testing.T, dir, name string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	write := func(path, typ string, b []byte) {
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cert, "CERTIFICATE", der)
	write(key, "EC PRIVATE KEY", kder)
	return cert, key
}

func valid() config.Config {
	c := config.Defaults()
	c.Host, c.Database, c.Table, c.Alter = "127.0.0.1", "d", "t", "ADD COLUMN x INT"
	return c
}

// TestTLSOptions: the companions of --ssl need it, a client certificate needs its key
// (each refused in one line naming the flags), and Load reads the files.
func TestTLSOptions(t *testing.T) {
	dir := t.TempDir()
	caPEM, _ := writeCert(t, dir, "ca")
	cert, key := writeCert(t, dir, "client")
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	refused := []struct {
		tls  config.TLSOptions
		want string
	}{
		{config.TLSOptions{CA: caPEM}, "--ssl-ca needs --ssl"},
		{config.TLSOptions{Cert: cert, Key: key}, "--ssl-cert needs --ssl"},
		{config.TLSOptions{Key: key}, "--ssl-key needs --ssl"},
		{config.TLSOptions{AllowInsecure: true}, "--ssl-allow-insecure needs --ssl"},
		{config.TLSOptions{Enabled: true, Cert: cert}, "--ssl-cert needs --ssl-key"},
		{config.TLSOptions{Enabled: true, Key: key}, "--ssl-key needs --ssl-cert"},
	}
	for _, r := range refused {
		c := valid()
		c.TLS = r.tls
		err := c.Validate()
		if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), r.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: Validate() = %v, want one line with %q", r.tls, err, r.want)
		}
		if err := c.LoadTLS(); err == nil || c.ClientTLS != nil {
			t.Errorf("%+v: LoadTLS() accepted it", r.tls)
		}
	}

	unreadable := []struct {
		tls  config.TLSOptions
		want string
	}{
		{config.TLSOptions{Enabled: true, CA: filepath.Join(dir, "missing.pem")}, "--ssl-ca: open " + filepath.Join(dir, "missing.pem")},
		{config.TLSOptions{Enabled: true, CA: junk}, "--ssl-ca " + junk + " holds no PEM certificate"},
		{config.TLSOptions{Enabled: true, Cert: cert, Key: caPEM}, "--ssl-cert " + cert + " with --ssl-key " + caPEM},
	}
	for _, r := range unreadable {
		c := valid()
		c.TLS = r.tls
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: Validate() = %v; files are read by LoadTLS", r.tls, err)
		}
		err := c.LoadTLS()
		if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%+v: LoadTLS() = %v, want %q", r.tls, err, r.want)
		}
	}

	c := valid()
	if err := c.LoadTLS(); err != nil || c.ClientTLS != nil {
		t.Errorf("without --ssl: ClientTLS %v, err %v; want plain connections", c.ClientTLS, err)
	}
	c.TLS = config.TLSOptions{Enabled: true}
	if err := c.LoadTLS(); err != nil || c.ClientTLS == nil || c.ClientTLS.RootCAs != nil || c.ClientTLS.InsecureSkipVerify {
		t.Errorf("--ssl alone: %+v, %v; want the system's authorities, verified", c.ClientTLS, err)
	}
	c.TLS = config.TLSOptions{Enabled: true, CA: caPEM, Cert: cert, Key: key, AllowInsecure: true}
	if err := c.LoadTLS(); err != nil {
		t.Fatal(err)
	}
	tc := c.ClientTLS
	if tc.RootCAs == nil || len(tc.Certificates) != 1 || !tc.InsecureSkipVerify || tc.ServerName != "" {
		t.Errorf("every flag: %+v; want the CA, the client certificate, no verification and no server name", tc)
	}
}
