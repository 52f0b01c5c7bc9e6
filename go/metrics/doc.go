// Package metrics sends measurements to a StatsD agent in the DogStatsD line protocol
// (name:value|type|#tag,tag), over UDP or a Unix datagram socket, as gh-ost's
// --statsd-addr does. Lines are gathered in memory and leave as datagrams on Flush, each
// datagram holding as many whole lines as fit.
//
// It must not block a migration: sending is fire-and-forget, a lost datagram is lost,
// and no call waits on the network beyond one write to a local socket. It imports no
// other ghost package and knows nothing of what the measurements mean: the migration
// names them.
package metrics
