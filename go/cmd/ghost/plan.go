package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ghost-osc/ghost/go/migration"
	"github.com/ghost-osc/ghost/go/plan"
	"github.com/sirupsen/logrus"
	"github.com/urfave/cli/v2"
)

// planCommand is `ghost plan`: what the ALTER would cost on this server and what could go
// wrong (docs/plan.md). It takes ghost's flags; nothing but an empty scratch table is created.
func planCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "tell how the server can run the ALTER (instant, in place, copy), estimates and risks, without migrating (docs/plan.md)",
		Flags: append(append(flags(), tableFlags()...),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text or json"},
			&cli.DurationFlag{Name: "check-timeout", Value: 10 * time.Second, Usage: "bound on each data check (NULL counts, rows that do not fit, duplicate groups) on --host"},
		),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return fmt.Errorf("%w: --format must be text or json, got %q", errUsage, format)
			}
			cfg, err := configFrom(c)
			if err != nil {
				return err
			}
			cfg.Execute = false
			m := migration.New(cfg, logrus.NewEntry(newLogger(c, stderr)), stdout)
			rep, err := m.Plan(c.Context, c.Duration("check-timeout"))
			if err != nil {
				return err
			}
			if format == "json" {
				b, err := json.MarshalIndent(rep, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(stdout, string(b))
			} else {
				fmt.Fprint(stdout, rep.Text())
			}
			switch {
			case rep.Class == plan.Refused:
				return exitCode{migration.ExitRefused, "the server refuses the ALTER: " + rep.Refusal}
			case len(rep.Risks) > 0:
				return exitCode{migration.ExitRisks, fmt.Sprintf("the plan found %d risk(s)", len(rep.Risks))}
			}
			return nil
		},
	}
}
