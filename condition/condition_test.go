package condition_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	zeroMsg     = "condition: use of zero Condition; create it with condition.New"
	waitMsg     = "condition: cannot wait on un-acquired lock"
	notifyMsg   = "condition: cannot notify on un-acquired lock"
	negativeMsg = "condition: negative count passed to NotifyN"
)

func TestZeroConditionPanicsNamingNew(t *testing.T) {
	yes := func() bool { return true }
	ops := map[string]func(c *condition.Condition){
		"Lock":           func(c *condition.Condition) { c.Lock() },
		"Unlock":         func(c *condition.Condition) { c.Unlock() },
		"Locker":         func(c *condition.Condition) { c.Locker() },
		"Wait":           func(c *condition.Condition) { c.Wait() },
		"WaitContext":    func(c *condition.Condition) { _ = c.WaitContext(context.Background()) },
		"WaitFor":        func(c *condition.Condition) { c.WaitFor(yes) },
		"WaitForContext": func(c *condition.Condition) { _ = c.WaitForContext(context.Background(), yes) },
		"Notify":         func(c *condition.Condition) { c.Notify() },
		"NotifyN":        func(c *condition.Condition) { c.NotifyN(1) },
		"NotifyAll":      func(c *condition.Condition) { c.NotifyAll() },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			var c condition.Condition
			require.PanicsWithValue(t, zeroMsg, func() { op(&c) })
		})
	}
}

func TestNewNilMakesRLock(t *testing.T) {
	c := condition.New(nil)
	rl, ok := c.Locker().(*rlock.RLock)
	require.True(t, ok, "New(nil) must bind a *rlock.RLock, got %T", c.Locker())
	c.Lock()
	c.Lock() // reentrant, as Python's default Condition
	require.Equal(t, 2, rl.Count())
	c.Unlock()
	c.Unlock()
	require.False(t, rl.Locked())
	require.NotSame(t, rl, condition.New(nil).Locker(), "each Condition gets its own RLock")
}

func TestNewKeepsTheLocker(t *testing.T) {
	mu := new(sync.Mutex)
	c := condition.New(mu)
	require.Same(t, mu, c.Locker())
	c.Lock()
	require.False(t, mu.TryLock())
	c.Unlock()
	require.True(t, mu.TryLock())
	mu.Unlock()
}

func TestNewNilPointerPanics(t *testing.T) {
	for _, tt := range []struct {
		give sync.Locker
		want string
	}{
		{(*sync.Mutex)(nil), "condition: New with a nil *sync.Mutex"},
		{(*sync.RWMutex)(nil), "condition: New with a nil *sync.RWMutex"},
		{(*lock.Lock)(nil), "condition: New with a nil *lock.Lock"},
		{(*rlock.RLock)(nil), "condition: New with a nil *rlock.RLock"},
	} {
		require.PanicsWithValue(t, tt.want, func() { condition.New(tt.give) })
	}
}

// misuse lists every call that requires the lock, with its panic message.
var misuse = []struct {
	name string
	msg  string
	call func(c *condition.Condition)
}{
	{"Wait", waitMsg, func(c *condition.Condition) { c.Wait() }},
	{"WaitContext", waitMsg, func(c *condition.Condition) { _ = c.WaitContext(context.Background()) }},
	{"WaitFor", waitMsg, func(c *condition.Condition) { c.WaitFor(func() bool { return false }) }},
	{"WaitForContext", waitMsg, func(c *condition.Condition) {
		_ = c.WaitForContext(context.Background(), func() bool { return false })
	}},
	{"Notify", notifyMsg, func(c *condition.Condition) { c.Notify() }},
	{"NotifyN", notifyMsg, func(c *condition.Condition) { c.NotifyN(1) }},
	{"NotifyN(0)", notifyMsg, func(c *condition.Condition) { c.NotifyN(0) }},
	{"NotifyAll", notifyMsg, func(c *condition.Condition) { c.NotifyAll() }},
}

// TestMisuseUnheldPanicsAndChangesNothing calls every operation without the
// lock: it panics, leaves the lock unlocked (the TryLock check on a mutex
// must give it back) and queues nobody.
func TestMisuseUnheldPanicsAndChangesNothing(t *testing.T) {
	for _, k := range kinds {
		for _, m := range misuse {
			t.Run(k.name+"/"+m.name, func(t *testing.T) {
				c := k.new()
				if !checkable(c) {
					t.Skip("an arbitrary sync.Locker cannot tell whether it is held")
				}
				require.PanicsWithValue(t, m.msg, func() { m.call(c) })
				require.False(t, holds(c), "the check must not leave the lock locked")
				require.Zero(t, c.Waiters())
				c.Lock() // still usable
				require.True(t, holds(c))
				c.Unlock()
			})
		}
	}
}

