package condition_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

// stressKinds are the locks the stress tests run over.
var stressKinds = []struct {
	name  string
	new   func() *condition.Condition
	depth int // how many times a waiter locks
}{
	{"sync.Mutex", func() *condition.Condition { return condition.New(new(sync.Mutex)) }, 1},
	{"lock.Lock", func() *condition.Condition { return condition.New(new(lock.Lock)) }, 1},
	{"rlock.RLock", func() *condition.Condition { return condition.New(new(rlock.RLock)) }, 3},
}

// TestFIFOWakeOrderStress: g goroutines wait again and again; each round
// NotifyN(k) with a random k (some above g) must wake exactly the min(k, g)
// goroutines that queued earliest, and nobody else. In the mixed runs half
// the goroutines wait with a cancellable (never cancelled) context, so
// Waits parked in different ways share one queue order.
func TestFIFOWakeOrderStress(t *testing.T) {
	for _, k := range stressKinds {
		for _, mixed := range []bool{false, true} {
			name := k.name
			if mixed {
				name += "/mixed"
			}
			t.Run(name, func(t *testing.T) {
				testFIFOWakeOrder(t, k.new(), k.depth, mixed)
			})
		}
	}
}

func testFIFOWakeOrder(t *testing.T, c *condition.Condition, depth int, mixed bool) {
	const g, rounds = 8, 600
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pushed, woken []int // queue order and wake-ups; under c's lock
	stop := false
	var wg sync.WaitGroup
	for id := range g {
		wg.Go(func() {
			for range depth {
				c.Lock()
			}
			for {
				pushed = append(pushed, id) // Wait queues before it releases
				if mixed && id%2 == 1 {
					if c.WaitContext(ctx) != nil {
						break // the test failed and cancelled ctx
					}
				} else {
					c.Wait()
				}
				if stop {
					break
				}
				woken = append(woken, id)
			}
			for range depth {
				c.Unlock()
			}
		})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	popped := 0
	for range rounds {
		testutil.WaitEqual(t, "c.Waiters() == g", c.Waiters, g)
		n := rng.IntN(g + 3)
		want := min(n, g)
		c.Lock()
		expect := slices.Clone(pushed[popped : popped+want])
		before := len(woken)
		c.NotifyN(n)
		require.Equal(t, g-want, c.Waiters())
		c.Unlock()
		popped += want
		testutil.WaitEqual(t, "c.Waiters() == g", c.Waiters, g) // every woken goroutine queued again
		c.Lock()
		got := slices.Clone(woken[before:])
		c.Unlock()
		slices.Sort(got)
		slices.Sort(expect)
		require.Equal(t, expect, got, "NotifyN(%d) must wake the %d longest waiters", n, want)
	}
	c.Lock()
	stop = true
	c.NotifyAll()
	c.Unlock()
	wg.Wait()
}

// TestCancelRacingNotifyLosesNothing races a waiter's cancellation with a
// Notify thousands of times: the waiter returns nil exactly when the Notify
// reports it woke somebody, and the lock is held on return either way.
func TestCancelRacingNotifyLosesNothing(t *testing.T) {
	for _, k := range stressKinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			notified, cancelled := 0, 0
			rng := rand.New(rand.NewPCG(5, 6))
			for range 2000 {
				ctx, cancel := context.WithCancel(context.Background())
				res := make(chan error, 1)
				go func() {
					for range k.depth {
						c.Lock()
					}
					err := c.WaitContext(ctx)
					if !holds(c) {
						err = errNotHeld
					}
					for range k.depth {
						c.Unlock()
					}
					res <- err
				}()
				testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
				go cancel()
				for range rng.IntN(4) { // vary who wins
					yield()
				}
				c.Lock()
				woke := c.NotifyNCount(1)
				c.Unlock()
				err := testutil.Recv(t, res, "a receive from res")
				if woke == 1 {
					require.NoError(t, err, "a Notify picked the waiter, so it must count as notified")
					notified++
				} else {
					require.ErrorIs(t, err, context.Canceled, "nobody to wake, so the waiter was cancelled")
					cancelled++
				}
				cancel()
			}
			require.Zero(t, c.Waiters())
			t.Logf("notified %d, cancelled %d", notified, cancelled)
		})
	}
}

// TestNotifyPassesOnPastCancelledWaiter: waiter A (cancelled at the moment
// of the Notify) queues before waiter B. One Notify must wake exactly one of
// them: A (which then returns nil) or, if A's cancellation won, B. A wake-up
// swallowed by the cancelled A leaves B asleep and fails the test.
func TestNotifyPassesOnPastCancelledWaiter(t *testing.T) {
	for _, k := range stressKinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			wait := func(ctx context.Context, res chan<- error) {
				for range k.depth {
					c.Lock()
				}
				err := c.WaitContext(ctx)
				for range k.depth {
					c.Unlock()
				}
				res <- err
			}
			aWoke, bWoke := 0, 0
			rng := rand.New(rand.NewPCG(7, 8))
			for range 1500 {
				ctx, cancel := context.WithCancel(context.Background())
				resA, resB := make(chan error, 1), make(chan error, 1)
				go wait(ctx, resA)
				testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
				go wait(context.Background(), resB)
				testutil.WaitEqual(t, "c.Waiters() == 2", c.Waiters, 2)
				go cancel()
				for range rng.IntN(4) { // vary who wins
					yield()
				}
				c.Lock()
				require.Equal(t, 1, c.NotifyNCount(1))
				c.Unlock()
				if errA := testutil.Recv(t, resA, "a receive from resA"); errA == nil {
					aWoke++
					require.Equal(t, 1, c.Waiters(), "B must still be waiting")
					c.Lock()
					c.Notify()
					c.Unlock()
				} else {
					require.ErrorIs(t, errA, context.Canceled)
					bWoke++
				}
				require.NoError(t, testutil.Recv(t, resB, "a receive from resB"), "the wake-up must reach B")
				cancel()
			}
			t.Logf("A woken %d times, B woken past a cancelled A %d times", aWoke, bWoke)
		})
	}
}

