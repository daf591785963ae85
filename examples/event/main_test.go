package main_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	eventex "github.com/syncprim/syncprim/examples/event"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, eventex.Run(&buf, 3, 5*time.Millisecond))
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		"3 workers are ready to wait; start is set: false",
		"start.Set(): start is set: true",
		"after Clear, start is set: false; WaitContext with a 5ms timeout: context deadline exceeded",
	}
	for i := range 3 {
		// Every worker saw the config written before Set: Set happens before Wait returns.
		want = append(want,
			fmt.Sprintf("worker %d started with config \"fast mode\"", i),
			fmt.Sprintf("worker %d stopped (did at least one unit: true)", i))
	}
	for _, line := range want {
		require.Contains(t, lines, line, buf.String())
	}
}
