package barrier_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/barrier"
	"github.com/syncprim/syncprim/internal/testutil"
)

// Many parties pass many cycles. In every cycle each index 0..n-1 is handed
// out exactly once, the action runs exactly once, after every arrival and
// before any release. Plain (not atomic) memory is written before Wait and
// read after it, so the race detector checks the memory-model guarantees.
func TestStressCycles(t *testing.T) {
	parties, cycles := 16, 2000
	if testing.Short() {
		cycles = 100
	}
	var (
		runs    int                    // plain: the action writes it, parties read it
		arrived = make([]int, parties) // plain: party p writes its cycle before Wait
		seen    = make([]atomic.Int32, parties*cycles)
	)
	b := barrier.New(parties, func() error {
		for p, c := range arrived {
			if c != runs {
				t.Errorf("action of cycle %d: party %d arrived for cycle %d", runs, p, c)
			}
		}
		runs++
		return nil
	})
	var wg sync.WaitGroup
	for p := range parties {
		wg.Go(func() {
			for c := range cycles {
				arrived[p] = c
				i, err := b.Wait()
				if !assert.NoError(t, err) || !assert.True(t, i >= 0 && i < parties) {
					return
				}
				// Released from cycle c: its action ran, and the next
				// one cannot run before this party arrives again.
				assert.Equal(t, c+1, runs)
				seen[c*parties+i].Add(1)
			}
		})
	}
	wg.Wait()
	require.Equal(t, cycles, runs)
	for k := range seen {
		require.Equal(t, int32(1), seen[k].Load(), "cycle %d index %d", k/parties, k%parties)
	}
}

// Parties wait with contexts that end, while other goroutines abort and
// reset: every call returns, an index only when the barrier did not break,
// nothing leaks, and the barrier completes a cycle afterwards.
func TestStressChaos(t *testing.T) {
	const parties = 4
	b := barrier.New(parties, nil)
	var calls, ok, failed atomic.Int64
	stopWaiters := testutil.Hammer(parties+2, func() {
		ctx, cancel := context.WithCancel(context.Background())
		if calls.Add(1)%50 == 0 {
			cancel()
		}
		i, err := b.WaitContext(ctx)
		cancel()
		if err != nil {
			failed.Add(1)
			return
		}
		assert.True(t, i >= 0 && i < parties)
		ok.Add(1)
	})
	var turns int // only the one breaker goroutine uses it
	stopBreakers := testutil.Hammer(1, func() {
		turns++
		if b.Broken() {
			b.Reset()
		} else if turns%1000 == 0 {
			b.Abort()
		}
	})
	testutil.WaitUntil(t, "some cycles completed and some broke", func() bool {
		return ok.Load() > 200 && failed.Load() > 200
	})
	stopBreakers()
	// Keep resetting until every hammer goroutine has left.
	done := make(chan struct{})
	go func() { stopWaiters(); close(done) }()
	for {
		b.Abort()
		select {
		case <-done:
			b.Reset()
			requireWorks(t, b)
			return
		default:
		}
	}
}
