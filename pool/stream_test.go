package pool_test

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

type streamFunc func(context.Context, *pool.Pool, iter.Seq[int], func(context.Context, int) (int, error)) iter.Seq2[int, error]

var streams = map[string]streamFunc{
	"Stream":          pool.Stream[int, int],
	"StreamUnordered": pool.StreamUnordered[int, int],
}

// naturals is an infinite sequence 0, 1, 2, ...
func naturals(yield func(int) bool) {
	for i := 0; ; i++ {
		if !yield(i) {
			return
		}
	}
}

func TestStreamKeepsInputOrder(t *testing.T) {
	p := pool.New(4)
	var got []int
	for r, err := range pool.Stream(context.Background(), p, slices.Values(ints(500)), func(_ context.Context, x int) (int, error) {
		for range (500 - x) % 5 {
			runtime.Gosched()
		}
		return 2 * x, nil
	}) {
		require.NoError(t, err)
		got = append(got, r)
	}
	require.Len(t, got, 500)
	for i, v := range got {
		require.Equal(t, 2*i, v)
	}
	require.NoError(t, finish(t, p))
}

func TestStreamUnorderedYieldsInCompletionOrder(t *testing.T) {
	p := pool.New(2)
	gate := make(chan struct{})
	var got []int
	for r, err := range pool.StreamUnordered(context.Background(), p, slices.Values([]int{0, 1, 2}), func(_ context.Context, x int) (int, error) {
		if x == 0 {
			<-gate // item 0 ends only after the consumer received item 1
		}
		return x, nil
	}) {
		require.NoError(t, err)
		got = append(got, r)
		if r == 1 {
			close(gate)
		}
	}
	require.Equal(t, 3, len(got))
	require.Equal(t, 1, got[0], "a slow first item does not hold back the others")
	require.ElementsMatch(t, []int{0, 1, 2}, got)
	require.NoError(t, finish(t, p))
}

func TestStreamUnorderedGetsEverything(t *testing.T) {
	p := pool.New(3, pool.WithWindow(5))
	seen := make(map[int]bool)
	for r, err := range pool.StreamUnordered(context.Background(), p, slices.Values(ints(300)), double) {
		require.NoError(t, err)
		require.False(t, seen[r])
		seen[r] = true
	}
	require.Len(t, seen, 300)
	require.NoError(t, finish(t, p))
}

func TestStreamEmptyInput(t *testing.T) {
	p := pool.New(1)
	for name, stream := range streams {
		for range stream(context.Background(), p, nil, double) {
			t.Fatal(name, "yielded for nil input")
		}
		for range stream(context.Background(), p, slices.Values([]int{}), double) {
			t.Fatal(name, "yielded for empty input")
		}
	}
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{}, p.Stats())
}

func TestStreamErrorsArePerItem(t *testing.T) {
	p := pool.New(2)
	for name, stream := range streams {
		var errs, oks int
		for _, err := range stream(context.Background(), p, slices.Values(ints(10)), func(_ context.Context, x int) (int, error) {
			switch x {
			case 3:
				return 0, errors.New("three")
			case 5:
				panic("five")
			}
			return x, nil
		}) {
			if err != nil {
				errs++
			} else {
				oks++
			}
		}
		require.Equal(t, 2, errs, name)
		require.Equal(t, 8, oks, name)
	}
	require.NoError(t, finish(t, p))
}

func TestStreamEarlyBreakCancelsAndLeaksNothing(t *testing.T) {
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			p := pool.New(2, pool.WithWindow(6))
			var started, cancelledSeen atomic.Int64
			n := 0
			for r, err := range stream(context.Background(), p, naturals, func(ctx context.Context, x int) (int, error) {
				started.Add(1)
				if x < 3 {
					return x, nil
				}
				<-ctx.Done() // later items run until the break cancels them
				cancelledSeen.Add(1)
				return 0, ctx.Err()
			}) {
				require.NoError(t, err)
				_ = r
				n++
				if n == 3 {
					break
				}
			}
			s := p.Stats()
			require.Zero(t, s.Running+s.Queued, "the range ended after every task it started")
			require.Equal(t, 3, s.Completed)
			require.EqualValues(t, started.Load()-3, cancelledSeen.Load())
			require.EqualValues(t, s.Failed, cancelledSeen.Load())
			require.LessOrEqual(t, sum(s), 3+6, "no more than the window ahead of the consumer was submitted")
			goleak.VerifyNone(t, goleak.IgnoreCurrent())
			require.NoError(t, finish(t, p))
		})
	}
}

func TestStreamPanicInLoopBodyCleansUp(t *testing.T) {
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			p := pool.New(2)
			func() {
				defer func() { require.Equal(t, "body", recover()) }()
				for range stream(context.Background(), p, naturals, func(ctx context.Context, x int) (int, error) {
					if x > 0 {
						<-ctx.Done()
					}
					return x, nil
				}) {
					panic("body")
				}
			}()
			s := p.Stats()
			require.Zero(t, s.Running+s.Queued)
			require.NoError(t, finish(t, p))
		})
	}
}

