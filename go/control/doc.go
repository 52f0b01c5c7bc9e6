// Package control serves ghost's interactive commands: one plain-text command
// per connection on a unix socket (--serve-socket-file) and optionally a TCP
// port (--serve-tcp-port), answered and then closed, exactly as with gh-ost:
//
//	echo status | nc -U /tmp/ghost.shop.orders.sock
//	echo "chunk-size=500" | nc -U /tmp/ghost.shop.orders.sock
//	echo "max-lag-millis=?" | nc -U /tmp/ghost.shop.orders.sock
//
// Commands live in a table (names, help, handler) and act on the migration
// through the Controller interface, which this package defines and the
// orchestrator implements. Numeric values are validated here; the meaning of
// every value (load syntax, bounds) is the Controller's to check.
//
// The package must not import other ghost packages, must not hold migration
// state of its own, and must not stop the migration by itself: "panic" is
// forwarded to Controller.Panic. A bad command gets an "ERROR: ..." reply and
// the server keeps serving.
package control
