package pool_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func synctestRun(t *testing.T, f func(t *testing.T)) { synctest.Test(t, f) }

func TestResultContextDeadlineWithFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pool.New(1)
		f := pool.Submit(p, func(context.Context) (int, error) {
			time.Sleep(time.Minute)
			return 1, nil
		})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := f.ResultContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, time.Second, time.Since(start))
		v, err := f.Result()
		require.NoError(t, err)
		require.Equal(t, 1, v)
		require.Equal(t, time.Minute, time.Since(start))
		p.Close()
		require.NoError(t, p.Wait())
	})
}

func TestGoContextDeadlineWithFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pool.New(1, pool.WithBacklog(0))
		require.NoError(t, p.Go(func(context.Context) error { time.Sleep(time.Hour); return nil }))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		require.ErrorIs(t, p.GoContext(ctx, nop), context.DeadlineExceeded)
		require.Equal(t, time.Second, time.Since(start))
		f, err := pool.SubmitContext(ctx, p, func(context.Context) (int, error) { return 0, nil })
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Nil(t, f)
		require.Equal(t, pool.Stats{Workers: 1, Running: 1}, p.Stats())
		p.Close()
		require.NoError(t, p.Wait())
		require.Equal(t, time.Hour, time.Since(start))
	})
}

func TestStreamDeadlineWithFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pool.New(2)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		var got []int
		var last error
		for r, err := range pool.Stream(ctx, p, naturals, func(ctx context.Context, x int) (int, error) {
			select {
			case <-time.After(time.Duration(x+1) * time.Second):
				return x, nil
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}) {
			if err != nil {
				last = err
				continue
			}
			got = append(got, r)
		}
		require.ErrorIs(t, last, context.DeadlineExceeded)
		require.Equal(t, 10*time.Second, time.Since(start), "the range ended with the deadline")
		require.NotEmpty(t, got)
		for i, v := range got {
			require.Equal(t, i, v)
		}
		p.Close()
		require.NoError(t, p.Wait())
	})
}

// shared is a package-level use of the pool that outlives a bubble:
// futures made in one bubble (or outside) are waited on, watched and given
// callbacks in the next; each round makes and finishes its own pool, whose
// workers are the round's.
var shared struct {
	old []*pool.Future[int]
}

// contendShared contends a pool every way that parks: submitters on a full
// backlog, Result waiters, Done channels, Wait, AsCompleted, OnDone, idle
// workers, Resize; and uses the futures of the previous round.
func contendShared(t *testing.T) {
	for _, f := range shared.old {
		v, err := f.Result()
		require.NoError(t, err)
		require.Equal(t, 1, v)
		<-f.Done()
		done, _, err := pool.Wait(context.Background(), pool.AllCompleted, shared.old...)
		require.NoError(t, err)
		require.Len(t, done, len(shared.old))
		for range pool.AsCompleted(context.Background(), f) {
		}
		ran := false
		f.OnDone(func(*pool.Future[int]) { ran = true })
		require.True(t, ran)
	}
	p := pool.New(1, pool.WithBacklog(1))
	release := make(chan struct{})
	gated := func(context.Context) (int, error) { <-release; return 1, nil }
	var futs []*pool.Future[int]
	futs = append(futs, pool.Submit(p, gated), pool.Submit(p, gated))
	submitted := make(chan *pool.Future[int])
	go func() { submitted <- pool.Submit(p, gated) }()
	waited := make(chan error, 3)
	go func() { _, err := futs[0].Result(); waited <- err }()
	go func() { _, _, err := pool.Wait(context.Background(), pool.AllCompleted, futs...); waited <- err }()
	go func() {
		for _, err := range pool.AsCompleted(context.Background(), futs...) {
			if err != nil {
				waited <- err
				return
			}
		}
		waited <- nil
	}()
	callbacks := make(chan struct{}, 1)
	futs[1].OnDone(func(*pool.Future[int]) { callbacks <- struct{}{} })
	d := futs[1].Done()
	testutil.WaitEqual(t, "a submitter waits", func() int { return blockedSubmitters(p) }, 1)
	testutil.WaitEqual(t, "Result waits", func() int { return pool.ResultWaiters(futs[0]) }, 1)
	testutil.WaitEqual(t, "Wait and AsCompleted watch", func() int { return pool.Watches(futs[1]) }, 2)
	p.Resize(2)
	close(release)
	futs = append(futs, <-submitted)
	for range 3 {
		require.NoError(t, <-waited)
	}
	<-d
	<-callbacks
	for _, f := range futs {
		_, err := f.Result()
		require.NoError(t, err)
	}
	p.Close()
	require.NoError(t, p.Wait())
	shared.old = futs
}

func TestSharedUseInBubblesAndOutside(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
	contendShared(t)
}
