package cluster_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/cluster"
)

func TestFIFOForOneConsumer(t *testing.T) {
	q := open(t, conn(t, server(t)))
	for i := range 20 {
		require.NoError(t, q.Put(i))
	}
	require.Eventually(t, func() bool { n, err := q.Len(); return err == nil && n == 20 }, guard, time.Millisecond)
	for i := range 20 {
		d, err := q.Get()
		require.NoError(t, err)
		require.Equal(t, i, d.Value)
		require.Equal(t, 1, d.Attempt())
		require.NoError(t, d.TaskDone())
	}
	_, err := q.TryGet()
	require.ErrorIs(t, err, cluster.ErrEmpty)
	require.NoError(t, q.Join())
}

func TestBoundedPutTryPut(t *testing.T) {
	q := open(t, conn(t, server(t)), cluster.MaxSize(2))
	require.NoError(t, q.TryPut(1))
	require.NoError(t, q.Put(2))
	require.ErrorIs(t, q.TryPut(3), cluster.ErrFull)
	require.Equal(t, 2, unfinished(t, q)) // the refused item was not added

	put := goErr(func() error { return q.Put(3) })
	notReady(t, put)
	d, err := q.Get()
	require.NoError(t, err)
	notReady(t, put) // the bound counts items held by workers too
	require.NoError(t, d.TaskDone())
	require.NoError(t, recv(t, put))
	require.Equal(t, 2, unfinished(t, q))
	for _, want := range []int{2, 3} {
		d, err := q.Get()
		require.NoError(t, err)
		require.Equal(t, want, d.Value)
		require.NoError(t, d.TaskDone())
	}
}

func TestTaskDoneJoinCounts(t *testing.T) {
	q := open(t, conn(t, server(t)))
	require.NoError(t, q.Join()) // nothing unfinished
	for i := range 3 {
		require.NoError(t, q.Put(i))
	}
	join := goErr(q.Join)
	var ds []*cluster.Delivery[int]
	for range 3 {
		d, err := q.Get()
		require.NoError(t, err)
		ds = append(ds, d)
	}
	require.Equal(t, 3, unfinished(t, q))
	require.NoError(t, ds[0].TaskDone())
	require.NoError(t, ds[1].Drop("not wanted")) // counts as done
	require.NoError(t, ds[2].Retry(0))           // back in the queue, unfinished
	notReady(t, join)
	require.Equal(t, 1, unfinished(t, q))
	require.PanicsWithValue(t, "cluster: delivery settled twice (TaskDone, Retry or Drop)", func() { _ = ds[0].TaskDone() })

	d, err := q.Get()
	require.NoError(t, err)
	require.Equal(t, 2, d.Value)
	require.Equal(t, 2, d.Attempt())
	notReady(t, join)
	require.NoError(t, d.TaskDone())
	require.NoError(t, recv(t, join))
	require.Equal(t, 0, unfinished(t, q))
}

func TestShutdownGraceful(t *testing.T) {
	s := server(t)
	q := open(t, conn(t, s))
	other := openName[int](t, conn(t, s), q.Name()) // another process

	blocked := goGet(open(t, conn(t, s)))
	_ = blocked // a Get on another queue stays blocked: unrelated
	require.NoError(t, q.Put(1))
	require.NoError(t, q.Put(2))
	d1, err := q.Get()
	require.NoError(t, err)

	require.NoError(t, other.Shutdown(false))
	require.ErrorIs(t, q.Put(3), cluster.ErrShutdown)
	require.True(t, q.IsShutdown())
	d2, err := q.Get() // the remaining item still comes out
	require.NoError(t, err)
	require.Equal(t, 2, d2.Value)
	_, err = q.Get()
	require.ErrorIs(t, err, cluster.ErrShutdown)
	_, err = q.TryGet()
	require.ErrorIs(t, err, cluster.ErrShutdown)

	join := goErr(q.Join)
	notReady(t, join) // items held still need TaskDone
	require.NoError(t, d1.TaskDone())
	require.NoError(t, d2.TaskDone())
	require.NoError(t, recv(t, join))
	require.NoError(t, q.Shutdown(false)) // again: harmless
	notReady(t, blocked)
}

