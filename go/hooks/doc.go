// Package hooks runs the DBA's hook executables at points of a migration.
//
// For an event E, every executable file in the hooks directory whose name
// starts with "ghost-on-E" or, for gh-ost users, "gh-ost-on-E" runs in name
// order, one after the other, each with a timeout. A hook receives the
// migration's facts as environment variables, each under both the GHOST_ and
// gh-ost's GH_OST_ prefix; the list lives in one table, Env.Vars. Hook output
// goes to the log.
//
// The package must not import other ghost packages and must not decide what a
// failing hook means: Run returns an error naming the hook, and the
// orchestrator decides whether that fails the migration.
package hooks
