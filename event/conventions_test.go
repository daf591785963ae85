package event_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/event"
	"github.com/syncprim/syncprim/internal/testutil"
)

// Convention 10: a nil context panics, even on a set event.
func TestWaitContextNilPanics(t *testing.T) {
	var e event.Event
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "event: nil Context", func() { _ = e.WaitContext(nil) })
	e.Set()
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "event: nil Context", func() { _ = e.WaitContext(nil) })
}

// shared is a package-level Event, as users' tests share one.
var shared event.Event

// contendShared leaves a WaitContext that gave up (its channel must not
// outlive it), then wakes a Wait and a WaitContext with Set, and clears.
func contendShared(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- shared.WaitContext(ctx) }()
	testutil.WaitEqual(t, "waiters", shared.Waiters, 1)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, cancelled, "the cancelled waiter"), context.Canceled)
	require.Zero(t, shared.Waiters())

	woken := make(chan error, 2)
	go func() { shared.Wait(); woken <- nil }()
	go func() { woken <- shared.WaitContext(context.Background()) }()
	testutil.WaitEqual(t, "waiters", shared.Waiters, 2)
	shared.Set()
	require.NoError(t, testutil.Recv(t, woken, "a woken waiter"))
	require.NoError(t, testutil.Recv(t, woken, "a woken waiter"))
	shared.Clear()
}

// Convention 11: an Event waited on in one synctest bubble works outside it
// and in the next bubble, whether its waiters gave up or were woken.
func TestUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
	// A cancelled wait in a bubble, then a plain wait outside.
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		out := make(chan error, 1)
		go func() { out <- shared.WaitContext(ctx) }()
		synctest.Wait()
		cancel()
		require.ErrorIs(t, <-out, context.Canceled)
	})
	contendShared(t)
}
