package main_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	signals "github.com/syncprim/syncprim/examples/signals"
)

// TestRun sends the signals itself (Patience 0): SIGINT stops every goroutine, then
// SIGTERM forwarded to the process group stops every child.
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, signals.Run(&buf, signals.Config{Workers: 3, Children: 3}))
	out := buf.String()
	lines := strings.Split(out, "\n")

	require.Contains(t, lines, "no signal came: sending interrupt to ourselves", out)
	for i := range 3 {
		require.Contains(t, lines, fmt.Sprintf("worker %d stopped before its next task (ran at least one: true)", i), out)
	}

	require.Contains(t, lines, "no signal came: sending terminated to ourselves", out)
	group := regexp.MustCompile(`(?m)^all children ready in process group (\d+) \(this process is in group (\d+)\)$`).FindStringSubmatch(out)
	require.NotNil(t, group, out)
	require.NotEqual(t, group[1], group[2], "the children have a group of their own")
	require.Contains(t, lines, "received terminated: kill(-"+group[1]+", terminated) forwards it to the whole group", out)
	for i := range 3 {
		ready := regexp.MustCompile(fmt.Sprintf(`(?m)^child %d ready: pid \d+, process group (\d+)$`, i)).FindStringSubmatch(out)
		require.NotNil(t, ready, out)
		require.Equal(t, group[1], ready[1], "child %d is in the shared group", i)
		require.Regexp(t, fmt.Sprintf(`(?m)^child %d: .+, cleaning up$`, i), out)
		require.Contains(t, lines, fmt.Sprintf("child %d exited cleanly", i), out)
	}
}
