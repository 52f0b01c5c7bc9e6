package dbconn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"

	"github.com/go-sql-driver/mysql"
)

// TLS failures of a connection attempt, told apart so that an error can name the side to
// fix. They carry no server error number: the handshake fails before the server speaks.

// ErrClientCertRefused marks a connection that presented a client certificate and was
// closed during the login without a server error: the server may not trust the
// certificate. (A TLS 1.3 server refuses one only after the client's handshake is done.)
var ErrClientCertRefused = errors.New("the server closed the connection after the TLS handshake: it may not trust the client certificate")

// TLSNotOffered tells whether TLS was asked for but the server offers none (it has no
// ssl_cert/ssl_key). Neither the driver nor the binlog client falls back to plain text.
func TLSNotOffered(err error) bool { return errors.Is(err, mysql.ErrNoTLS) }

// TLSUnverified tells whether the server's certificate failed verification: signed by
// an authority the client does not trust, issued for another name, or expired.
func TLSUnverified(err error) bool {
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}
