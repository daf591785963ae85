package main_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	broadcast "github.com/syncprim/syncprim/examples/broadcast"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEveryConsumerGetsEveryItemInOrder(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, broadcast.Run(&buf, 10))
	require.Equal(t, `== one producer, items 1..10, several consumers
before item 6: unregistered early, registered late
== producer done: closing every consumer (each reports what it got)
inline    got [1 2 3 4 5 6 7 8 9 10] in order: true
channel   got [1 2 3 4 5 6 7 8 9 10] in order: true
queue     got [1 2 3 4 5 6 7 8 9 10] in order: true
early     got [1 2 3 4 5] in order: true
late      got [6 7 8 9 10] in order: true
`, buf.String())
}

func TestManyItems(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, broadcast.Run(&buf, 2000))
	lines := strings.Split(buf.String(), "\n")
	for _, l := range lines[3:8] {
		require.True(t, strings.HasSuffix(l, "in order: true"), l)
	}
	for _, l := range lines[3:6] { // inline, channel and queue got all 2000 items
		inside := l[strings.Index(l, "[")+1 : strings.Index(l, "]")]
		require.Len(t, strings.Fields(inside), 2000, l[:10])
	}
}
