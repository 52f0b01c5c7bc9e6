package control

import (
	"io"
	"net"
	"time"
)

// Ask sends one command to a ghost control endpoint (network "unix" or "tcp") and returns the
// whole reply: the server answers one command per connection, then closes it. timeout bounds
// the exchange after the connection is made; connecting takes at most 5s.
func Ask(network, addr, command string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, command+"\n"); err != nil {
		return "", err
	}
	reply, err := io.ReadAll(conn)
	return string(reply), err
}
