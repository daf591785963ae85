package main_test

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	coprocess "github.com/syncprim/syncprim/examples/coprocess"
)

// TestMain lets the test binary serve as the coprocess: StartChild re-executes
// os.Executable(), which here is this test binary, with the child variable set.
func TestMain(m *testing.M) {
	if os.Getenv(coprocess.ChildEnv) == "1" {
		if err := coprocess.Serve(os.Stdin, &coprocess.Countdown{W: os.Stdout}); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	// A race-enabled child sleeps a second at exit (GORACE atexit_sleep_ms, default 1000);
	// the children started by these tests need not. The parent read GORACE at start-up.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	goleak.VerifyTestMain(m)
}

const countdown5 = "T-minus 5\nT-minus 4\nT-minus 3\nT-minus 2\nT-minus 1\nKaboom!\n"

func TestRunSameOutputThreeWays(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, coprocess.Run(&buf, 5))
	out := buf.String()

	pids := regexp.MustCompile(`(?m)^\(the coprocess was pid (\d+); this process is pid (\d+)\)\n`)
	m := pids.FindStringSubmatch(out)
	parts := regexp.MustCompile(`(?m)^== .*\n`).Split(pids.ReplaceAllString(out, ""), -1)
	require.Len(t, parts, 4, out) // text before the first header, then three sections
	for _, p := range parts[1:] {
		require.Equal(t, countdown5, p, "every consumer received every item in order")
	}
	require.NotNil(t, m, out)
	require.NotEqual(t, m[1], m[2], "the coprocess is another process")
}

func TestChildGetsManyItemsInOrder(t *testing.T) {
	var buf bytes.Buffer
	child, err := coprocess.StartChild(&buf)
	require.NoError(t, err)
	var want strings.Builder
	for n := 1000; n > 0; n-- {
		require.NoError(t, child.Send(n))
		want.WriteString("T-minus " + itoa(n) + "\n")
	}
	require.NoError(t, child.Close())
	want.WriteString("Kaboom!\n")
	require.Equal(t, want.String(), buf.String())
}

func TestGoroutineSendAfterClose(t *testing.T) {
	var buf bytes.Buffer
	g := coprocess.StartGoroutine(&coprocess.Countdown{W: &buf})
	require.NoError(t, g.Send(1))
	require.NoError(t, g.Close())
	require.Error(t, g.Send(2))
	require.Equal(t, "T-minus 1\nKaboom!\n", buf.String())
}

func TestServeStopsAtEOF(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, coprocess.Serve(strings.NewReader(""), &coprocess.Countdown{W: &buf}))
	require.Equal(t, "Kaboom!\n", buf.String())
}

func itoa(n int) string {
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
