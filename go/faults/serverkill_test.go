package faults

import (
	"fmt"
	"github.com/ghost-osc/ghost/go/topology"
	"github.com/ghost-osc/ghost/go/topology/topotest"
	"hash/crc32"
	"path/filepath"
	"testing"
	"time"
)

// TestServerKills breaks ghost's connections from the server side while writers run:
// KILL QUERY and KILL of a copy chunk waiting on a held row, KILL of the binlog dump
// connection on the replica (during the copy and several times after it), and FLUSH
// BINARY LOGS mid-stream. ghost retries the chunk, reconnects at the last complete
// transaction, and the migrated table holds exactly the writers' rows: nothing skipped,
// nothing repeated (the writers delete and re-insert ids, so a repeated or skipped event
// leaves a visible difference), the copy not declared done early.
//
// It runs on a topology of its own: every Binlog Dump connection on its replica is
// ghost's, and nobody else's reader sees the rotations.
func TestServerKills(t *testing.T) {
	t.Parallel()
	f := newFixture(t, topotest.Private(t, topology.Options{}))
	const rows, heldID = 20000, 10000
	m := f.createTable(rows)
	w := f.startWriter(m, writerConfig{Avoid: []int64{heldID}})
	postpone := filepath.Join(f.dir, "postpone")
	touch(t, postpone)
	blocker := f.holdRow(heldID)
	// The locking copy waits for the held row, which stops the copy at a known chunk.
	g := f.startMigrating("kills", map[string]string{"chunk-size": "1000", "postpone-cut-over-flag-file": postpone, "copy": "locking"})

	// The chunk holding heldID waits on the row lock: kill its query, then its connection.
	p := f.waitCopyQuery(time.Time{})
	at := time.Now()
	f.exec(f.primary, fmt.Sprintf("KILL QUERY %d", p.ID))
	t.Logf("KILL QUERY %d (chunk waiting %.1fs)", p.ID, p.Time)
	p = f.waitCopyQuery(at)
	at = time.Now()
	f.exec(f.primary, fmt.Sprintf("KILL %d", p.ID))
	t.Logf("KILL %d (retried chunk waiting %.1fs)", p.ID, p.Time)
	f.waitCopyQuery(at)
	// One stream fault while the copy is held.
	f.exec(f.replica, "FLUSH BINARY LOGS")
	f.killDump()
	if err := blocker.Commit(); err != nil {
		t.Fatal(err)
	}
	g.waitLine(rePostponed, 2*time.Minute)

	// The copy is done; the applier keeps up with the writers. Rotate and cut the stream.
	for i := 0; i < 3; i++ {
		f.exec(f.replica, "FLUSH BINARY LOGS")
		time.Sleep(300 * time.Millisecond)
		f.killDump()
		time.Sleep(300 * time.Millisecond)
		f.exec(f.replica, "FLUSH BINARY LOGS")
	}
	remove(t, postpone)
	g.succeed(defaultRunLimit)
	time.Sleep(300 * time.Millisecond)
	res := w.stop()
	checkWriter(f, res)

	if n := len(g.findAll(reChunkRetry)); n < 2 {
		t.Errorf("ghost logged %d chunk retries, want at least 2 (KILL QUERY and KILL)", n)
	}
	if n := len(g.findAll(reReconnect)); n < 4 {
		t.Errorf("ghost logged %d binlog reconnects, want at least 4 (one per killed dump)", n)
	}
	f.assertRows(f.table, res)
	gotN, gotSum := f.checksum(f.table)
	wantN, wantSum := modelChecksum(res.Model)
	if gotN != wantN || gotSum != wantSum {
		t.Errorf("%s: %d rows, checksum %d; the writers' model: %d rows, checksum %d", f.table, gotN, gotSum, wantN, wantSum)
	}
	t.Logf("writers committed %d writes; errors: %s; %d rows, checksum %d", res.OK, errorSummary(res.Errors), gotN, gotSum)
}

// killDump kills the Binlog Dump connection on the replica (there must be exactly one:
// ghost's) and waits until ghost has connected again.
func (f *fixture) killDump() {
	f.t.Helper()
	var id int64
	eventually(f.t, time.Minute, "ghost's binlog dump connection", func() bool {
		ps, err := processlist(f.replica, "COMMAND = 'Binlog Dump'")
		if err != nil || len(ps) != 1 {
			return false
		}
		id = ps[0].ID
		return true
	})
	f.exec(f.replica, fmt.Sprintf("KILL %d", id))
	eventually(f.t, time.Minute, "ghost to reconnect its binlog dump", func() bool {
		ps, err := processlist(f.replica, "COMMAND = 'Binlog Dump' AND ID <> ?", id)
		return err == nil && len(ps) == 1
	})
}

// checksum is the row count and the XOR of CRC32(id,v,s) over the rows of a table.
func (f *fixture) checksum(table string) (int64, uint32) {
	f.t.Helper()
	ctx, cancel := f.ctx(time.Minute)
	defer cancel()
	var n int64
	var sum uint32
	q := fmt.Sprintf("SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS(',', id, v, s))), 0) FROM `%s`", table)
	if err := f.primary.QueryRowContext(ctx, q).Scan(&n, &sum); err != nil {
		f.t.Fatal(err)
	}
	return n, sum
}

// modelChecksum is checksum computed over the model.
func modelChecksum(m model) (int64, uint32) {
	var sum uint32
	for id, r := range m {
		sum ^= crc32.ChecksumIEEE(fmt.Appendf(nil, "%d,%d,%s", id, r.V, r.S))
	}
	return int64(len(m)), sum
}
