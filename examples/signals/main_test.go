package main_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"

	signals "github.com/syncprim/syncprim/examples/signals"
)

// TestMain lets the test binary serve as the child processes: the example re-executes
// os.Executable(), which here is this test binary, with the child variable set.
func TestMain(m *testing.M) {
	if n := os.Getenv(signals.ChildEnv); n != "" {
		i, _ := strconv.Atoi(n)
		os.Exit(signals.ChildMain(os.Stdout, i))
	}
	// A race-enabled child sleeps a second at exit (GORACE atexit_sleep_ms, default 1000);
	// the children started by these tests need not. The parent read GORACE at start-up.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	goleak.VerifyTestMain(m)
}
