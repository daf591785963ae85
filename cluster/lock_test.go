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
	"github.com/syncprim/syncprim/cluster/embedded"
)

// ttl is the lease of the tests: the shortest the server keeps.
const ttl = time.Second

func openLock(t *testing.T, c *cluster.Conn, name string) *cluster.Lock {
	t.Helper()
	l, err := cluster.OpenLock(ctxT(t), c, name, ttl)
	require.NoError(t, err)
	t.Cleanup(l.Close)
	return l
}

// noCtx is the nil context that misuse tests pass.
var noCtx context.Context

func lockName() string { return fmt.Sprintf("l%d", names.Add(1)) }

func TestLockExcludesAcrossConnections(t *testing.T) {
	const handles, rounds = 4, 25
	s := server(t)
	name := lockName()
	var inside atomic.Int32
	counter := 0
	var wg sync.WaitGroup
	for range handles {
		l := openLock(t, conn(t, s), name)
		wg.Go(func() {
			for range rounds {
				if !assertNoError(t, l.LockContext(ctxT(t))) {
					return
				}
				if n := inside.Add(1); n != 1 {
					t.Errorf("%d holders at once", n)
				}
				counter++ // the race detector sees two holders too
				inside.Add(-1)
				assertNoError(t, l.Unlock())
			}
		})
	}
	wg.Wait()
	require.Equal(t, handles*rounds, counter)
}

func TestLockFencingTokensStrictlyIncrease(t *testing.T) {
	const handles, total = 4, 1000
	s := server(t)
	name := lockName()
	var mu sync.Mutex
	var tokens []uint64
	var wg sync.WaitGroup
	start := time.Now()
	for range handles {
		l := openLock(t, conn(t, s), name)
		wg.Go(func() {
			for range total / handles {
				if !assertNoError(t, l.LockContext(ctxT(t))) {
					return
				}
				mu.Lock() // in acquisition order: the lock is held
				tokens = append(tokens, l.Token())
				mu.Unlock()
				assertNoError(t, l.Unlock())
			}
		})
	}
	wg.Wait()
	t.Logf("%d acquisitions by %d handles in %v", total, handles, time.Since(start))
	require.Len(t, tokens, total)
	for i := 1; i < len(tokens); i++ {
		require.Greater(t, tokens[i], tokens[i-1], "acquisition %d", i)
	}
}

func TestLockTryLockAndContext(t *testing.T) {
	s := server(t)
	name := lockName()
	a, b := openLock(t, conn(t, s), name), openLock(t, conn(t, s), name)
	ok, err := a.TryLock()
	require.NoError(t, err)
	require.True(t, ok)
	require.NotZero(t, a.Token())
	ok, err = a.TryLock() // the handle itself is held
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = b.TryLock()
	require.NoError(t, err)
	require.False(t, ok)
	require.Zero(t, b.Token())

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, b.LockContext(ctx), context.DeadlineExceeded)

	done := goErr(func() error { return b.LockContext(ctxT(t)) })
	notReady(t, done)
	first := a.Token()
	require.NoError(t, a.Unlock())
	require.NoError(t, recv(t, done))
	require.Greater(t, b.Token(), first)
	require.NoError(t, b.Unlock())

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, a.LockContext(cancelled), context.Canceled) // even when free
	ok, err = a.TryLock()
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, a.Unlock())
}

func TestLockMisuse(t *testing.T) {
	c := conn(t, server(t))
	l := openLock(t, c, lockName())
	require.PanicsWithValue(t, "cluster: unlock of unlocked Lock", func() { _ = l.Unlock() })
	require.PanicsWithValue(t, "cluster: nil Context", func() { _ = l.LockContext(noCtx) })
	require.PanicsWithValue(t, "cluster: nil Context", func() { _, _ = cluster.OpenLock(noCtx, c, "x", ttl) })
	for _, bad := range []time.Duration{0, -time.Second, 500 * time.Millisecond, 1500 * time.Millisecond} {
		_, err := cluster.OpenLock(ctxT(t), c, "x", bad)
		require.ErrorContains(t, err, "whole number of seconds", bad)
	}
	for _, bad := range []string{"", "a.b", "a b", "a*", "a>"} {
		_, err := cluster.OpenLock(ctxT(t), c, bad, ttl)
		require.ErrorContains(t, err, "invalid lock name", bad)
	}
	select {
	case <-l.Lost():
	default:
		t.Fatal("Lost of an unheld lock must be closed")
	}
}