// TestCancelNotifyStressAccounting: waiters with cancellable and
// uncancellable contexts against a notifier calling NotifyN at random;
// the wake-ups the notifier handed out equal the Waits that returned nil.
func TestCancelNotifyStressAccounting(t *testing.T) {
	for _, k := range stressKinds {
		t.Run(k.name, func(t *testing.T) {
			const waiters, iters = 6, 1000
			c := k.new()
			var returnedNil, returnedErr, finished atomic.Int64
			var wg sync.WaitGroup
			for w := range waiters {
				wg.Go(func() {
					defer finished.Add(1)
					for j := range iters {
						ctx, cancel := context.WithCancel(context.Background())
						switch (w + j) % 3 {
						case 0: // uncancelled: only a Notify ends it
						case 1:
							go cancel() // races with the notifier
						case 2:
							cancel() // already done: returns at once
						}
						for range k.depth {
							c.Lock()
						}
						err := c.WaitContext(ctx)
						if !holds(c) {
							t.Error("lock not held after WaitContext")
						}
						for range k.depth {
							c.Unlock()
						}
						cancel()
						if err == nil {
							returnedNil.Add(1)
						} else {
							returnedErr.Add(1)
						}
					}
				})
			}
			rng := rand.New(rand.NewPCG(3, 4))
			handedOut := int64(0)
			for finished.Load() < waiters {
				c.Lock()
				handedOut += int64(c.NotifyNCount(rng.IntN(3)))
				c.Unlock()
				yield()
			}
			wg.Wait()
			require.Equal(t, handedOut, returnedNil.Load(), "every wake-up handed out is a Wait that returned nil")
			require.Equal(t, int64(waiters*iters), returnedNil.Load()+returnedErr.Load())
			require.Zero(t, c.Waiters())
		})
	}
}

// TestBoundedBufferTwoConditionsStress: Python's queue idiom, two
// Conditions (not full, not empty) on one lock; producers and consumers
// move every item exactly once and the buffer never overflows.
func TestBoundedBufferTwoConditionsStress(t *testing.T) {
	for _, k := range stressKinds {
		t.Run(k.name, func(t *testing.T) {
			const producers, consumers, perProducer, capacity = 4, 4, 500, 3
			l := k.new().Locker()
			notFull, notEmpty := condition.New(l), condition.New(l)
			var buf []int
			var wg sync.WaitGroup
			for p := range producers {
				wg.Go(func() {
					for i := range perProducer {
						notFull.Lock()
						notFull.WaitFor(func() bool { return len(buf) < capacity })
						buf = append(buf, p*perProducer+i)
						notEmpty.Notify()
						notFull.Unlock()
					}
				})
			}
			seen := make([][]int, consumers)
			for c := range consumers {
				wg.Go(func() {
					for range producers * perProducer / consumers {
						notEmpty.Lock()
						notEmpty.WaitFor(func() bool { return len(buf) > 0 })
						if len(buf) > capacity {
							t.Errorf("buffer holds %d items, capacity %d", len(buf), capacity)
						}
						seen[c] = append(seen[c], buf[0])
						buf = buf[1:]
						notFull.Notify()
						notEmpty.Unlock()
					}
				})
			}
			wg.Wait()
			var all []int
			for _, s := range seen {
				all = append(all, s...)
			}
			slices.Sort(all)
			for i, v := range all {
				require.Equal(t, i, v)
			}
			require.Len(t, all, producers*perProducer)
		})
	}
}

// TestMixedQueueOrderAfterCancel: Waits without a context and WaitContexts
// queue interleaved (p1 l1 p2 l2 p3 l3); l1 is cancelled in the middle of
// the queue; then one Notify at a time must wake p1 p2 l2 p3 l3 in that
// order, each only after the one before it returned.
func TestMixedQueueOrderAfterCancel(t *testing.T) {
	for _, k := range stressKinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			type waiter struct {
				name   string
				cancel context.CancelFunc // nil: Wait without a context
				res    chan error
			}
			var ws []*waiter
			for i, name := range []string{"p1", "l1", "p2", "l2", "p3", "l3"} {
				w := &waiter{name: name, res: make(chan error, 1)}
				ctx := context.Background()
				if name[0] == 'l' {
					ctx, w.cancel = context.WithCancel(ctx)
					defer w.cancel()
				}
				go func() {
					for range k.depth {
						c.Lock()
					}
					var err error
					if w.cancel == nil {
						c.Wait()
					} else {
						err = c.WaitContext(ctx)
					}
					if !holds(c) {
						err = errNotHeld
					}
					for range k.depth {
						c.Unlock()
					}
					w.res <- err
				}()
				testutil.WaitEqual(t, "c.Waiters()", c.Waiters, i+1)
				ws = append(ws, w)
			}
			ws[1].cancel()
			require.ErrorIs(t, testutil.Recv(t, ws[1].res, "l1's result"), context.Canceled)
			require.Equal(t, 5, c.Waiters())
			for i, w := range []*waiter{ws[0], ws[2], ws[3], ws[4], ws[5]} {
				for _, later := range ws[i+2:] {
					testutil.NotReady(t, later.res, later.name+"'s result")
				}
				c.Lock()
				require.Equal(t, 1, c.NotifyNCount(1), "Notify for %s", w.name)
				c.Unlock()
				require.NoError(t, testutil.Recv(t, w.res, w.name+"'s result"))
				require.Equal(t, 4-i, c.Waiters())
			}
		})
	}
}
