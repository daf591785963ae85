package semaphore_test

import (
	"context"
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/semaphore"
)

// Convention 10: a nil context panics before anything is looked at,
// whatever the count.
func TestNilContextPanics(t *testing.T) {
	s := semaphore.New(1)
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "semaphore: nil Context", func() { _ = s.AcquireContext(nil) })
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "semaphore: nil Context", func() { _ = s.AcquireN(nil, 0) })
	require.Equal(t, 1, s.Value())
}

// TestAcquireCanceledBeforeRelease is x/sync's TestWeightedAcquireCanceled
// (golang/go#63615): the context ends before enough permits are released,
// so the Acquire must fail, and every permit must be back afterwards.
func TestAcquireCanceledBeforeRelease(t *testing.T) {
	for range 100 {
		sem := semaphore.New(2)
		ctx, cancel := context.WithCancel(context.Background())
		require.NoError(t, sem.AcquireN(ctx, 1))
		done := make(chan struct{})
		go func() {
			defer close(done)
			// Synchronize with the AcquireN(2) below: TryAcquire fails
			// once it waits.
			for sem.TryAcquire() {
				sem.Release()
				runtime.Gosched()
			}
			cancel()
			sem.Release()
		}()
		require.ErrorIs(t, sem.AcquireN(ctx, 2), context.Canceled)
		<-done
		require.True(t, sem.TryAcquireN(2), "both permits are back")
	}
}

// The same with a waiter behind the cancelled one: the released permits go
// to it, as if the cancelled waiter had never queued.
func TestCancelledHeadIsPassedOver(t *testing.T) {
	for range 100 {
		synctest.Test(t, func(t *testing.T) {
			s := semaphore.New(0)
			ctx, cancel := context.WithCancel(context.Background())
			first := make(chan error, 1)
			go func() { first <- s.AcquireN(ctx, 2) }()
			synctest.Wait()
			second := make(chan struct{})
			go func() { s.Acquire(); close(second) }()
			synctest.Wait()
			cancel()
			s.ReleaseN(2)
			require.ErrorIs(t, <-first, context.Canceled)
			<-second
			require.Equal(t, 1, s.Value(), "one permit went to the second waiter")
		})
	}
}

// shared is a package-level semaphore, as users' tests share one.
var shared = semaphore.New(0)

func contendShared(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- shared.AcquireContext(ctx) }()
	got := make(chan struct{})
	go func() { shared.Acquire(); close(got) }()
	testutil.WaitEqual(t, "parked waiters", shared.Waiters, 2)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, cancelled, "the cancelled waiter"), context.Canceled)
	shared.Release()
	testutil.Recv(t, got, "the waiter")
	require.Zero(t, shared.Value())
}

// Convention 11: a semaphore contended in one synctest bubble works outside
// it and in the next bubble.
func TestUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
}
