package migration_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ghost-osc/ghost/go/changelog"
	"github.com/ghost-osc/ghost/go/migration"
	"github.com/ghost-osc/ghost/go/sqlgen"
	"github.com/ghost-osc/ghost/go/topology/topotest"
)

// A replica that has not replayed the changelog's CREATE or its first heartbeat yet lags by at
// least the CREATE's age; only a failure to read is an error (it throttles the copy until the
// next collection, a second later).
func TestHeartbeatLag(t *testing.T) {
	db, name := topotest.NewDatabase(t, topo)
	ctx := t.Context()
	table := sqlgen.Table{Schema: name, Name: "_t_ghc"}
	created := time.Now().Add(-2 * time.Second)

	between := func(what string, created time.Time, lo, hi time.Duration) {
		t.Helper()
		lag, err := migration.HeartbeatLag(ctx, db, table, created)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if lag < lo || lag > hi {
			t.Errorf("%s: lag %v; want %v to %v", what, lag, lo, hi)
		}
	}
	between("no changelog table, none created yet", time.Time{}, 0, 0)
	between("no changelog table on this server yet", created, 2*time.Second, time.Minute)

	cl := changelog.New(db, table)
	if err := cl.Create(ctx); err != nil {
		t.Fatal(err)
	}
	between("changelog table without a heartbeat yet", created, 2*time.Second, time.Minute)

	if err := cl.Heartbeat(ctx, time.Now().Add(-500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	between("heartbeat written 500ms ago", created, 500*time.Millisecond, time.Minute)

	exec(t, db, "UPDATE _t_ghc SET value = 'soon' WHERE hint = 'heartbeat'")
	if _, err := migration.HeartbeatLag(ctx, db, table, created); err == nil || !strings.Contains(err.Error(), `heartbeat "soon"`) {
		t.Errorf("unreadable heartbeat: error %v; want one naming the value", err)
	}

	exec(t, db, "CREATE TABLE other_ghc (id INT)")
	if _, err := migration.HeartbeatLag(ctx, db, sqlgen.Table{Schema: name, Name: "other_ghc"}, created); err == nil || !strings.Contains(err.Error(), "1054") {
		t.Errorf("changelog without a hint column: error %v; want the server's 1054", err)
	}
}
