package migration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ghost-osc/ghost/go/alter"
	"github.com/ghost-osc/ghost/go/hint"
	"github.com/ghost-osc/ghost/go/plan"
	"github.com/ghost-osc/ghost/go/schema"
	"github.com/ghost-osc/ghost/go/target"
)

// ExitRisks is ghost plan's exit status when it found a risk (a CI gate).
const ExitRisks = 5

// Plan inspects the servers and the table as a migration would, without its checks of
// leftovers and without creating anything but the plan's empty scratch table, and returns
// the plan of the ALTER (docs/plan.md).
func (m *Migration) Plan(ctx context.Context, checkTimeout time.Duration) (rep *plan.Report, err error) {
	m.started = time.Now()
	defer m.close()
	if m.settings, err = newSettings(m.cfg); err != nil {
		return nil, err
	}
	if same, err := m.resolveTarget(ctx); err != nil {
		return nil, err
	} else if same {
		return nil, hint.New(fmt.Sprintf("%s.%s already has the definition --target-schema declares", m.cfg.Database, m.cfg.Table), "there is nothing to plan")
	}
	if m.analysis, err = alter.Parse(m.cfg.Alter); err != nil {
		return nil, err
	}
	if err := m.analysis.CheckTable(m.cfg.Database, m.cfg.Table, true); err != nil {
		return nil, err
	}
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	t, err := schema.Read(ctx, m.primary, m.cfg.Database, m.cfg.Table)
	if errors.Is(err, schema.ErrNotFound) {
		return nil, hint.New(fmt.Sprintf("table %s.%s does not exist on %s", m.cfg.Database, m.cfg.Table, m.primaryInfo), "check --database and --table")
	}
	if err != nil {
		return nil, err
	}
	return m.makePlan(ctx, t, checkTimeout)
}

func (m *Migration) makePlan(ctx context.Context, t *schema.Table, checkTimeout time.Duration) (*plan.Report, error) {
	return plan.Make(ctx, plan.Config{Primary: m.primary, Replica: m.inspected, Info: m.primaryInfo, Orig: t, Alter: m.analysis,
		Scratch: m.cfg.PlanTable(), CheckTimeout: checkTimeout})
}

// resolveTarget is --target-schema: it computes the ALTER that turns the table into the
// declared one (go/target: the server parses both and judges the result) and runs on with it.
// same says the table already is as declared.
func (m *Migration) resolveTarget(ctx context.Context) (same bool, err error) {
	if m.cfg.TargetSchema == "" {
		return false, nil
	}
	if err := m.connect(ctx); err != nil {
		return false, err
	}
	clause, err := target.Diff(ctx, m.primary, m.origT, m.cfg.TargetSchema, "_"+m.cfg.Table+"_gts", m.cfg.ApproveRenamedColumns)
	if errors.Is(err, target.ErrSame) {
		line := fmt.Sprintf("%s.%s already has the definition --target-schema declares: nothing to do", m.cfg.Database, m.cfg.Table)
		m.log.Info(line)
		fmt.Fprintln(m.statusTo, line)
		return true, nil
	}
	if err != nil {
		return false, err
	}
	m.cfg.Alter = clause
	line := fmt.Sprintf("--target-schema: ALTER TABLE %s %s", m.origT, clause)
	m.log.Info(line)
	fmt.Fprintln(m.statusTo, line)
	return false, nil
}
