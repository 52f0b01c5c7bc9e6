package client

// NetworkInspectOptions holds parameters to inspect network.
type NetworkInspectOptions struct {
	Scope   string
	Verbose bool
}
