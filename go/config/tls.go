package config

import (
	"crypto/tls"
	"crypto/x509"
	"os"
)

// TLSOptions are gh-ost's --ssl flags: they apply to every connection ghost opens to
// the servers, the binlog stream's included.
type TLSOptions struct {
	// Enabled (--ssl) encrypts the connections and verifies each server's certificate
	// and that it was issued for the host ghost connects to.
	Enabled bool
	// CA (--ssl-ca) is a PEM file of the authorities the servers' certificates must be
	// signed by; empty means the system's.
	CA string
	// Cert and Key (--ssl-cert, --ssl-key) are PEM files of a client certificate and its
	// key, for users created REQUIRE X509 (or REQUIRE SUBJECT/ISSUER).
	Cert, Key string
	// AllowInsecure (--ssl-allow-insecure) encrypts without verifying the servers'
	// certificates.
	AllowInsecure bool
}

// validate checks the combination, as gh-ost does: each companion flag needs --ssl,
// and a client certificate needs its key.
func (o TLSOptions) validate() error {
	if !o.Enabled {
		for _, f := range []struct {
			name string
			set  bool
		}{{"--ssl-ca", o.CA != ""}, {"--ssl-cert", o.Cert != ""}, {"--ssl-key", o.Key != ""}, {"--ssl-allow-insecure", o.AllowInsecure}} {
			if f.set {
				return invalid("%s needs --ssl", f.name)
			}
		}
		return nil
	}
	switch {
	case o.Cert != "" && o.Key == "":
		return invalid("--ssl-cert needs --ssl-key: a client certificate is presented with its private key")
	case o.Key != "" && o.Cert == "":
		return invalid("--ssl-key needs --ssl-cert: the key is the client certificate's")
	}
	return nil
}

// Load reads the files and returns the client TLS configuration, or nil without --ssl.
// The configuration names no server: each connection verifies the host it dials.
func (o TLSOptions) Load() (*tls.Config, error) {
	if err := o.validate(); err != nil || !o.Enabled {
		return nil, err
	}
	c := &tls.Config{InsecureSkipVerify: o.AllowInsecure}
	if o.CA != "" {
		pem, err := os.ReadFile(o.CA)
		if err != nil {
			return nil, invalid("--ssl-ca: %v", err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, invalid("--ssl-ca %s holds no PEM certificate", o.CA)
		}
	}
	if o.Cert != "" {
		cert, err := tls.LoadX509KeyPair(o.Cert, o.Key)
		if err != nil {
			return nil, invalid("--ssl-cert %s with --ssl-key %s: %v", o.Cert, o.Key, err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}
