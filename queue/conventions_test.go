package queue_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

// Convention 10: every call that takes a context panics on a nil one
// before it looks at anything, even on a zero Queue.
func TestNilContextPanics(t *testing.T) {
	q := queue.New[int](1)
	require.NoError(t, q.Put(1))
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "queue: nil Context", func() { _ = q.PutContext(nil, 2) })
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "queue: nil Context", func() { _, _ = q.GetContext(nil) })
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "queue: nil Context", func() { _ = q.JoinContext(nil) })
	require.Equal(t, 1, q.Len())
	var zero queue.Queue[int]
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "queue: nil Context", func() { _, _ = zero.GetContext(nil) })
}

// Convention 1: a Put made after a blocked GetContext's context ended does
// not hand it the item: the item stays first in line (or goes to the next
// getter), for every order.
func TestGetContextCancelledBeforePutFails(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for range 50 {
				synctest.Test(t, func(t *testing.T) {
					q := k.make(0)
					ctx, cancel := context.WithCancel(context.Background())
					first := make(chan error, 1)
					go func() { _, err := q.GetContext(ctx); first <- err }()
					synctest.Wait()
					cancel()
					require.NoError(t, q.Put(7))
					require.ErrorIs(t, <-first, context.Canceled)
					v, err := q.TryGet()
					require.NoError(t, err)
					require.Equal(t, 7, v)
				})
			}
		})
	}
}

// And a blocked PutContext whose context ended before the Get that made
// room does not add its item: the room goes to the next putter.
func TestPutContextCancelledBeforeGetFails(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for range 50 {
				synctest.Test(t, func(t *testing.T) {
					q := k.make(1)
					require.NoError(t, q.Put(1))
					ctx, cancel := context.WithCancel(context.Background())
					first := make(chan error, 1)
					go func() { first <- q.PutContext(ctx, 2) }()
					synctest.Wait()
					second := make(chan error, 1)
					go func() { second <- q.Put(3) }()
					synctest.Wait()
					cancel()
					v, err := q.Get()
					require.NoError(t, err)
					require.Equal(t, 1, v)
					require.ErrorIs(t, <-first, context.Canceled)
					require.NoError(t, <-second)
					v, err = q.TryGet()
					require.NoError(t, err)
					require.Equal(t, 3, v, "the cancelled putter's item was never added")
					require.Equal(t, 2, q.Unfinished())
				})
			}
		})
	}
}

// shared is a package-level Queue, as users' tests share one.
var shared = queue.New[int](1)

func contendShared(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { _, err := shared.GetContext(ctx); cancelled <- err }()
	got := make(chan int, 1)
	go func() { v, _ := shared.Get(); got <- v }()
	testutil.WaitUntil(t, "two parked getters", func() bool { g, _, _ := shared.Waiting(); return g == 2 })
	cancel()
	require.ErrorIs(t, testutil.Recv(t, cancelled, "the cancelled getter"), context.Canceled)
	require.NoError(t, shared.Put(1))
	require.Equal(t, 1, testutil.Recv(t, got, "the getter"))
	// A blocked Put and a Join, released by Get and TaskDone.
	require.NoError(t, shared.Put(2))
	put := make(chan error, 1)
	go func() { put <- shared.Put(3) }()
	joined := make(chan struct{})
	go func() { shared.Join(); close(joined) }()
	testutil.WaitUntil(t, "a parked putter and joiner", func() bool { _, p, j := shared.Waiting(); return p == 1 && j == 1 })
	for range 2 {
		_, err := shared.Get()
		require.NoError(t, err)
	}
	require.NoError(t, testutil.Recv(t, put, "the putter"))
	for range 3 {
		shared.TaskDone()
	}
	testutil.Recv(t, joined, "the joiner")
}

// Convention 11: a Queue used in one synctest bubble works outside it and
// in the next bubble.
func TestUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
}
