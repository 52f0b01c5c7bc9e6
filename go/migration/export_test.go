package migration

// HeartbeatLag exposes heartbeatLag to the package's tests against a real server.
var HeartbeatLag = heartbeatLag
