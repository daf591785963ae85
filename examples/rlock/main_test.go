package main_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	rlockex "github.com/syncprim/syncprim/examples/rlock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, rlockex.Run(&buf, 10*time.Millisecond))
	out := buf.String()
	want := []string{
		"f calling the public g: context deadline exceeded after 10ms (without a timeout: deadlock)",
		"f via gRaw and hRaw: do_something2, do_something1, do_something2",
		"f: f(depth 1), g(depth 2), h(depth 3), do_something2, do_something1, h(depth 2), do_something2",
		"after f returns: locked false, depth 0",
		// 4 x 200 calls, 7 entries each; never two goroutines inside.
		"4 goroutines x 200 calls of f: 5600 trace entries, at most 1 goroutine inside at once",
		"still held by us: owned true, depth 1",
	}
	for _, line := range want {
		require.Contains(t, strings.Split(out, "\n"), line, out)
	}
	// The panic message is the rlock package's; it starts with the package name.
	require.Contains(t, out, "another goroutine's Unlock panics: rlock: ")
}
