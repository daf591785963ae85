//go:build !race

package main_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	race "github.com/syncprim/syncprim/examples/race"
)

const raceEnabled = false

// TestRun runs the whole program in-process, racy half included, so it exists only in
// builds without the race detector (under -race, TestRacyHalf covers that half).
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, race.Run(&buf, 10_000))
	require.Contains(t, buf.String(), "locked: x = 0 after 10000 increments")
}
