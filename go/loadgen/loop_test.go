package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

func newLoop(t *testing.T, cfg LoopConfig) *Loop {
	t.Helper()
	l, err := NewLoop(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// startLoop starts a new loop with cfg on ctx.
func startLoop(t *testing.T, ctx context.Context, cfg LoopConfig) *Loop {
	t.Helper()
	l := newLoop(t, cfg)
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return l
}

// holdFor holds the loop's workers for d and returns when the hold began and ended.
func holdFor(l *Loop, d time.Duration) (held, released time.Time) {
	l.Hold()
	held = time.Now()
	time.Sleep(d)
	released = time.Now()
	l.Release()
	return held, released
}

func sleepOp(d time.Duration) Op {
	return func(ctx context.Context, w *Worker) (Kind, int64, error) {
		time.Sleep(d)
		return "sleep", 1, nil
	}
}

func TestLoopConfig(t *testing.T) {
	op := sleepOp(0)
	l := newLoop(t, LoopConfig{Op: op})
	c := l.Config()
	if c.Workers != 1 || c.Duration != MaxDuration || c.MaxOps != MaxWrites || c.Window != DefaultWindow ||
		c.OpTimeout != DefaultOpTimeout || c.Seed == 0 {
		t.Errorf("closed-loop defaults: %+v", c)
	}
	if c := newLoop(t, LoopConfig{Op: op, Rate: 100, Duration: 2 * time.Second}).Config(); c.MaxOps != 201 {
		t.Errorf("open loop: max ops %d; want 201", c.MaxOps)
	}
	if c := newLoop(t, LoopConfig{Op: op, Rate: 1e9}).Config(); c.MaxOps != MaxWrites {
		t.Errorf("open loop for a day at 1e9/s: max ops %d; want the cap %d", c.MaxOps, MaxWrites)
	}
	bad := []LoopConfig{
		{},                            // no op
		{Op: op, Workers: -1},         // no workers
		{Op: op, Rate: -1},            // negative rate
		{Op: op, Pause: -time.Second}, // negative pause
		{Op: op, PauseJitter: -1},     // negative jitter
		{Op: op, Duration: 25 * time.Hour},
		{Op: op, MaxOps: MaxWrites + 1},
	}
	for _, cfg := range bad {
		if _, err := NewLoop(cfg); err == nil {
			t.Errorf("NewLoop(%+v) succeeded", cfg)
		}
	}
	if err := l.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := l.Start(t.Context()); err == nil {
		t.Error("second Start succeeded")
	}
	l.Stop()
	l.Wait()
}

// TestLoopOpenMeasuresFromSchedule: one worker whose ops take 30ms cannot keep a 100/s
// schedule; every op scheduled within the duration still runs, measured from when it was due.
func TestLoopOpenMeasuresFromSchedule(t *testing.T) {
	var mu sync.Mutex
	var seqs []int64
	l := startLoop(t, t.Context(), LoopConfig{Rate: 100, Duration: 300 * time.Millisecond, Op: func(ctx context.Context, w *Worker) (Kind, int64, error) {
		mu.Lock()
		seqs = append(seqs, w.Seq)
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		return "", 0, nil
	}})
	res := l.Wait()
	all := res.Stats.All()
	t.Logf("result %+v; p50 %v max %v service p99 %v", res, all.P50, all.Max, all.ServiceP99)
	if res.StoppedBy != "duration" {
		t.Errorf("stopped by %q; want duration", res.StoppedBy)
	}
	if res.Sent != 30 || res.Due != 30 {
		t.Errorf("sent %d, due %d; want 30 each", res.Sent, res.Due)
	}
	if all.Writes != res.Sent || res.Stats.Totals()[OpKind.String()].OK != res.Sent {
		t.Errorf("recorded %d writes (%v); sent %d", all.Writes, res.Stats.Totals(), res.Sent)
	}
	// The n-th op is due at n*10ms and ends at about (n+1)*30ms: the last (n=29) waited about
	// 600ms; each took about 30ms to serve.
	if all.Max < 500*time.Millisecond || all.ServiceP99 > all.Max/4 || all.ServiceP99 < 30*time.Millisecond {
		t.Errorf("max latency %v, service p99 %v; want max about 600ms, service about 30ms", all.Max, all.ServiceP99)
	}
	if took := res.End.Sub(res.Start); took < 900*time.Millisecond {
		t.Errorf("the run took %v; 30 ops of 30ms take 900ms", took)
	}
	want := make([]int64, 30)
	for i := range want {
		want[i] = int64(i)
	}
	if !slices.Equal(seqs, want) {
		t.Errorf("sequence numbers %v", seqs)
	}
}

// TestLoopClosedHold: a closed loop runs ops back to back with its pause; nothing runs while
// it is held, and the op held back waits for the release.
func TestLoopClosedHold(t *testing.T) {
	var mu sync.Mutex
	seqs := map[int64]int{}
	perWorker := make([]int, 3)
	l := startLoop(t, t.Context(), LoopConfig{Workers: 3, Pause: time.Millisecond, PauseJitter: time.Millisecond,
		Op: func(ctx context.Context, w *Worker) (Kind, int64, error) {
			perWorker[w.ID]++ // no lock: a worker runs its ops one at a time
			mu.Lock()
			seqs[w.Seq]++
			mu.Unlock()
			time.Sleep(time.Millisecond)
			return "tick", 1, nil
		}})
	time.Sleep(100 * time.Millisecond)
	held, released := holdFor(l, 400*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	l.Stop()
	res := l.Wait()
	st := res.Stats
	if res.StoppedBy != "stop" {
		t.Errorf("stopped by %q", res.StoppedBy)
	}
	if n := st.Summary(held, released).Writes; n != 0 {
		t.Errorf("%d ops sent while held", n)
	}
	if before, after := st.Summary(st.Start(), held).Writes, st.Summary(released, res.End).Writes; before < 20 || after < 20 {
		t.Errorf("%d ops before the hold, %d after; want dozens", before, after)
	}
	// A closed loop measures from the send: a held op's latency does not include the hold.
	if all := st.All(); all.Max > 350*time.Millisecond {
		t.Errorf("max latency %v in a closed loop with 1ms ops held for 400ms: a held op was timed from before the hold", all.Max)
	}
	ok, failed := st.Counts()
	if ok != res.Sent || failed != 0 || st.Totals()["tick"].Affected != res.Sent || int64(len(seqs)) != res.Sent {
		t.Errorf("counts %d ok, %d failed, %d distinct seqs; sent %d", ok, failed, len(seqs), res.Sent)
	}
	for seq, n := range seqs {
		if n != 1 || seq < 0 || seq >= res.Sent {
			t.Errorf("seq %d ran %d times", seq, n)
		}
	}
	for id, n := range perWorker {
		if n == 0 {
			t.Errorf("worker %d ran nothing", id)
		}
	}
}

// TestLoopOpenHoldQueues: an open loop's schedule runs on while held; the held ops' latency
// includes the hold.
func TestLoopOpenHoldQueues(t *testing.T) {
	l := startLoop(t, t.Context(), LoopConfig{Workers: 2, Rate: 200, Op: sleepOp(0)})
	time.Sleep(50 * time.Millisecond)
	held, released := holdFor(l, 200*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	l.Stop()
	res := l.Wait()
	// The ops due just after the hold began waited for all of it.
	if got := res.Stats.Longest(held, released); got < 150*time.Millisecond {
		t.Errorf("longest latency across the hold %v; want about 200ms", got)
	}
	if sum := res.Stats.Summary(held, released); sum.Writes < 20 || sum.Max < 150*time.Millisecond {
		t.Errorf("ops due during the hold: %d, max latency %v; want about 40, 200ms", sum.Writes, sum.Max)
	}
}

func TestLoopStopsAndErrors(t *testing.T) {
	// Stopped before it started: nothing runs.
	l := newLoop(t, LoopConfig{Op: sleepOp(0)})
	l.Stop()
	if err := l.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res := l.Wait(); res.StoppedBy != "stop" || res.Sent != 0 {
		t.Errorf("stopped before the start: %+v", res)
	}

	// The context ends it, and the op in flight sees it.
	ctx, cancel := context.WithCancel(t.Context())
	l = startLoop(t, ctx, LoopConfig{Workers: 2, Op: func(ctx context.Context, w *Worker) (Kind, int64, error) {
		if w.Seq == 3 {
			cancel()
			<-ctx.Done()
			return "", 0, ctx.Err()
		}
		return "", 0, nil
	}})
	res := l.Wait()
	if res.StoppedBy != "context" || res.Stats.Errors()[CodeCanceled] != 1 {
		t.Errorf("cancelled: %+v, errors %v", res, res.Stats.Errors())
	}

	// Errors are counted by code; the first of each is kept; MaxOps ends the run.
	l = startLoop(t, t.Context(), LoopConfig{MaxOps: 6, Op: func(ctx context.Context, w *Worker) (Kind, int64, error) {
		switch w.Seq {
		case 1, 4:
			return "w", 0, fmt.Errorf("write %d: %w", w.Seq, &mysql.MySQLError{Number: 1205, Message: "Lock wait timeout"})
		case 2:
			return "w", 0, errors.New("odd")
		}
		return "w", 1, nil
	}})
	res = l.Wait()
	if res.StoppedBy != "max-writes" || res.Sent != 6 {
		t.Errorf("max ops: %+v", res)
	}
	if got := fmt.Sprint(res.Stats.Errors()); got != "map[1205:2 other:1]" {
		t.Errorf("errors %s", got)
	}
	first := l.FirstErrors()
	if len(first) != 2 || !strings.HasPrefix(first[ErrLockWaitTimeout].Error(), "write 1: ") || first[CodeOther].Error() != "odd" {
		t.Errorf("first errors %v", first)
	}
	if tot := res.Stats.Totals()["w"]; tot.OK != 3 || tot.Failed != 3 || tot.Affected != 3 {
		t.Errorf("totals %+v", tot)
	}
}

var errRollback = errors.New("rolled back on purpose")

// TestLoopTwin: workers write a table and its twin in one transaction, some of which roll
// back; the two tables end equal, and the table agrees with the loop's accounting.
func TestLoopTwin(t *testing.T) {
	const initial, workers = 300, 3
	db := newTable(t, "loadgen_twin", 0)
	for _, name := range []string{"t", "t_twin"} {
		mustExec(t, db, "CREATE TABLE "+name+" (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, s VARCHAR(40) NOT NULL)")
		mustExec(t, db, fmt.Sprintf("INSERT INTO %s SELECT seq, seq, CONCAT('s', seq) FROM seq_1_to_%d", name, initial))
	}
	tw := Twin{Table: "t", Twin: "t_twin"}
	// Each worker owns the ids with id % workers == its ID, so the accounting is exact.
	next := make([]int, workers)
	for i := range next {
		next[i] = initial + 1 + i
	}
	l := startLoop(t, t.Context(), LoopConfig{Workers: workers, Pause: time.Millisecond, Seed: 7,
		Op: func(ctx context.Context, w *Worker) (Kind, int64, error) {
			r := w.Rand
			id := workers*r.IntN(initial/workers) + w.ID + 1
			kind := Kind("update")
			var affected int64
			err := InTx(ctx, db, func(tx *sql.Tx) error {
				var res sql.Result
				var err error
				switch n := r.IntN(10); {
				case n < 3:
					kind = "insert"
					res, err = tw.Exec(ctx, tx, "INSERT INTO "+TablePlaceholder+" (id, v, s) VALUES (?, ?, ?)", next[w.ID], n, fmt.Sprint("w", w.ID))
				case n < 4:
					kind = "delete"
					res, err = tw.Exec(ctx, tx, "DELETE FROM "+TablePlaceholder+" WHERE id = ?", id)
				default:
					res, err = tw.Exec(ctx, tx, "UPDATE "+TablePlaceholder+" SET v = v + ?, s = ? WHERE id = ?", n, fmt.Sprint("u", w.Seq), id)
				}
				if err != nil {
					return err
				}
				affected, _ = res.RowsAffected()
				if r.IntN(5) == 0 {
					return errRollback
				}
				return nil
			})
			if err == errRollback { // rolled back as asked, and nothing failed
				return "rollback", 0, nil
			}
			if err == nil && kind == "insert" {
				next[w.ID] += workers
			}
			return kind, affected, err
		}})
	time.Sleep(time.Second)
	l.Stop()
	res := l.Wait()
	tot := res.Stats.Totals()
	t.Logf("sent %d; totals %v; errors %v", res.Sent, tot, res.Stats.Errors())
	if errs := res.Stats.Errors(); len(errs) > 0 {
		t.Errorf("errors %v, first %v", errs, l.FirstErrors())
	}
	if tot["rollback"].OK == 0 || tot["insert"].OK == 0 || tot["update"].OK == 0 || tot["delete"].OK == 0 {
		t.Errorf("want every kind: %v", tot)
	}
	sum := func(table string) string {
		return fmt.Sprint(count(t, db, "SELECT COUNT(*) FROM "+table), "/",
			count(t, db, "SELECT COALESCE(SUM(CRC32(CONCAT_WS(',', id, v, s))), 0) FROM "+table))
	}
	if a, b := sum("t"), sum("t_twin"); a != b {
		t.Errorf("t (rows/checksum %s) differs from its twin (%s)", a, b)
	}
	if got, want := count(t, db, "SELECT COUNT(*) FROM t"), initial+tot["insert"].Affected-tot["delete"].Affected; got != want {
		t.Errorf("t has %d rows; the loop accounts for %d", got, want)
	}

	// A failing statement names the table it failed on and keeps its error number.
	mustExec(t, db, "DROP TABLE t_twin")
	_, err := tw.Exec(t.Context(), db, "UPDATE "+TablePlaceholder+" SET v = 0 WHERE id = 1")
	if ErrorCode(err) != ErrNoSuchTable || !strings.HasPrefix(err.Error(), "on `t_twin`: ") {
		t.Errorf("Exec on a missing twin: %v", err)
	}
}
