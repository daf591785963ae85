package main_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	pc "github.com/syncprim/syncprim/examples/producer-consumer"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, pc.Run(&buf, 3, 4, 50))
	lines := strings.Split(buf.String(), "\n")
	// Join returns only after the last TaskDone: the count it reports is complete.
	require.Contains(t, lines, "Join returned: 150 of 150 items processed, sum 3825", buf.String())
	require.Contains(t, lines, "4 consumers returned, one sentinel each; queue empty: true")
	require.Contains(t, lines, "Shutdown(false): 150 of 150 items processed, sum 3825; all 4 consumers got ErrShutdown")
	require.Contains(t, buf.String(), "(is ErrShutdown: true)")
}

func TestRunManyRounds(t *testing.T) {
	// Join must never return early, whatever the interleaving.
	for range 50 {
		var buf bytes.Buffer
		require.NoError(t, pc.Run(&buf, 2, 3, 20))
		require.Contains(t, buf.String(), "Join returned: 40 of 40 items processed, sum 420")
	}
}
