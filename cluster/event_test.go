package cluster_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/cluster"
)

func openEvent(t *testing.T, c *cluster.Conn, name string) *cluster.Event {
	t.Helper()
	e, err := cluster.OpenEvent(ctxT(t), c, name)
	require.NoError(t, err)
	return e
}

func isSet(t *testing.T, e *cluster.Event) bool {
	t.Helper()
	set, err := e.IsSet()
	require.NoError(t, err)
	return set
}

func TestEventSetWakesEveryWaiterOnEveryConnection(t *testing.T) {
	const waiters = 8
	s := server(t)
	name := fmt.Sprintf("e%d", names.Add(1))
	setter := openEvent(t, conn(t, s), name)
	require.False(t, isSet(t, setter))
	var woke []<-chan error
	for range waiters {
		e := openEvent(t, conn(t, s), name)
		woke = append(woke, goErr(func() error { return e.WaitContext(ctxT(t)) }))
	}
	for _, w := range woke {
		notReady(t, w)
	}
	require.NoError(t, setter.Set())
	require.NoError(t, setter.Clear()) // at once: every waiter still wakes
	for _, w := range woke {
		require.NoError(t, recv(t, w))
	}
	require.False(t, isSet(t, setter))
}

func TestEventClearThenWaitBlocks(t *testing.T) {
	s := server(t)
	name := fmt.Sprintf("e%d", names.Add(1))
	a, b := openEvent(t, conn(t, s), name), openEvent(t, conn(t, s), name)
	require.NoError(t, a.Set())
	require.True(t, isSet(t, b))
	require.NoError(t, b.Wait()) // set: returns at once

	done, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, b.WaitContext(done)) // set: succeeds whatever ctx

	require.NoError(t, b.Clear())
	require.NoError(t, b.Clear()) // clearing a clear event changes nothing
	require.False(t, isSet(t, a))
	require.ErrorIs(t, b.WaitContext(done), context.Canceled)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, b.WaitContext(ctx), context.DeadlineExceeded)

	w := goErr(b.Wait)
	notReady(t, w)
	require.NoError(t, a.Set())
	require.NoError(t, recv(t, w))
}

func TestEventMisuseAndClosedConnection(t *testing.T) {
	s := server(t)
	c := conn(t, s)
	e := openEvent(t, c, fmt.Sprintf("e%d", names.Add(1)))
	require.PanicsWithValue(t, "cluster: nil Context", func() { _ = e.WaitContext(noCtx) })
	_, err := cluster.OpenEvent(ctxT(t), c, "a.b")
	require.ErrorContains(t, err, "invalid event name")
	w := goErr(e.Wait)
	notReady(t, w)
	c.Close()
	require.ErrorIs(t, recv(t, w), cluster.ErrClosed)
	require.ErrorIs(t, e.Set(), cluster.ErrClosed)
}
