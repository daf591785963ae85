package main_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	poolex "github.com/syncprim/syncprim/examples/pool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	cfg := poolex.Config{Workers: 2, Chunks: 20, ChunkSize: 5000, Refresh: time.Millisecond}
	require.NoError(t, poolex.Run(&buf, cfg))
	out := buf.String()
	// π(100000) = 9592 and π(5000) = 669, π(10000) = 1229: the chunks come back in order.
	require.Contains(t, out, "map: 9592 primes in ")
	require.Contains(t, out, "results in input order, first ones [669 560 ")
	require.Contains(t, out, "stream: 9592 primes from 20 results; every chunk exactly once: true")
	require.Contains(t, out, "\rcompleted:  20/20 futures\n")
	require.Contains(t, out, "as_completed: 9592 primes from 20 futures; workers after Resize(1): 1\n")
	require.Contains(t, out, "map returned: chunk is corrupt")
	require.Contains(t, out, "after Close and Wait: 0 workers left; 80 tasks: ")
	require.Contains(t, out, "every task accounted for: true")

	// The last redraw of each progress line shows every task done.
	require.Contains(t, out, "\rmap:  20/20 tasks done | running 0 | queued   0 | workers ")
	lines := strings.Split(out, "\n")
	var stream string
	for _, l := range lines {
		if strings.HasPrefix(l, "\rstream:") {
			stream = l
		}
	}
	draws := strings.Split(stream, "\r")
	require.Len(t, draws, 21, "one redraw per result")
	for i, d := range draws[1:] {
		require.True(t, strings.HasPrefix(d, fmt.Sprintf("stream: %3d/20 results received", i+1)), d)
	}
}
