package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ghost-osc/ghost/go/migration"
	"github.com/sirupsen/logrus"
	"github.com/urfave/cli/v2"
)

// backfillCommand is `ghost backfill`: an UPDATE of the whole table run chunk by chunk along
// its unique key, with ghost's throttling, socket, hooks and checkpoints (docs/backfill.md).
// exit, report and summaryFile are the run's, as the migration's action sets them: the exit
// status and the --summary-file written when the backfill ends.
func backfillCommand(stdout, stderr io.Writer, exit *func(error) int, report *func(error) migration.Report, summaryFile *string) *cli.Command {
	return &cli.Command{
		Name:  "backfill",
		Usage: "run UPDATE ... SET along the table's unique key in throttled chunks, resumable (docs/backfill.md)",
		Flags: append(append(flags(), tableFlags()...),
			&cli.StringFlag{Name: "set", Usage: "the SET list of the UPDATE, e.g. \"display_name = user_name\""},
			&cli.StringFlag{Name: "where", Usage: "which rows to change, e.g. \"display_name IS NULL\" (default: every row)"},
		),
		Action: func(c *cli.Context) error {
			if strings.TrimSpace(c.String("set")) == "" {
				return fmt.Errorf("%w: ghost backfill needs --set", errUsage)
			}
			if c.String("alter") != "" {
				return fmt.Errorf("%w: ghost backfill takes --set, not --alter", errUsage)
			}
			*summaryFile = c.String("summary-file")
			cfg, err := configFromBackfill(c)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			m := migration.New(cfg, logrus.NewEntry(newLogger(c, stderr)), stdout)
			*exit, *report = m.ExitStatus, m.Report
			return m.Backfill(ctx)
		},
	}
}

func configFromBackfill(c *cli.Context) (cfgOut configType, err error) {
	set, where := c.String("set"), c.String("where")
	cfg, err := configFromWith(c, func(cfg *configType) { cfg.BackfillSet, cfg.BackfillWhere = set, where })
	return cfg, err
}
