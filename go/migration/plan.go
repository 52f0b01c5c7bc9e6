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
