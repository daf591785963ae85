package main_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	cpuio "github.com/syncprim/syncprim/examples/cpu-vs-io"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	cfg := cpuio.Config{FibN: 22, Requests: 6, Latency: 5 * time.Millisecond, MaxInFlight: 3}
	r, err := cpuio.Run(&buf, cfg)
	require.NoError(t, err)
	require.Equal(t, 17711, r.Fib)
	require.Contains(t, buf.String(), "sequential:   fib = 17711, 17711 in ")

	// The semaphore is what bounds the concurrent requests; sequential means one at a time.
	require.Equal(t, 1, r.InFlightSequential)
	require.GreaterOrEqual(t, r.InFlightConcurrent, 1)
	require.LessOrEqual(t, r.InFlightConcurrent, 3)

	// Speed-ups depend on the machine and its load: reported, not asserted.
	t.Logf("CPU: sequential %v, 2 goroutines %v; I/O: sequential %v, concurrent %v",
		r.CPUSequential, r.CPUGoroutines, r.IOSequential, r.IOConcurrent)
	t.Log("\n" + buf.String())
}
