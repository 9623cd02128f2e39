//go:build race

package store

// raceEnabled: the race detector changes what the runtime allocates, so
// tests that count allocations skip.
const raceEnabled = true
