package cluster_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/cluster"
)

func openSem(t *testing.T, c *cluster.Conn, name string, n int) *cluster.Semaphore {
	t.Helper()
	s, err := cluster.OpenSemaphore(ctxT(t), c, name, n, ttl)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func TestSemaphoreNeverMoreThanN(t *testing.T) {
	const permits, handles, rounds = 3, 6, 10
	srv := server(t)
	name := fmt.Sprintf("s%d", names.Add(1))
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range handles {
		s := openSem(t, conn(t, srv), name, permits)
		wg.Go(func() {
			for range rounds {
				if !assertNoError(t, s.AcquireContext(ctxT(t))) {
					return
				}
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Millisecond) // hold it a moment, so that holders overlap
				inside.Add(-1)
				assertNoError(t, s.Release())
			}
		})
	}
	wg.Wait()
	t.Logf("at most %d holders of %d permits", most.Load(), permits)
	require.LessOrEqual(t, most.Load(), int32(permits))

	// The bound is reachable (so the check above proves something): n
	// handles hold a permit each at once, and one more cannot get one.
	var held []*cluster.Semaphore
	for range permits {
		s := openSem(t, conn(t, srv), name, permits)
		require.NoError(t, s.AcquireContext(ctxT(t)))
		held = append(held, s)
	}
	ok, err := openSem(t, conn(t, srv), name, permits).TryAcquire()
	require.NoError(t, err)
	require.False(t, ok, "a permit beyond the bound")
	for _, s := range held {
		require.NoError(t, s.Release())
	}
}

func TestSemaphoreTryAcquireAndRelease(t *testing.T) {
	srv := server(t)
	name := fmt.Sprintf("s%d", names.Add(1))
	a, b := openSem(t, conn(t, srv), name, 2), openSem(t, conn(t, srv), name, 2)
	require.NoError(t, a.Acquire())
	require.NoError(t, a.Acquire())
	require.Equal(t, 2, a.Held())
	ok, err := b.TryAcquire()
	require.NoError(t, err)
	require.False(t, ok)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, b.AcquireContext(ctx), context.DeadlineExceeded)
	done := goErr(func() error { return b.AcquireContext(ctxT(t)) })
	notReady(t, done)
	require.NoError(t, a.Release())
	require.NoError(t, recv(t, done))
	require.Equal(t, 1, b.Held())
	require.NoError(t, a.Release())
	require.NoError(t, b.Release())
	require.PanicsWithValue(t, "cluster: semaphore released more than held", func() { _ = b.Release() })
	require.PanicsWithValue(t, "cluster: nil Context", func() { _ = b.AcquireContext(noCtx) })

	_, err = cluster.OpenSemaphore(ctxT(t), conn(t, srv), name, 3, ttl)
	require.ErrorContains(t, err, "has 2 permits, not 3")
	_, err = cluster.OpenSemaphore(ctxT(t), conn(t, srv), "zero", 0, ttl)
	require.ErrorContains(t, err, "must be from 1")
	_, err = cluster.OpenSemaphore(ctxT(t), conn(t, srv), "ttl", 1, time.Millisecond)
	require.ErrorContains(t, err, "whole number of seconds")
	_, err = cluster.OpenSemaphore(ctxT(t), conn(t, srv), "a.b", 1, ttl)
	require.ErrorContains(t, err, "invalid semaphore name")
}

func TestSemaphoreCrashedHoldersPermitReturns(t *testing.T) {
	srv := server(t)
	name := fmt.Sprintf("s%d", names.Add(1))
	dying := conn(t, srv)
	crashed := openSem(t, dying, name, 1)
	require.NoError(t, crashed.Acquire())
	other := openSem(t, conn(t, srv), name, 1)
	done := goErr(func() error { return other.AcquireContext(ctxT(t)) })
	notReady(t, done)
	start := time.Now()
	dying.Close()
	require.NoError(t, recv(t, done))
	t.Logf("permit back %v after its holder died", time.Since(start))
	require.Less(t, time.Since(start), ttl+4*time.Second) // generous for a loaded CI machine
	require.ErrorIs(t, crashed.Release(), cluster.ErrLeaseLost)
	require.NoError(t, other.Release())
}
