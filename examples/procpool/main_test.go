package main_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/procpool"

	procpoolex "github.com/syncprim/syncprim/examples/procpool"
)

// TestMain lets the test binary serve as the example's worker processes.
func TestMain(m *testing.M) {
	procpool.Main()
	goleak.VerifyTestMain(m)
}

func TestRunKeepsServing(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, procpoolex.Run(&buf, procpoolex.Config{Workers: 2, Deadline: time.Second}))
	out := buf.String()
	for _, want := range []string{
		"job  1 sum      ok: 385\n",
		"job  2 panic    panicked in its worker, recovered there: runtime error: index out of range [0] with length 0\n",
		"job  3 sum      ok: 338350\n",
		"job  4 fatal    took its worker down (exit status 2): fatal error: concurrent map writes\n",
		"job  5 sum      ok: 333833500\n",
		"job  6 runaway  ran past its deadline: its worker was killed\n",
		"job  7 exit     took its worker down (exit status 3)\n",
		"job  8 sum      ok: 2870\n",
		"job  9 panic    panicked in its worker, recovered there: runtime error: index out of range [0] with length 0\n",
		"job 10 sum      ok: 9455\n",
		"served 10 jobs: 5 ok, 3 failed, 2 panicked; 3 worker processes replaced\n",
		"after Close and Wait: 0 worker processes left\n",
	} {
		require.Contains(t, out, want, out)
	}
}
