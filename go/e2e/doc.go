// Package e2e runs the end-to-end cases of localtests/ against a local primary + replica.
//
// The package's code is the case format (case.go) and the runner (local_test.go): TestMain
// builds the ghost binary once and starts one topology; TestLocal runs every case folder as a
// parallel subtest in its own database, drives writes to the table and to an identical twin
// while ghost migrates the table through the replica, then compares the migrated table with
// the twin altered natively by the server. docs/localtests.md describes the format.
//
// It must not be imported by anything: it is test support only.
package e2e
