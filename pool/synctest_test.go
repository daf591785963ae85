package pool_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

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
