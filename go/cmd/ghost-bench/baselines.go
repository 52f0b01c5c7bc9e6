package main

import (
	"context"
	"time"
)

// baselines times the server's own INSERT ... SELECT and ALTER ... ALGORITHM=COPY.
func (b *bencher) baselines(ctx context.Context) error {
	bl := &Baselines{}
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return err
	}
	b.settle(ctx)
	b.logf("(a) INSERT INTO copy SELECT * FROM %s", sourceTable)
	mark := b.cpuNow()
	d, err := copyTable(ctx, b.primary, "copy")
	if err != nil {
		return err
	}
	bl.InsertSelect = Dur(d)
	bl.InsertSelectCPU.Primary = Dur(b.cpuNow().primary - mark.primary)
	r, err := b.waitReplica(ctx)
	if err != nil {
		return err
	}
	bl.InsertSelectReplica = Dur(r)
	bl.InsertSelectCPU.Replica = Dur(b.cpuNow().replica - mark.replica)
	b.logf("    %s on the primary, replica %s later", fmtDur(bl.InsertSelect), fmtDur(bl.InsertSelectReplica))

	if _, err := copyTable(ctx, b.primary, "copy2"); err != nil {
		return err
	}
	if _, err := b.waitReplica(ctx); err != nil {
		return err
	}
	b.settle(ctx)
	b.logf("(b) ALTER TABLE copy2 %s, ALGORITHM=COPY", benchAlter)
	mark = b.cpuNow()
	d, err = timeExec(ctx, b.primary, "ALTER TABLE copy2 "+benchAlter+", ALGORITHM=COPY")
	if err != nil {
		return err
	}
	bl.AlterCopy = Dur(d)
	bl.AlterCopyCPU.Primary = Dur(b.cpuNow().primary - mark.primary)
	if r, err = b.waitReplica(ctx); err != nil {
		return err
	}
	bl.AlterCopyReplica = Dur(r)
	bl.AlterCopyCPU.Replica = Dur(b.cpuNow().replica - mark.replica)
	b.logf("    %s on the primary, replica %s later", fmtDur(bl.AlterCopy), fmtDur(bl.AlterCopyReplica))
	b.rep.Baselines = bl
	if b.o.loadRate > 0 {
		if err := b.serverCopyLoaded(ctx, bl); err != nil {
			return err
		}
	}
	if err := dropAllBut(ctx, b.primary, sourceTable); err != nil {
		return err
	}
	_, err = b.waitReplica(ctx)
	return err
}

// serverCopyLoaded is baseline (c): INSERT ... SELECT of the source into a new table while the
// load writes a fresh sbtest1, with the same warm-up and margins as a loaded ghost run.
func (b *bencher) serverCopyLoaded(ctx context.Context, bl *Baselines) error {
	if _, _, err := b.freshRunTable(ctx); err != nil {
		return err
	}
	gen, loadDone, err := b.startLoad(ctx, "(c)", b.o.loadRate)
	if err != nil {
		return err
	}
	b.logf("(c) INSERT INTO copy3 SELECT * FROM %s while the load writes %s", sourceTable, runTable)
	start := time.Now()
	d, err := copyTable(ctx, b.primary, "copy3")
	if err != nil {
		gen.Stop()
		<-loadDone
		return err
	}
	time.Sleep(loadAfterGhost)
	gen.Stop()
	res := <-loadDone
	bl.ServerCopyLoaded = Dur(d)
	// The statement plays ghost's part: it is "during copy", from its start; no cut-over.
	at := func(x Dur) time.Time { return start.Add(x.D()) }
	bl.ServerCopyLoadedLoad = loadReport(res, gen.Config(), start, b.o.loadWarmup, Phases{CopyEnd: Dur(d)}, at, true)
	b.logf("    %s; writers before %s, during %s", fmtDur(bl.ServerCopyLoaded), bl.ServerCopyLoadedLoad.Before, bl.ServerCopyLoadedLoad.DuringCopy)
	_, err = b.waitReplica(ctx)
	return err
}
