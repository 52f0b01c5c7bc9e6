// Package archtest holds a test that keeps ghost's import graph pointing one way:
// leaf packages import nothing internal, only commands import the orchestrator, and
// only the CLI and the orchestrator see the whole configuration.
package archtest