// TestMisuseRLockHeldByAnotherGoroutine: an RLock is owned by a goroutine,
// so holding it elsewhere does not count, and the panic releases nothing.
func TestMisuseRLockHeldByAnotherGoroutine(t *testing.T) {
	for _, m := range misuse {
		t.Run(m.name, func(t *testing.T) {
			rl := new(rlock.RLock)
			c := condition.New(rl)
			locked, release, depth := make(chan struct{}), make(chan struct{}), make(chan int)
			go func() {
				rl.Lock()
				rl.Lock()
				close(locked)
				<-release
				depth <- rl.Count()
				rl.Unlock()
				rl.Unlock()
			}()
			<-locked
			require.PanicsWithValue(t, m.msg, func() { m.call(c) })
			require.True(t, rl.Locked())
			require.False(t, rl.TryLock())
			close(release)
			require.Equal(t, 2, testutil.Recv(t, depth, "a receive from depth"), "the owner's depth must be untouched")
		})
	}
}

// TestMisuseNotifyDoesNotWake: a Notify without the lock panics before it
// wakes anyone.
func TestMisuseNotifyDoesNotWake(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			if !checkable(c) {
				t.Skip("an arbitrary sync.Locker cannot tell whether it is held")
			}
			done := make(chan struct{})
			go func() {
				c.Lock()
				c.Wait()
				c.Unlock()
				close(done)
			}()
			testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
			// A waiter is counted before it releases the lock.
			testutil.WaitEqual(t, "the lock released", func() bool { return holds(c) }, false)
			require.PanicsWithValue(t, notifyMsg, func() { c.NotifyAll() })
			require.Equal(t, 1, c.Waiters())
			c.Lock()
			c.Notify()
			c.Unlock()
			testutil.Recv(t, done, "a receive from done")
		})
	}
}

func TestNotifyNNegativePanicsAndWakesNobody(t *testing.T) {
	c := condition.New(new(sync.Mutex))
	done := make(chan struct{})
	go func() {
		c.Lock()
		c.Wait()
		c.Unlock()
		close(done)
	}()
	testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
	c.Lock()
	require.PanicsWithValue(t, negativeMsg, func() { c.NotifyN(-1) })
	require.Equal(t, 1, c.Waiters())
	c.NotifyN(0)
	require.Equal(t, 1, c.Waiters(), "NotifyN(0) wakes nobody")
	c.Notify()
	c.Unlock()
	testutil.Recv(t, done, "a receive from done")
}

func TestNotifyWithoutWaitersIsANoOp(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			c.Lock()
			c.Notify()
			c.NotifyN(3)
			c.NotifyAll()
			require.True(t, holds(c))
			c.Unlock()
			// A notification is not remembered: a later Wait still blocks.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			c.Lock()
			require.ErrorIs(t, c.WaitContext(ctx), context.Canceled)
			c.Unlock()
		})
	}
}

// TestWaitReleasesAndReacquires: while a goroutine waits, another can take
// the lock; the woken waiter holds it again when Wait returns.
func TestWaitReleasesAndReacquires(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			held := make(chan bool)
			go func() {
				c.Lock()
				c.Wait()
				held <- holds(c)
				c.Unlock()
			}()
			testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
			c.Lock() // would block forever if Wait kept the lock
			c.Notify()
			c.Unlock()
			require.True(t, testutil.Recv(t, held, "a receive from held"))
		})
	}
}

// TestWaitContextAlreadyDone returns at once, keeping the lock.
func TestWaitContextAlreadyDone(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			c.Lock()
			require.ErrorIs(t, c.WaitContext(ctx), context.Canceled)
			require.True(t, holds(c))
			require.Zero(t, c.Waiters())
			c.Unlock()
		})
	}
}

