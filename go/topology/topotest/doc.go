// Package topotest helps database packages' integration tests: one topology per test binary,
// started in TestMain, and one fresh database per test.
//
//	var topo *topology.Topology
//
//	func TestMain(m *testing.M) { os.Exit(topotest.Main(m, &topo)) }
//
//	func TestSomething(t *testing.T) {
//		db, name := topotest.NewDatabase(t, topo)
//		...
//	}
//
// With GHOST_TOPOLOGY_STATE pointing at the state file of `script/topology up`, Main reuses that
// running topology instead of starting one (and leaves it running).
package topotest
