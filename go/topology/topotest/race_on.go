//go:build race

package topotest

// raceEnabled: the test binary runs under the race detector, so the ghost it builds does too.
const raceEnabled = true
