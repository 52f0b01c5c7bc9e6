package topology

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/containerd/errdefs"
	"github.com/go-sql-driver/mysql"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tcmysql "github.com/testcontainers/testcontainers-go/modules/mysql"
	"golang.org/x/sync/errgroup"
)

// dockerRootPassword is the root password inside the throw-away containers.
const dockerRootPassword = "ghost-root"

// ErrNoDocker is returned by Start with the docker backend when no Docker engine answers.
var ErrNoDocker = errors.New("docker backend: no Docker engine reachable (start one, or unset " + EnvBackend + " to use local servers)")

// startDocker starts MySQL primary and replica containers on a private network.
func startDocker(ctx context.Context, opts Options) (*Topology, error) {
	log := newLogger(opts.Log)
	started := time.Now()
	image := opts.Image
	if image == "" {
		image = os.Getenv(EnvMySQLImage)
	}
	if image == "" {
		image = DefaultMySQLImage
	}
	if err := dockerReachable(ctx); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}

	t := &Topology{Backend: BackendDocker}
	newServer := func(name string, id int) *Server {
		return &Server{Name: name, User: User, Password: Password, Flavor: FlavorMySQL, ServerID: id}
	}
	t.Primary = newServer("primary", 1)
	if !opts.NoReplica {
		t.Replica = newServer("replica", 2)
	}
	ok := false
	defer func() {
		if !ok {
			_ = t.Stop()
		}
	}()

	name := "ghost-topology-" + strconv.FormatUint(rand.Uint64(), 36)
	//nolint:staticcheck // the network package of testcontainers-go is not vendored; GenericNetwork does the same.
	if _, err := testcontainers.GenericNetwork(ctx, testcontainers.GenericNetworkRequest{
		NetworkRequest: testcontainers.NetworkRequest{Name: name, Driver: "bridge", Attachable: true},
	}); err != nil {
		return nil, fmt.Errorf("topology: create docker network: %w", err)
	}
	t.Network = name
	log("docker network %s created; starting %s", name, image)

	g, gctx := errgroup.WithContext(ctx)
	for _, s := range t.Servers() {
		g.Go(func() error { return runContainer(gctx, s, image, name, opts.ExtraArgs, log) })
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	if t.Replica != nil {
		// Containers reach each other by network alias on the MySQL port inside the network.
		if err := wireReplica(ctx, t, t.Primary.Name, 3306, log); err != nil {
			return nil, fmt.Errorf("topology: %w", err)
		}
	}
	ok = true
	log("ready in %v (mysql %s)", time.Since(started).Round(time.Millisecond), t.Primary.Version)
	return t, nil
}

// dockerReachable fails with ErrNoDocker unless a Docker engine answers.
func dockerReachable(ctx context.Context) error {
	provider, err := testcontainers.ProviderDocker.GetProvider()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoDocker, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := provider.Health(ctx); err != nil { // Health closes the provider
		return fmt.Errorf("%w: %w", ErrNoDocker, err)
	}
	return nil
}

// dockerServerArgs are the mysqld options of a container (the image's entrypoint passes them on).
func dockerServerArgs(s *Server, extra []string) []string {
	args := []string{
		fmt.Sprintf("--server-id=%d", s.ServerID),
		"--log-bin=mysql-bin",
		"--relay-log=relay-bin",
		"--binlog-format=ROW",
		"--binlog-row-image=FULL",
		// The image's version is unknown until it runs: log_replica_updates exists from 8.0.26,
		// log_slave_updates until 8.3. --loose- makes the one the server lacks a warning.
		"--loose-log-replica-updates=ON",
		"--loose-log-slave-updates=ON",
		"--gtid-mode=ON",
		"--enforce-gtid-consistency=ON",
		"--event-scheduler=ON",
		"--innodb-buffer-pool-size=" + bufferPoolSize,
	}
	return append(args, extra...)
}

// runContainer starts one MySQL container attached to network under the alias s.Name, then
// creates the users and fills s.
func runContainer(ctx context.Context, s *Server, image, network string, extra []string, log func(string, ...any)) error {
	ctr, err := tcmysql.Run(ctx, image,
		tcmysql.WithUsername("root"),
		tcmysql.WithPassword(dockerRootPassword),
		testcontainers.WithCmd(dockerServerArgs(s, extra)...),
		testcontainers.CustomizeRequestOption(func(req *testcontainers.GenericContainerRequest) error {
			req.Networks = append(req.Networks, network)
			if req.NetworkAliases == nil {
				req.NetworkAliases = map[string][]string{}
			}
			req.NetworkAliases[network] = append(req.NetworkAliases[network], s.Name)
			return nil
		}),
	)
	if ctr != nil && ctr.Container != nil {
		s.ContainerID = ctr.GetContainerID() // recorded even on failure, so that Stop removes it
	}
	if err != nil {
		return fmt.Errorf("%s: start %s container: %w", s.Name, image, err)
	}
	host, err := ctr.Host(ctx)
	if err != nil {
		return fmt.Errorf("%s: container host: %w", s.Name, err)
	}
	port, err := ctr.MappedPort(ctx, "3306/tcp")
	if err != nil {
		return fmt.Errorf("%s: container port: %w", s.Name, err)
	}
	s.Host, s.Port = host, int(port.Num())

	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = "root", dockerRootPassword
	cfg.Net, cfg.Addr = "tcp", s.Addr()
	cfg.Timeout = 5 * time.Second
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return fmt.Errorf("%s: root connector: %w", s.Name, err)
	}
	root := sql.OpenDB(connector)
	defer root.Close()
	var v string
	if err := root.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v); err != nil {
		return fmt.Errorf("%s: connect as root: %w", s.Name, err)
	}
	// Why: the image's entrypoint may have binlogged its own set-up (time zones, root accounts)
	// with each server's own uuid. Starting both servers from empty GTID sets keeps the replica
	// from replaying the primary's set-up on top of its own.
	reset := "RESET MASTER"
	if parseVersion(v).AtLeast(8, 2, 0) {
		reset = "RESET BINARY LOGS AND GTIDS" // RESET MASTER is gone in 8.4
	}
	if _, err := root.ExecContext(ctx, reset); err != nil {
		return fmt.Errorf("%s: %s: %w", s.Name, reset, err)
	}
	if err := setupUsers(ctx, root); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	// Read the version again as the ghost user: proves the account works over the mapped port.
	if s.Version, err = s.queryString(ctx, "SELECT VERSION()"); err != nil {
		return fmt.Errorf("%s: connect as %s: %w", s.Name, s.User, err)
	}
	log("%s %s up on %s (container %.12s)", s.Name, s.Version, s.Addr(), s.ContainerID)
	return nil
}

// stopDocker removes the containers and the network of a docker topology.
func stopDocker(ctx context.Context, t *Topology) error {
	var ids []string
	for _, s := range t.Servers() {
		if s.ContainerID != "" {
			ids = append(ids, s.ContainerID)
		}
	}
	if len(ids) == 0 && t.Network == "" {
		return nil
	}
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("topology: stop docker topology: %w", err)
	}
	defer provider.Close()
	cli := provider.Client()
	var errs []error
	for _, id := range ids {
		_, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove container %.12s: %w", id, err))
		}
	}
	if t.Network != "" {
		_, err := cli.NetworkRemove(ctx, t.Network, client.NetworkRemoveOptions{})
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", t.Network, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("topology: %w", err)
	}
	return nil
}
