package cluster_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// guard is a generous bound that only a broken test reaches.
const guard = 20 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// server starts an in-memory embedded server for one test.
func server(t *testing.T) *embedded.Server {
	t.Helper()
	s, err := embedded.Start()
	require.NoError(t, err)
	t.Cleanup(s.Shutdown)
	return s
}

// conn opens a connection to s, closed with the test (before the server).
func conn(t *testing.T, s *embedded.Server) *cluster.Conn {
	t.Helper()
	c, err := s.Connect()
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

var names atomic.Int64

// open opens a fresh queue of ints on c, closed with the test.
func open(t *testing.T, c *cluster.Conn, opts ...cluster.Option) *cluster.Queue[int] {
	t.Helper()
	return openName[int](t, c, fmt.Sprintf("q%d", names.Add(1)), opts...)
}

func openName[T any](t *testing.T, c *cluster.Conn, name string, opts ...cluster.Option) *cluster.Queue[T] {
	t.Helper()
	q, err := cluster.Open[T](ctxT(t), c, name, opts...)
	require.NoError(t, err)
	t.Cleanup(q.Close)
	return q
}

// recv returns what ch delivers, failing the test after guard.
func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		t.Fatal("nothing received")
		panic("unreachable")
	}
}

// notReady checks that ch delivers nothing for a short while: the blocked
// call it stands for is still blocked.
func notReady[T any](t *testing.T, ch <-chan T) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("call returned early: %v", v)
	case <-time.After(100 * time.Millisecond):
	}
}

type got struct {
	d   *cluster.Delivery[int]
	err error
}

func goGet(q *cluster.Queue[int]) <-chan got {
	ch := make(chan got, 1)
	go func() {
		d, err := q.Get()
		ch <- got{d, err}
	}()
	return ch
}

func goErr(f func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

func unfinished[T any](t *testing.T, q *cluster.Queue[T]) int {
	t.Helper()
	n, err := q.Unfinished()
	require.NoError(t, err)
	return n
}
