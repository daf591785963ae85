package main

import (
	"bytes"
	"os"
	"testing"
	"time"

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

func TestRunRedoesTheKilledWorkersJob(t *testing.T) {
	var out bytes.Buffer
	err := Run(Config{Jobs: 8, Workers: 3, Work: 100 * time.Millisecond, RedeliverAfter: 500 * time.Millisecond}, &out)
	t.Log("\n" + out.String())
	require.NoError(t, err)
	require.Contains(t, out.String(), "killed worker 1")
	require.Contains(t, out.String(), "<- redone after worker 1 died")
	require.Contains(t, out.String(), "every job done exactly once (8 jobs")
}
