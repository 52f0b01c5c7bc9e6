//go:build !race

package topotest

const raceEnabled = false
