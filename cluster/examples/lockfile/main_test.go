//go:build unix

package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as the worker processes that Run
// starts by running its own executable again.
func TestMain(m *testing.M) {
	if os.Getenv(envWorker) != "" {
		if err := Worker(); err != nil {
			os.Stderr.WriteString("worker: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func TestRunRefusesTheStoppedWorkersStaleWrite(t *testing.T) {
	var out bytes.Buffer
	err := Run(3, 3, &out)
	t.Log("\n" + out.String())
	require.NoError(t, err)
	require.Contains(t, out.String(), "stopped worker 1")
	require.Contains(t, out.String(), "refused: stale fencing token")
}