func TestLockHolderConnectionDiesLeaseExpires(t *testing.T) {
	s := server(t)
	name := lockName()
	dying := conn(t, s)
	holder := openLock(t, dying, name)
	require.NoError(t, holder.Lock())
	lost := holder.Lost()
	other := openLock(t, conn(t, s), name)
	done := goErr(func() error { return other.LockContext(ctxT(t)) })
	notReady(t, done)
	start := time.Now()
	dying.Close() // the holder's process is gone
	recv(t, lost)
	require.NoError(t, recv(t, done))
	waited := time.Since(start)
	t.Logf("taken over %v after the holder died", waited)
	require.Less(t, waited, ttl+4*time.Second) // the server's expiry runs each second; generous for a loaded CI machine
	require.Greater(t, other.Token(), holder.Token())
	require.ErrorIs(t, holder.Unlock(), cluster.ErrLeaseLost)
	require.NoError(t, other.Unlock())
}

func TestLockPausedHolderLearnsFirst(t *testing.T) {
	s := server(t)
	name := lockName()
	holder := openLock(t, conn(t, s), name)
	require.NoError(t, holder.Lock())
	lost := holder.Lost()
	cluster.PauseRefresh(holder, true)
	other := openLock(t, conn(t, s), name)
	var lostAt time.Time
	taken := make(chan time.Time, 1)
	go func() {
		if assertNoError(t, other.LockContext(ctxT(t))) {
			taken <- time.Now()
		}
	}()
	select {
	case <-lost:
		lostAt = time.Now()
	case at := <-taken:
		t.Fatalf("taken over at %v before the holder learnt of its loss", at)
	case <-time.After(guard):
		t.Fatal("lease never lost")
	}
	takenAt := recv(t, taken)
	t.Logf("lost, then taken over %v later", takenAt.Sub(lostAt))
	require.True(t, takenAt.After(lostAt))
	require.ErrorIs(t, holder.Unlock(), cluster.ErrLeaseLost)
	require.NoError(t, other.Unlock())
}

func TestLockRefreshKeepsLeaseBeyondTTL(t *testing.T) {
	s := server(t)
	name := lockName()
	holder := openLock(t, conn(t, s), name)
	require.NoError(t, holder.Lock())
	other := openLock(t, conn(t, s), name)
	ctx, cancel := context.WithTimeout(context.Background(), 3*ttl)
	defer cancel()
	require.ErrorIs(t, other.LockContext(ctx), context.DeadlineExceeded)
	select {
	case <-holder.Lost():
		t.Fatal("a refreshed lease was lost")
	default:
	}
	require.NoError(t, holder.Unlock())
}

func TestLockServerRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	start := func() *embedded.Server {
		s, err := embedded.Start(embedded.Dir(dir))
		require.NoError(t, err)
		return s
	}
	s := start()
	c, err := s.Connect()
	require.NoError(t, err)
	l, err := cluster.OpenLock(ctxT(t), c, "restart", 60*time.Second)
	require.NoError(t, err)
	require.NoError(t, l.Lock())
	before := l.Token()
	c.Close() // its holder goes with the server, without Unlock
	s.Shutdown()

	s = start()
	defer s.Shutdown()
	l2, err := cluster.OpenLock(ctxT(t), conn(t, s), "restart", 60*time.Second)
	require.NoError(t, err)
	ok, err := l2.TryLock()
	require.NoError(t, err)
	require.False(t, ok, "the lease outlived the restart; it is still held")
	l3 := openLock(t, conn(t, s), "restart-other")
	require.NoError(t, l3.Lock())
	require.Greater(t, l3.Token(), before, "tokens keep growing across a restart")
	require.NoError(t, l3.Unlock())
}
