package main_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	countdown "github.com/syncprim/syncprim/examples/countdown"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunJoinsBothCountdowns(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, countdown.Run(&buf, time.Millisecond))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")

	// Each countdown prints its numbers in order; both finish before the join line.
	joined := slices.Index(lines, "joined t1 and t2: alive false false")
	require.Positive(t, joined, buf.String())
	for name, from := range map[string]int{"t1": 5, "t2": 3} {
		var got []string
		for _, l := range lines[:joined] {
			if strings.HasPrefix(l, name+": ") {
				got = append(got, l)
			}
		}
		var want []string
		for n := from; n > 0; n-- {
			want = append(want, fmt.Sprintf("%s: counting down %d", name, n))
		}
		require.Equal(t, want, got)
	}
	require.Contains(t, lines, "heartbeat alive before cancel: true")
	require.Contains(t, lines, "heartbeat alive after cancel and join: false")
}

func TestThreadHandle(t *testing.T) {
	release := make(chan struct{})
	th := countdown.Start("worker", func() { <-release })
	require.True(t, th.IsAlive())
	close(release)
	th.Join()
	require.False(t, th.IsAlive())
}
