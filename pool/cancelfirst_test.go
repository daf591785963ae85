package pool_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

// A submitter whose context ended before a slot freed fails with ctx.Err()
// and has submitted nothing; the slot goes to the submitter behind it, as
// x/sync's TestWeightedAcquireCanceled does for permits.
func TestGoContextCancelledBeforeTheSlotFrees(t *testing.T) {
	for name, backlog := range map[string]int{"no backlog": 0, "backlog 1": 1} {
		t.Run(name, func(t *testing.T) {
			p := pool.New(1, pool.WithBacklog(backlog))
			b := newBlocker()
			b.occupy(t, p, 1)
			for range backlog {
				require.NoError(t, p.Go(nop))
			}
			ctx, cancel := context.WithCancel(context.Background())
			first := make(chan error)
			go func() { first <- p.GoContext(ctx, func(context.Context) error { panic("must not run") }) }()
			testutil.WaitEqual(t, "the first submitter waits", func() int { return blockedSubmitters(p) }, 1)
			ran := make(chan struct{})
			second := make(chan error)
			go func() {
				second <- p.GoContext(context.Background(), func(context.Context) error { close(ran); return nil })
			}()
			testutil.WaitEqual(t, "the second submitter waits", func() int { return blockedSubmitters(p) }, 2)

			cancel() // before the slot frees
			b.open()
			require.ErrorIs(t, testutil.Recv(t, first, "the first submitter"), context.Canceled)
			require.NoError(t, testutil.Recv(t, second, "the second submitter"))
			testutil.Recv(t, ran, "the second task to run")
			require.NoError(t, finish(t, p))
			s := p.Stats()
			require.Equal(t, 2+backlog, s.Completed, "the cancelled task was never submitted")
			require.Equal(t, 2+backlog, sum(s))
		})
	}
}

func TestSubmitContextCancelledBeforeTheSlotFrees(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(1))
	b := newBlocker()
	b.occupy(t, p, 1)
	queued := pool.Submit(p, func(context.Context) (int, error) { return 0, nil })
	ctx, cancel := context.WithCancel(context.Background())
	type res struct {
		f   *pool.Future[int]
		err error
	}
	first := make(chan res)
	go func() {
		f, err := pool.SubmitContext(ctx, p, func(context.Context) (int, error) { panic("must not run") })
		first <- res{f, err}
	}()
	testutil.WaitEqual(t, "the first submitter waits", func() int { return blockedSubmitters(p) }, 1)
	second := make(chan res)
	go func() {
		f, err := pool.SubmitContext(context.Background(), p, func(context.Context) (int, error) { return 2, nil })
		second <- res{f, err}
	}()
	testutil.WaitEqual(t, "the second submitter waits", func() int { return blockedSubmitters(p) }, 2)

	cancel()
	require.True(t, queued.Cancel(), "frees the slot")
	r := testutil.Recv(t, first, "the first submitter")
	require.ErrorIs(t, r.err, context.Canceled)
	require.Nil(t, r.f)
	r = testutil.Recv(t, second, "the second submitter")
	require.NoError(t, r.err)
	require.Equal(t, 1, p.Stats().Queued, "the second took the slot")
	b.open()
	v, err := r.f.Result()
	require.NoError(t, err)
	require.Equal(t, 2, v)
	require.NoError(t, finish(t, p))
	s := p.Stats()
	require.Equal(t, pool.Stats{Completed: 2, Cancelled: 1}, s)
}
