package pool_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

// TestStressRandomCancellations runs thousands of tasks from several
// submitters that cancel futures at random, while tasks fail and panic,
// then accounts for every task: it ran exactly once or was cancelled, and
// Stats agrees.
func TestStressRandomCancellations(t *testing.T) {
	for name, opts := range map[string][]pool.Option{
		"unbounded": nil,
		"backlog 8": {pool.WithBacklog(8)},
	} {
		t.Run(name, func(t *testing.T) {
			const submitters, perSubmitter = 4, 3000
			p := pool.New(3, opts...)
			var ran [submitters * perSubmitter]atomic.Int32
			var cancelled, failed, panicked, completed atomic.Int64
			var wg sync.WaitGroup
			for s := range submitters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(s), 1))
					var futs []*pool.Future[int]
					for i := range perSubmitter {
						id := s*perSubmitter + i
						kind := rng.IntN(10)
						f := pool.Submit(p, func(context.Context) (int, error) {
							ran[id].Add(1)
							switch kind {
							case 0:
								return id, errors.New("fail")
							case 1:
								panic(id)
							}
							return id, nil
						})
						futs = append(futs, f)
						if rng.IntN(3) == 0 {
							// cancel a random earlier future
							if futs[rng.IntN(len(futs))].Cancel() {
								cancelled.Add(1)
							}
						}
					}
					for i, f := range futs {
						id := s*perSubmitter + i
						v, err := f.Result()
						var pe *pool.PanicError
						switch {
						case errors.Is(err, pool.ErrCancelled):
							if ran[id].Load() != 0 {
								t.Errorf("cancelled task %d ran", id)
							}
							continue
						case errors.As(err, &pe):
							panicked.Add(1)
						case err != nil:
							failed.Add(1)
						default:
							completed.Add(1)
						}
						if v != id && pe == nil {
							t.Errorf("future %d got %d", id, v)
						}
						if ran[id].Load() != 1 {
							t.Errorf("task %d ran %d times", id, ran[id].Load())
						}
					}
				}()
			}
			wg.Wait()
			require.NoError(t, finish(t, p))
			s := p.Stats()
			require.Equal(t, submitters*perSubmitter, sum(s))
			require.EqualValues(t, cancelled.Load(), s.Cancelled)
			require.EqualValues(t, completed.Load(), s.Completed)
			require.EqualValues(t, failed.Load(), s.Failed)
			require.EqualValues(t, panicked.Load(), s.Panicked)
		})
	}
}

// TestStressShutdownRacesWork lets Shutdown with a short-lived context race
// submitters, Map calls and streams, many times; every task is accounted
// for and no goroutine is left.
func TestStressShutdownRacesWork(t *testing.T) {
	for round := range 40 {
		p := pool.New(2, pool.WithBacklog(round%5))
		var submitted atomic.Int64
		stopSubmitters := testutil.HammerWhile(2, func() bool {
			if err := p.Go(func(ctx context.Context) error { return ctx.Err() }); err != nil {
				if !errors.Is(err, pool.ErrClosed) {
					t.Errorf("Go: %v", err)
				}
				return false
			}
			submitted.Add(1)
			return true
		})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := pool.Map(context.Background(), p, ints(50), double)
			if err != nil && !errors.Is(err, pool.ErrClosed) && !errors.Is(err, pool.ErrCancelled) && !errors.Is(err, context.Canceled) {
				t.Errorf("Map: %v", err)
			}
		}()
		go func() {
			defer wg.Done()
			for _, err := range pool.Stream(context.Background(), p, slices.Values(ints(50)), double) {
				if err != nil {
					return
				}
			}
		}()
		testutil.WaitUntil(t, "submitted.Load() >= 20", func() bool { return submitted.Load() >= 20 })
		ctx, cancel := context.WithCancel(context.Background())
		if round%2 == 0 {
			cancel()
		}
		_ = p.Shutdown(ctx)
		cancel()
		stopSubmitters()
		wg.Wait()
		s := p.Stats()
		require.Zero(t, s.Workers+s.Running+s.Queued, "round %d", round)
		require.GreaterOrEqual(t, int64(sum(s)), submitted.Load())
		_ = p.Wait()
	}
	require.NoError(t, finishNothing(t))
}

func finishNothing(t *testing.T) error {
	p := pool.New(1)
	return finish(t, p)
}

// TestStressResultContextRacesCompletion lets ResultContext calls with
// random deadlines race the ends of their tasks: each gets the result or
// its context's error, and no waiter is left behind.
func TestStressResultContextRacesCompletion(t *testing.T) {
	p := pool.New(2)
	const n = 2000
	futs := make([]*pool.Future[int], n)
	for i := range futs {
		futs[i] = pool.Submit(p, func(context.Context) (int, error) {
			if i%3 == 0 {
				runtime.Gosched()
			}
			return i, nil
		})
	}
	var wg sync.WaitGroup
	var timedOut atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := w; i < n; i += 4 {
				ctx, cancel := context.WithCancel(context.Background())
				if rng.IntN(2) == 0 {
					go cancel()
				}
				v, err := futs[i].ResultContext(ctx)
				cancel()
				switch {
				case errors.Is(err, context.Canceled):
					timedOut.Add(1)
					v, err = futs[i].Result()
				}
				if err != nil || v != i {
					t.Errorf("future %d: %d, %v", i, v, err)
				}
			}
		}()
	}
	wg.Wait()
	for _, f := range futs {
		require.Zero(t, pool.ResultWaiters(f))
	}
	require.NoError(t, finish(t, p))
	t.Logf("%d of %d waits gave up", timedOut.Load(), n)
}