func TestShutdownWakesBlockedCallsInEveryProcess(t *testing.T) {
	s := server(t)
	q := open(t, conn(t, s), cluster.MaxSize(1))
	other := openName[int](t, conn(t, s), q.Name())
	third := openName[int](t, conn(t, s), q.Name())

	get := goGet(other)
	notReady(t, get)
	_, err := third.Len() // third is up; now fill the queue through it
	require.NoError(t, err)
	require.NoError(t, q.Put(1))
	g := recv(t, get)
	require.NoError(t, g.err)
	put := goErr(func() error { return third.Put(2) }) // full: blocks
	get2 := goGet(other)
	notReady(t, put)
	notReady(t, get2)

	require.NoError(t, q.Shutdown(false))
	require.ErrorIs(t, recv(t, put), cluster.ErrShutdown)
	require.ErrorIs(t, recv(t, get2).err, cluster.ErrShutdown)
	require.NoError(t, g.d.TaskDone())
	require.NoError(t, third.Join())
}

func TestShutdownImmediate(t *testing.T) {
	s := server(t)
	q := open(t, conn(t, s))
	for i := range 5 {
		require.NoError(t, q.Put(i))
	}
	held, err := q.Get()
	require.NoError(t, err)
	late := openName[int](t, conn(t, s), q.Name())

	require.NoError(t, q.Shutdown(true))
	_, err = late.Get()
	require.ErrorIs(t, err, cluster.ErrShutdown)
	require.ErrorIs(t, late.Put(9), cluster.ErrShutdown)
	require.Equal(t, 1, unfinished(t, q)) // the four waiting items are gone, counted done

	join := goErr(late.Join)
	notReady(t, join)
	require.NoError(t, held.TaskDone())
	require.NoError(t, recv(t, join))

	// A process opening the queue afterwards sees the state.
	again := openName[int](t, conn(t, s), q.Name())
	require.True(t, again.IsShutdown())
	require.NoError(t, again.Shutdown(false)) // does not undo immediate
	_, err = again.TryGet()
	require.ErrorIs(t, err, cluster.ErrShutdown)
}

func TestCancelChangesNothing(t *testing.T) {
	q := open(t, conn(t, server(t)), cluster.MaxSize(1))

	ctx, cancel := context.WithCancel(context.Background())
	get := make(chan error, 1)
	go func() { _, err := q.GetContext(ctx); get <- err }()
	notReady(t, get)
	cancel()
	require.ErrorIs(t, recv(t, get), context.Canceled)

	// The abandoned Get took nothing: the next item goes to the next Get.
	require.NoError(t, q.Put(1))
	d, err := q.GetContext(ctxT(t))
	require.NoError(t, err)
	require.Equal(t, 1, d.Value)
	require.Equal(t, 1, d.Attempt())

	// A PutContext waiting for room, cancelled, added nothing.
	ctx, cancel = context.WithCancel(context.Background())
	put := goErr(func() error { return q.PutContext(ctx, 2) })
	notReady(t, put)
	cancel()
	require.ErrorIs(t, recv(t, put), context.Canceled)
	require.NoError(t, d.TaskDone())
	require.Equal(t, 0, unfinished(t, q))

	// Done contexts fail at once even when the call could succeed.
	require.ErrorIs(t, q.PutContext(ctx, 3), context.Canceled)
	require.NoError(t, q.Put(3))
	_, err = q.GetContext(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, unfinished(t, q))
	// Len is the consumer's count of items not yet delivered, which the
	// server updates a moment after the Put: poll for it.
	require.Eventually(t, func() bool { n, err := q.Len(); return err == nil && n == 1 }, guard, time.Millisecond)
	require.ErrorIs(t, q.JoinContext(ctx), context.Canceled) // one unfinished
	d, err = q.Get()
	require.NoError(t, err)
	require.NoError(t, d.TaskDone())
	require.NoError(t, q.JoinContext(ctx)) // nothing unfinished: succeeds anyway
}

func TestNilContextPanics(t *testing.T) {
	q := open(t, conn(t, server(t)))
	var nilCtx context.Context
	for name, f := range map[string]func(){
		"Open":        func() { _, _ = cluster.Open[int](nilCtx, nil, "x") },
		"GetContext":  func() { _, _ = q.GetContext(nilCtx) },
		"PutContext":  func() { _ = q.PutContext(nilCtx, 1) },
		"JoinContext": func() { _ = q.JoinContext(nilCtx) },
	} {
		require.PanicsWithValue(t, "cluster: nil Context", f, name)
	}
}

func TestAllEndsAtShutdown(t *testing.T) {
	q := open(t, conn(t, server(t)))
	for i := range 3 {
		require.NoError(t, q.Put(i))
	}
	require.NoError(t, q.Shutdown(false))
	var seen []int
	for d, err := range q.All() {
		require.NoError(t, err)
		seen = append(seen, d.Value)
		require.NoError(t, d.TaskDone())
	}
	require.Equal(t, []int{0, 1, 2}, seen)
	require.NoError(t, q.Join())
}
