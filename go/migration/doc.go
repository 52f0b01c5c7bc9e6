// Package migration is the orchestrator of an online schema change. A reader finds it in
// these files:
//
//   - migration.go: the Migration and its four groups of fields (settings, what inspection
//     found, what the goroutines share, their progress); Run, the linear foreground and the
//     one place goroutines are started, under one cancellation (a failing loop cancels the
//     run with its cause);
//   - state.go: every phase and the legal transitions;
//   - inspect.go, prepare.go: the checks before anything is created, the ghost table;
//   - build.go: everything the goroutines share, built before the first of them starts;
//   - loops.go: binlog streaming, the applier's turns, heartbeats, lag;
//   - run.go: the row copy, postponing, cleanup;
//   - cutover.go, triggers.go: the cut-over loop (blockers, markers, verification);
//   - settings.go, operator.go, throttle.go, status.go: the operator's side.
//
// cmd/ghost imports it, and so can a Go program that runs migrations: Example shows the
// entry point (config.Config, New, Run, then ExitStatus and Report).
package migration
