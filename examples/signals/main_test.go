package main_test

import (
	"os"
	"strconv"
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
	goleak.VerifyTestMain(m)
}
