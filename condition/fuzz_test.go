package condition_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

// FuzzCondition drives random sequences of Wait, Notify, NotifyN,
// NotifyAll and cancellation of parked waiters against a model: a FIFO of
// waiter ids. Each Notify must wake exactly the waiters the model pops
// (they return nil, holding the lock at their depth), each cancellation
// exactly the cancelled waiter (it returns ctx.Err()), and nobody else.
//
// The first byte picks the lock; each further byte is one operation:
// b%4 == 0: a new waiter; 1: Notify; 2: NotifyN((b>>2)%5);
// 3: NotifyAll if b&4 == 0, else cancel queued waiter number (b>>3)%len.
func FuzzCondition(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1, 1, 1})
	f.Add([]byte{1, 0, 0, 0, 0, 0x0e, 3})
	f.Add([]byte{2, 0, 0, 0, 0x0c, 0x14, 1, 0x1c, 3})
	f.Add([]byte{3, 0, 0, 0, 0, 0x06, 0x0a})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) == 0 || len(ops) > 64 {
			return
		}
		var c *condition.Condition
		depth := 1
		switch ops[0] % 4 {
		case 0:
			c = condition.New(new(sync.Mutex))
		case 1:
			c = condition.New(new(lock.Lock))
		case 2:
			c = condition.New(new(rlock.RLock))
			depth = 1 + int(ops[0]>>2)%3
		case 3:
			c = condition.New(newChanLocker())
		}
		type result struct {
			id  int
			err error
		}
		results := make(chan result, len(ops))
		cancels := map[int]context.CancelFunc{}
		var queue []int // model: waiter ids, longest waiting first
		var wg sync.WaitGroup

		// wake expects exactly the waiters ids to return, with err.
		expect := func(ids []int, want error) {
			t.Helper()
			got := map[int]bool{}
			for range ids {
				r := testutil.Recv(t, results, "a receive from results")
				if want == nil {
					require.NoError(t, r.err, "waiter %d", r.id)
				} else {
					require.ErrorIs(t, r.err, want, "waiter %d", r.id)
				}
				got[r.id] = true
			}
			for _, id := range ids {
				require.True(t, got[id], "waiter %d should have returned; got %v", id, got)
			}
			require.Equal(t, len(queue), c.Waiters())
		}
		notify := func(n int, call func()) {
			n = min(n, len(queue))
			woken := queue[:n:n]
			queue = queue[n:]
			c.Lock()
			call()
			c.Unlock()
			expect(woken, nil)
		}

		for i, b := range ops[1:] {
			switch b % 4 {
			case 0:
				ctx, cancel := context.WithCancel(context.Background())
				cancels[i] = cancel
				wg.Go(func() {
					for range depth {
						c.Lock()
					}
					err := c.WaitContext(ctx)
					if !holds(c) {
						err = errNotHeld
					}
					if rl, ok := c.Locker().(*rlock.RLock); ok && rl.Count() != depth {
						err = errNotHeld
					}
					for range depth {
						c.Unlock()
					}
					results <- result{i, err}
				})
				queue = append(queue, i)
				testutil.WaitEqual(t, "c.Waiters() == len(queue)", c.Waiters, len(queue))
			case 1:
				notify(1, c.Notify)
			case 2:
				n := int(b>>2) % 5
				notify(n, func() { c.NotifyN(n) })
			case 3:
				if b&4 == 0 {
					notify(len(queue), c.NotifyAll)
				} else if len(queue) > 0 {
					j := int(b>>3) % len(queue)
					id := queue[j]
					queue = append(queue[:j:j], queue[j+1:]...)
					cancels[id]()
					expect([]int{id}, context.Canceled)
				}
			}
		}
		notify(len(queue), c.NotifyAll)
		wg.Wait()
		for _, cancel := range cancels {
			cancel()
		}
		require.Empty(t, results, "a waiter returned without being notified or cancelled")
	})
}
