package waitq_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/waitq"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFIFOOrderAndRemove(t *testing.T) {
	var l waitq.List[int]
	ws := make([]*waitq.Waiter[int], 5)
	for i := range ws {
		ws[i] = l.Get()
		ws[i].N = i
		l.PushBack(ws[i])
	}
	require.Equal(t, 5, l.Len())
	require.True(t, l.Remove(ws[2]))
	require.False(t, l.Remove(ws[2]))
	front := l.Get()
	front.N = -1
	l.PushFront(front)
	var got []int
	for w := l.Front(); w != nil; w = w.Next() {
		got = append(got, w.N)
	}
	require.Equal(t, []int{-1, 0, 1, 3, 4}, got)
	for _, want := range got {
		w := l.PopFront()
		require.Equal(t, want, w.N)
		require.False(t, w.Queued())
	}
	require.Nil(t, l.PopFront())
	require.Zero(t, l.Len())
}

func TestMisusePanics(t *testing.T) {
	var l waitq.List[int]
	w := l.Get()
	l.PushBack(w)
	require.PanicsWithValue(t, "waitq: waiter queued twice", func() { l.PushBack(w) })
	require.PanicsWithValue(t, "waitq: Wake of a queued waiter", func() { w.Wake() })
	require.PanicsWithValue(t, "waitq: Put of a queued waiter", func() { l.Put(w) })
}

func TestParkReturnsTrueOnWake(t *testing.T) {
	var mu sync.Mutex
	var l waitq.List[string]
	w := l.Get()
	mu.Lock()
	l.PushBack(w)
	mu.Unlock()
	go func() {
		mu.Lock()
		x := l.PopFront()
		x.Val = "handed"
		x.Wake()
		mu.Unlock()
	}()
	require.True(t, l.Park(context.Background(), &mu, w))
	require.Equal(t, "handed", w.Val)
	l.Put(w)
}

func TestParkCancelledReturnsFalseWithLockHeld(t *testing.T) {
	var mu sync.Mutex
	var l waitq.List[int]
	w := l.Get()
	mu.Lock()
	l.PushBack(w)
	mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.False(t, l.Park(ctx, &mu, w))
	require.False(t, mu.TryLock(), "Park must return with the mutex held")
	require.Zero(t, l.Len())
	mu.Unlock()
	l.Put(w)
}

// TestCancelRacingWakeLosesNothing races a cancellation with a grant many
// times and checks that every grant is observed by exactly one side: either
// Park returned true, or the granter found nobody to grant.
func TestCancelRacingWakeLosesNothing(t *testing.T) {
	var mu sync.Mutex
	var l waitq.List[int]
	granted, parkedTrue := 0, 0
	for range 5000 {
		w := l.Get()
		mu.Lock()
		l.PushBack(w)
		mu.Unlock()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			mu.Lock()
			if x := l.PopFront(); x != nil {
				granted++
				x.Wake()
			}
			mu.Unlock()
		}()
		go cancel()
		if l.Park(ctx, &mu, w) {
			parkedTrue++
		} else {
			mu.Unlock()
		}
		<-done
		cancel()
		l.Put(w)
	}
	require.Equal(t, granted, parkedTrue)
}

func TestReusedWaiterHasNoStaleToken(t *testing.T) {
	var mu sync.Mutex
	var l waitq.List[int]
	for range 100 {
		w := l.Get()
		mu.Lock()
		l.PushBack(w)
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), time.Microsecond)
		if !l.Park(ctx, &mu, w) {
			mu.Unlock()
		}
		cancel()
		l.Put(w)
	}
	w := l.Get()
	select {
	case <-waitReady(&l, &mu, w):
		t.Fatal("a reused waiter was woken without a grant")
	default:
	}
}

// waitReady parks w with an already-cancelled context; the channel is closed
// only if Park reported a grant.
func waitReady(l *waitq.List[int], mu *sync.Mutex, w *waitq.Waiter[int]) <-chan struct{} {
	ch := make(chan struct{})
	mu.Lock()
	l.PushBack(w)
	mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if l.Park(ctx, mu, w) {
		close(ch)
	} else {
		mu.Unlock()
	}
	return ch
}