func TestStreamWindowBoundsLookAhead(t *testing.T) {
	const window = 3
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			p := pool.New(4, pool.WithWindow(window))
			var started, consumed, pulled, peak atomic.Int64
			in := func(yield func(int) bool) {
				for i := 0; i < 200; i++ {
					pulled.Add(1)
					if !yield(i) {
						return
					}
				}
			}
			for _, err := range stream(context.Background(), p, in, func(_ context.Context, x int) (int, error) {
				ahead := started.Add(1) - consumed.Load()
				for {
					old := peak.Load()
					if ahead <= old || peak.CompareAndSwap(old, ahead) {
						break
					}
				}
				return x, nil
			}) {
				require.NoError(t, err)
				// A slow consumer: let the workers run as far as they may.
				for range 20 {
					runtime.Gosched()
				}
				require.LessOrEqual(t, pulled.Load()-consumed.Load(), int64(window+1), "input pulled ahead")
				consumed.Add(1)
			}
			require.EqualValues(t, 200, consumed.Load())
			require.LessOrEqual(t, peak.Load(), int64(window), "started-but-unconsumed items")
			require.Positive(t, peak.Load())
			require.NoError(t, finish(t, p))
		})
	}
}

func TestStreamContextEnds(t *testing.T) {
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			p := pool.New(2)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var last error
			n := 0
			for _, err := range stream(ctx, p, naturals, func(ctx context.Context, x int) (int, error) {
				if x >= 4 {
					<-ctx.Done()
					return 0, errors.New("late")
				}
				return x, nil
			}) {
				n++
				last = err
				if n == 2 {
					cancel()
				}
				require.Less(t, n, 100)
			}
			require.ErrorIs(t, last, context.Canceled, "the stream ends with ctx.Err()")
			s := p.Stats()
			require.Zero(t, s.Running+s.Queued)

			done, cancel2 := context.WithCancel(context.Background())
			cancel2()
			var errs []error
			for _, err := range stream(done, p, naturals, double) {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1, "a done ctx stops at once")
			require.ErrorIs(t, errs[0], context.Canceled)
			require.NoError(t, finish(t, p))
		})
	}
}

func TestStreamOnClosedPool(t *testing.T) {
	p := pool.New(1)
	p.Close()
	for name, stream := range streams {
		var errs []error
		for _, err := range stream(context.Background(), p, naturals, double) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1, name)
		require.ErrorIs(t, errs[0], pool.ErrClosed)
	}
	require.NoError(t, finish(t, p))
}

func TestStreamFromTaskWithBoundedBacklog(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(0), pool.WithWindow(4))
	f := pool.Submit(p, func(ctx context.Context) (int, error) {
		total := 0
		for r, err := range pool.Stream(ctx, p, slices.Values(ints(4)), double) {
			if err != nil {
				return 0, err
			}
			total += r
		}
		return total, nil
	})
	// The sole worker runs the outer task: its stream's submissions must
	// go over the bound instead of blocking (the items then wait for a
	// worker that never comes, which is the task's own deadlock; a
	// Shutdown with a done context ends it).
	testutil.WaitUntil(t, "p.Stats().Queued == 4", func() bool { return p.Stats().Queued == 4 })
	p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, p.Shutdown(ctx), context.Canceled)
	_, err := f.Result()
	require.Error(t, err)
	require.NoError(t, finish(t, p))
}

func TestStreamTasksContextDerivesFromCall(t *testing.T) {
	type key struct{}
	p := pool.New(2)
	ctx := context.WithValue(context.Background(), key{}, "v")
	for name, stream := range streams {
		for _, err := range stream(ctx, p, slices.Values(ints(5)), func(ctx context.Context, x int) (int, error) {
			if ctx.Value(key{}) != "v" {
				return 0, errors.New("context lost")
			}
			return x, nil
		}) {
			require.NoError(t, err, name)
		}
	}
	require.NoError(t, finish(t, p))
}

func TestStreamDefaultWindow(t *testing.T) {
	p := pool.New(2) // default window: max(2*2, 16) = 16
	release := make(chan struct{})
	var started atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, err := range pool.Stream(context.Background(), p, naturals, func(_ context.Context, x int) (int, error) {
			started.Add(1)
			if x == 0 {
				<-release // the head holds every result back
			}
			return x, nil
		}) {
			if err != nil || started.Load() > 16 {
				t.Errorf("err %v, %d started", err, started.Load())
			}
			break
		}
	}()
	// With the head blocked, the stream fills its window and stops there.
	testutil.WaitUntil(t, "16 started, 1 running, none queued", func() bool { return started.Load() == 16 && p.Stats().Running == 1 && p.Stats().Queued == 0 })
	require.EqualValues(t, 16, started.Load())
	close(release)
	testutil.Recv(t, done, "a receive from done")
	require.NoError(t, finish(t, p))
}
