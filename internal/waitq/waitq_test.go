package waitq_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/internal/waitq"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// owner is a minimal list owner: a mutex, a list of int payloads, and a
// record of the payloads of waiters that left on their own.
type owner struct {
	mu   sync.Mutex
	l    waitq.List[int]
	left []int
}

func (o *owner) undo(v int) { o.left = append(o.left, v) }

// wait runs Wait in a goroutine and returns a channel with its outcome.
func (o *owner) wait(ctx context.Context, v int, front bool) <-chan error {
	out := make(chan error, 1)
	go func() {
		o.mu.Lock()
		var err error
		if front {
			_, err = o.l.WaitFront(ctx, &o.mu, v, o.undo)
		} else {
			_, err = o.l.Wait(ctx, &o.mu, v, o.undo)
		}
		out <- err
	}()
	return out
}

func (o *owner) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.l.Len()
}

func TestFIFOOrderTakeAndFront(t *testing.T) {
	o := &owner{}
	var outs []<-chan error
	for i := range 4 {
		outs = append(outs, o.wait(context.Background(), i, false))
		testutil.WaitEqual(t, "queued waiters", o.len, i+1)
	}
	outs = append(outs, o.wait(context.Background(), -1, true))
	testutil.WaitEqual(t, "queued waiters", o.len, 5)

	o.mu.Lock()
	front := o.l.Front()
	require.Equal(t, -1, front.Val)
	o.l.Take(front)
	front.Wake()
	require.PanicsWithValue(t, "waitq: Take of a waiter that is not queued", func() { o.l.Take(front) })
	var got []int
	for w := o.l.PopFront(); w != nil; w = o.l.PopFront() {
		got = append(got, w.Val)
		w.Wake()
	}
	require.Equal(t, []int{0, 1, 2, 3}, got)
	require.Zero(t, o.l.Len())
	require.Nil(t, o.l.PopFront())
	o.mu.Unlock()
	for _, out := range outs {
		require.NoError(t, testutil.Recv(t, out, "Wait's result"))
	}
	require.Empty(t, o.left)
}

func TestWakeOfQueuedWaiterPanics(t *testing.T) {
	o := &owner{}
	ctx, cancel := context.WithCancel(context.Background())
	out := o.wait(ctx, 7, false)
	testutil.WaitEqual(t, "queued waiters", o.len, 1)
	o.mu.Lock()
	require.PanicsWithValue(t, "waitq: Wake of a queued waiter", func() { o.l.Front().Wake() })
	o.mu.Unlock()
	cancel()
	require.ErrorIs(t, testutil.Recv(t, out, "Wait's result"), context.Canceled)
}

func TestWaitReturnsWhatTheWakerHandsOver(t *testing.T) {
	var mu sync.Mutex
	var l waitq.List[string]
	go func() {
		for {
			mu.Lock()
			if w := l.PopFront(); w != nil {
				w.Val += " and handed back"
				w.Wake()
				mu.Unlock()
				return
			}
			mu.Unlock()
		}
	}()
	mu.Lock()
	got, err := l.Wait(context.Background(), &mu, "asked", nil)
	require.NoError(t, err)
	require.Equal(t, "asked and handed back", got)
	require.True(t, mu.TryLock(), "Wait returns without the mutex")
	mu.Unlock()
}

func TestCancelWhileQueuedCallsLeft(t *testing.T) {
	o := &owner{}
	ctx, cancel := context.WithCancel(context.Background())
	out := o.wait(ctx, 3, false)
	testutil.WaitEqual(t, "queued waiters", o.len, 1)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, out, "Wait's result"), context.Canceled)
	require.Zero(t, o.len())
	require.Equal(t, []int{3}, o.left)
}

// TestCancelledBeforeGrantIsPassedOver is the cancel-first rule: a context
// ends, then a grant is made before its waiter runs; the grant must go to
// the next waiter, and the cancelled one must fail.
func TestCancelledBeforeGrantIsPassedOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := &owner{}
		ctx, cancel := context.WithCancel(context.Background())
		first := o.wait(ctx, 1, false)
		synctest.Wait()
		second := o.wait(context.Background(), 2, false)
		synctest.Wait()
		o.mu.Lock() // the first waiter cannot leave on its own before we grant
		cancel()
		w := o.l.PopFront()
		require.Equal(t, 2, w.Val, "the grant goes past the cancelled waiter")
		w.Wake()
		require.Zero(t, o.l.Len())
		o.mu.Unlock()
		require.ErrorIs(t, <-first, context.Canceled)
		require.NoError(t, <-second)
		require.Empty(t, o.left, "a dropped waiter needs no repair of its own")
	})
}

// TestGrantBeforeCancelWins: a waiter granted before its context ends keeps
// the grant.
func TestGrantBeforeCancelWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := &owner{}
		ctx, cancel := context.WithCancel(context.Background())
		out := o.wait(ctx, 1, false)
		synctest.Wait()
		o.mu.Lock()
		o.l.PopFront().Wake()
		cancel()
		o.mu.Unlock()
		require.NoError(t, <-out)
	})
}

// TestCancelRacingGrantLosesNothing races a cancellation with a grant many
// times: every grant is kept by a Wait that returned nil, and every Wait
// that failed either left on its own (left called) or was passed over.
func TestCancelRacingGrantLosesNothing(t *testing.T) {
	o := &owner{}
	granted, kept, failed := 0, 0, 0
	for range 5000 {
		ctx, cancel := context.WithCancel(context.Background())
		out := o.wait(ctx, 1, false)
		testutil.WaitEqual(t, "queued waiters", o.len, 1)
		go cancel()
		o.mu.Lock()
		if w := o.l.PopFront(); w != nil {
			granted++
			w.Wake()
		}
		o.mu.Unlock()
		if <-out == nil {
			kept++
		} else {
			failed++
		}
		cancel()
	}
	require.Equal(t, granted, kept)
	require.Equal(t, 5000, kept+failed)
	require.LessOrEqual(t, len(o.left), failed)
}

// shared is a list used by several synctest bubbles in turn and outside
// them, as a package-level primitive in a user's tests would be.
var shared owner

func contendShared(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := shared.wait(context.Background(), 1, false)
	b := shared.wait(ctx, 2, false)
	testutil.WaitEqual(t, "queued waiters", shared.len, 2)
	cancel()
	require.ErrorIs(t, <-b, context.Canceled)
	shared.mu.Lock()
	shared.l.PopFront().Wake()
	shared.mu.Unlock()
	require.NoError(t, <-a)
}

func TestUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
}

func BenchmarkWaitWake(b *testing.B) {
	var mu sync.Mutex
	var l waitq.List[int]
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			if w := l.PopFront(); w != nil {
				w.Wake()
			}
			mu.Unlock()
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		mu.Lock()
		_, _ = l.Wait(context.Background(), &mu, 1, nil)
	}
	close(stop)
}
