//go:build race

package pool_test

// raceEnabled: the race detector limits live goroutines to 8128.
const raceEnabled = true