// TestWaitContextCancelReacquiresFirst: a cancelled waiter does not return
// before it holds the lock again, however long that takes.
func TestWaitContextCancelReacquiresFirst(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			ctx, cancel := context.WithCancel(context.Background())
			res := make(chan error)
			var returned sync.Mutex // locked until the waiter returns
			returned.Lock()
			go func() {
				c.Lock()
				err := c.WaitContext(ctx)
				returned.Unlock()
				if !holds(c) {
					err = errNotHeld
				}
				c.Unlock()
				res <- err
			}()
			testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
			c.Lock()
			cancel()
			testutil.WaitEqual(t, "c.Waiters() == 0", c.Waiters, 0) // the cancellation took it out of the queue
			for range 100 {
				require.False(t, returned.TryLock(), "WaitContext returned while another goroutine held the lock")
				yield()
			}
			c.Unlock()
			require.ErrorIs(t, testutil.Recv(t, res, "a receive from res"), context.Canceled)
		})
	}
}

func TestWaitForPredicateAlreadyTrueDoesNotWait(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			c.Lock()
			calls := 0
			c.WaitFor(func() bool { calls++; return holds(c) })
			require.Equal(t, 1, calls)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			// Convention 7: a satisfied predicate succeeds with a done context.
			require.NoError(t, c.WaitForContext(ctx, func() bool { return true }))
			require.ErrorIs(t, c.WaitForContext(ctx, func() bool { return false }), context.Canceled)
			require.True(t, holds(c))
			require.Zero(t, c.Waiters())
			c.Unlock()
		})
	}
}

// TestRLockDepthRestored: Wait over an RLock held N times releases all N
// levels (another goroutine can lock it) and restores N, on notification
// and on cancellation alike.
func TestRLockDepthRestored(t *testing.T) {
	for _, cancelled := range []bool{false, true} {
		for depth := 1; depth <= 4; depth++ {
			rl := new(rlock.RLock)
			c := condition.New(rl)
			ctx, cancel := context.WithCancel(context.Background())
			type result struct {
				before, after int
				err           error
			}
			res := make(chan result)
			go func() {
				for range depth {
					c.Lock()
				}
				var r result
				r.before = rl.Count()
				r.err = c.WaitContext(ctx)
				r.after = rl.Count()
				for range depth {
					c.Unlock()
				}
				res <- r
			}()
			testutil.WaitEqual(t, "c.Waiters() == 1", c.Waiters, 1)
			c.Lock() // blocks unless every level was released
			require.Equal(t, 1, rl.Count())
			if cancelled {
				cancel()
				testutil.WaitEqual(t, "c.Waiters() == 0", c.Waiters, 0)
			} else {
				c.Notify()
			}
			c.Unlock()
			r := testutil.Recv(t, res, "a receive from res")
			require.Equal(t, depth, r.before)
			require.Equal(t, depth, r.after, "depth after Wait (cancelled=%v)", cancelled)
			if cancelled {
				require.ErrorIs(t, r.err, context.Canceled)
			} else {
				require.NoError(t, r.err)
			}
			require.False(t, rl.Locked())
			cancel()
		}
	}
}

// panicLocker is a broken sync.Locker whose Unlock panics after calling
// beforePanic (if set).
type panicLocker struct {
	mu          sync.Mutex
	beforePanic func()
}

func (l *panicLocker) Lock() { l.mu.Lock() }
func (l *panicLocker) Unlock() {
	if l.beforePanic != nil {
		l.beforePanic()
	}
	panic("broken unlock")
}

// TestPanickingUnlockLeavesNoWaiter: if the lock's Unlock panics inside
// Wait, the panic propagates and the waiter never joins the queue, even
// with a Notify racing the release; the Condition stays usable.
func TestPanickingUnlockLeavesNoWaiter(t *testing.T) {
	for _, notifyDuring := range []bool{false, true} {
		l := new(panicLocker)
		c := condition.New(l)
		notified := make(chan struct{})
		if notifyDuring {
			l.beforePanic = func() {
				go func() {
					l.Lock() // until the test gives the broken lock back
					c.NotifyAll()
					l.mu.Unlock()
					close(notified)
				}()
			}
		} else {
			close(notified)
		}
		l.Lock()
		require.PanicsWithValue(t, "broken unlock", func() { c.Wait() })
		require.Zero(t, c.Waiters())
		l.beforePanic = nil

		// Still consistent: nobody counts as waiting.
		l.mu.Unlock()
		testutil.Recv(t, notified, "the racing NotifyAll")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		l.Lock()
		c.Notify() // nobody waits: a no-op
		require.ErrorIs(t, c.WaitContext(ctx), context.Canceled)
		l.mu.Unlock()
	}
}
