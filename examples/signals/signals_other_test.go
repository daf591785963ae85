//go:build !linux

package main_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	signals "github.com/syncprim/syncprim/examples/signals"
)

func TestRunSkipsOffLinux(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, signals.Run(&buf, signals.Config{}))
	require.Contains(t, buf.String(), "this example needs Linux process groups")
}
