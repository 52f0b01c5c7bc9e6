package metrics

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
)

// MaxPayload is the largest datagram sent to a UDP agent: what fits in one Ethernet
// frame after the IPv4 and UDP headers, so that no datagram is fragmented on the way.
const MaxPayload = 1432

// maxUnixPayload is the largest datagram sent to a Unix socket agent (the DogStatsD
// agent reads 8 KiB datagrams there; no network sits between).
const maxUnixPayload = 8192

// Client gathers lines and sends them to one agent. Its methods are safe for
// concurrent use.
type Client struct {
	conn       net.Conn
	namespace  string // prefix of every name, e.g. "gh_ost."
	tags       string // the global tags, joined with ','
	maxPayload int

	mu      sync.Mutex
	pending []byte // whole lines, each ending with '\n'
	err     error  // the first failed write since the last Flush
}

// ErrAddr marks an address that names no agent ghost can send to.
var ErrAddr = errors.New("bad StatsD address")

// CheckAddr reports whether addr has the form Dial accepts, without resolving it:
// host:port with a numeric port, or unix:///path (also unixgram:///path).
func CheckAddr(addr string) error {
	if path, ok := unixPath(addr); ok {
		if path == "" {
			return fmt.Errorf("%w %q: no socket path after unix://", ErrAddr, addr)
		}
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w %q: want host:port or unix:///path", ErrAddr, addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || host == "" {
		return fmt.Errorf("%w %q: want host:port with a port number, or unix:///path", ErrAddr, addr)
	}
	return nil
}

// CheckTag reports whether a global tag can be sent as it is: tags are separated by
// ',' and a line ends at '|' or a newline, so none may hold them.
func CheckTag(tag string) error {
	if tag == "" || strings.ContainsAny(tag, ",|\n\r") {
		return fmt.Errorf("StatsD tag %q: a tag is key:value (or a bare word) without ',', '|' or line breaks", tag)
	}
	return nil
}

func unixPath(addr string) (string, bool) {
	for _, p := range []string{"unix://", "unixgram://"} {
		if rest, ok := strings.CutPrefix(addr, p); ok {
			return rest, true
		}
	}
	return "", false
}

// Dial returns a client for the agent at addr (see CheckAddr). namespace prefixes every
// name; tags are added to every line. Dialing a datagram socket only resolves the
// address: an agent that is not listening goes unnoticed until Flush reports it.
func Dial(addr, namespace string, tags []string) (*Client, error) {
	if err := CheckAddr(addr); err != nil {
		return nil, err
	}
	for _, t := range tags {
		if err := CheckTag(t); err != nil {
			return nil, err
		}
	}
	network, target, maxPayload := "udp", addr, MaxPayload
	if path, ok := unixPath(addr); ok {
		network, target, maxPayload = "unixgram", path, maxUnixPayload
	}
	conn, err := net.Dial(network, target)
	if err != nil {
		return nil, fmt.Errorf("StatsD agent %s: %w", addr, err)
	}
	return &Client{conn: conn, namespace: namespace, tags: strings.Join(tags, ","), maxPayload: maxPayload}, nil
}

// Gauge records the current value of name.
func (c *Client) Gauge(name string, value float64, tags ...string) {
	c.add(name, strconv.FormatFloat(value, 'f', -1, 64), "g", tags)
}

// Count adds value to the counter name.
func (c *Client) Count(name string, value int64, tags ...string) {
	c.add(name, strconv.FormatInt(value, 10), "c", tags)
}

// Histogram records one sample of the distribution name.
func (c *Client) Histogram(name string, value float64, tags ...string) {
	c.add(name, strconv.FormatFloat(value, 'f', -1, 64), "h", tags)
}

// line is the text of one measurement, without the trailing newline.
func (c *Client) line(name, value, kind string, tags []string) string {
	var b strings.Builder
	b.WriteString(c.namespace)
	b.WriteString(name)
	b.WriteByte(':')
	b.WriteString(value)
	b.WriteByte('|')
	b.WriteString(kind)
	all := c.tags
	for _, t := range tags {
		if all != "" {
			all += ","
		}
		all += tagValue(t)
	}
	if all != "" {
		b.WriteString("|#")
		b.WriteString(all)
	}
	return b.String()
}

// tagValue makes text safe as one tag: the characters that end a tag or a line become '_'.
func tagValue(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ',', '|', '\n', '\r':
			return '_'
		}
		return r
	}, s)
}

func (c *Client) add(name, value, kind string, tags []string) {
	line := c.line(name, value, kind, tags) + "\n"
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending)+len(line) > c.maxPayload {
		// The datagram is full: send it now; Flush reports a failure.
		if err := c.sendLocked(); err != nil && c.err == nil {
			c.err = err
		}
	}
	c.pending = append(c.pending, line...)
}

// Flush sends the gathered lines. The error is the first write that failed (on Linux a
// UDP agent that is not listening shows up here, one write late); the lines are dropped
// either way.
func (c *Client) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.sendLocked()
	if c.err != nil {
		err, c.err = c.err, nil
	}
	return err
}

func (c *Client) sendLocked() error {
	if len(c.pending) == 0 {
		return nil
	}
	// The agent splits a datagram at newlines; the last one is not needed.
	_, err := c.conn.Write(c.pending[:len(c.pending)-1])
	c.pending = c.pending[:0]
	return err
}

// Close sends what is gathered and closes the socket.
func (c *Client) Close() error {
	ferr := c.Flush()
	return errors.Join(ferr, c.conn.Close())
}
