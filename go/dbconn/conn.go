package dbconn

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Config says where and how to connect.
type Config struct {
	Host     string
	Port     int
	User     string
	Password string
	// Database is the default schema of every session ("" for none).
	Database string
	// ConnectTimeout bounds dialling; zero means 10s.
	ConnectTimeout time.Duration
	// IOTimeout bounds each wait for the server to answer or take a write; zero means
	// none. A statement whose answer takes longer fails.
	IOTimeout time.Duration
	// LockWaitTimeout is the session lock_wait_timeout; zero leaves the server default.
	LockWaitTimeout time.Duration
	// InnoDBLockWaitTimeout is the session innodb_lock_wait_timeout; zero leaves the server default.
	InnoDBLockWaitTimeout time.Duration
	// MaxOpen bounds the pool; zero means 8.
	MaxOpen int
	// TLS, when set, encrypts every connection of the pool; nil means plain connections.
	// It is not changed: each pool works on a copy, whose ServerName is Host when empty
	// (unless verification is skipped), so that one *tls.Config serves every server.
	TLS *tls.Config
}

// Addr is host:port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// SessionSQLMode is the sql_mode of every ghost session. Strict, so that a copy or an
// apply that would truncate, clamp or null a value fails instead of changing data;
// NO_AUTO_VALUE_ON_ZERO so that a row whose AUTO_INCREMENT column holds 0 keeps its 0;
// without NO_ZERO_DATE/NO_ZERO_IN_DATE so that zero dates already stored survive the copy,
// as they would with the server's own ALTER.
const SessionSQLMode = "STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO"

// DSN renders the go-sql-driver data source name with ghost's session settings. A DSN
// cannot carry a *tls.Config: Open uses DriverConfig, which does.
func (c Config) DSN() string { return c.DriverConfig().FormatDSN() }

// DriverConfig is the go-sql-driver configuration with ghost's session settings and TLS.
func (c Config) DriverConfig() *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.User = c.User
	cfg.Passwd = c.Password
	cfg.Net = "tcp"
	cfg.Addr = c.Addr()
	cfg.DBName = c.Database
	// Client-side interpolation saves a prepare round trip per statement; []byte values
	// become _binary literals, which keeps raw bytes of any charset intact.
	cfg.InterpolateParams = true
	cfg.Timeout = c.ConnectTimeout
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	cfg.ReadTimeout, cfg.WriteTimeout = c.IOTimeout, c.IOTimeout
	cfg.Collation = "utf8mb4_general_ci"
	cfg.Params = map[string]string{
		"sql_mode": quoteVar(SessionSQLMode),
		// Temporal values travel as text in UTC both ways (the binlog reader formats
		// TIMESTAMP in UTC too), so no value depends on the server's or client's zone.
		"time_zone": quoteVar("+00:00"),
	}
	if c.LockWaitTimeout > 0 {
		cfg.Params["lock_wait_timeout"] = strconv.Itoa(ceilSeconds(c.LockWaitTimeout))
	}
	if c.InnoDBLockWaitTimeout > 0 {
		cfg.Params["innodb_lock_wait_timeout"] = strconv.Itoa(ceilSeconds(c.InnoDBLockWaitTimeout))
	}
	if c.TLS != nil {
		// The driver names Host as ServerName on its own copy when ServerName is empty, and
		// never falls back to a plain connection (AllowFallbackToPlaintext stays false).
		cfg.TLS = c.TLS.Clone()
	}
	return cfg
}

func quoteVar(s string) string { return "'" + s + "'" }

func ceilSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// Open returns a pool with ghost's session settings and checks that the server answers.
func Open(ctx context.Context, c Config) (*sql.DB, error) {
	dcfg := c.DriverConfig()
	dlog := &driverLog{holding: true}
	dcfg.Logger = dlog
	connector, err := mysql.NewConnector(dcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", c.Addr(), err)
	}
	db := sql.OpenDB(connector)
	max := c.MaxOpen
	if max == 0 {
		max = 8
	}
	db.SetMaxOpenConns(max)
	db.SetMaxIdleConns(max)
	db.SetConnMaxLifetime(time.Hour)
	err = db.PingContext(ctx)
	held := dlog.release()
	if err != nil {
		db.Close()
		var notes []string
		if held != "" && !strings.Contains(err.Error(), held) {
			notes = append(notes, held)
		}
		if c.IOTimeout > 0 && errors.Is(err, mysql.ErrInvalidConn) {
			// The driver reports a read or write that timed out as a broken connection.
			notes = append(notes, fmt.Sprintf("the read/write timeout is %s", c.IOTimeout))
		}
		// With TLS 1.3 the server checks the client certificate after the client has
		// finished its handshake: a refusal shows as the connection closed on login (the
		// driver's "invalid connection", or an unexported "bad connection").
		certRefused := c.TLS != nil && len(c.TLS.Certificates) > 0 && Number(err) == 0 && !TLSUnverified(err) &&
			!TLSNotOffered(err) && !isDialError(err) && ctx.Err() == nil
		if len(notes) > 0 {
			err = fmt.Errorf("connect to %s as %q: %w (%s)", c.Addr(), c.User, err, strings.Join(notes, "; "))
		} else {
			err = fmt.Errorf("connect to %s as %q: %w", c.Addr(), c.User, err)
		}
		if certRefused {
			err = fmt.Errorf("%w: %w", err, ErrClientCertRefused)
		}
		return nil, err
	}
	return db, nil
}

// driverLog takes the messages the driver would print to stderr itself. While Open checks
// the first connection it holds them, so that a failed connection is reported once, in
// Open's error; after that they go to stderr as the driver prints them.
type driverLog struct {
	mu      sync.Mutex
	holding bool
	held    []string
}

var driverStderr = log.New(os.Stderr, "[mysql] ", log.Ldate|log.Ltime)

func (l *driverLog) Print(v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holding {
		msg := v
		if s, ok := v[0].(string); ok && len(v) > 1 && strings.Contains(s, ".go:") {
			msg = v[1:] // the driver's source position, which tells a user nothing
		}
		l.held = append(l.held, strings.TrimSpace(fmt.Sprint(msg...)))
		return
	}
	driverStderr.Print(v...)
}

// release stops holding messages and returns those held, joined.
func (l *driverLog) release() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.holding = false
	return strings.Join(l.held, "; ")
}

// ConnectionID returns the server thread id of a pinned connection.
func ConnectionID(ctx context.Context, conn *sql.Conn) (int64, error) {
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return 0, fmt.Errorf("read connection id: %w", err)
	}
	return id, nil
}

// QuoteIdent quotes one identifier with backquotes, doubling any backquote inside.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuoteTable quotes schema.table.
func QuoteTable(schema, table string) string {
	return QuoteIdent(schema) + "." + QuoteIdent(table)
}

// QuoteString renders a string literal for the rare statements that cannot take
// parameters (SHOW ... LIKE). Backslashes and quotes are escaped.
func QuoteString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\x00", `\0`, "\n", `\n`, "\r", `\r`)
	return "'" + r.Replace(s) + "'"
}
