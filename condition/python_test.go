package condition_test

// Behaviours of CPython's Lib/test/lock_tests.py ConditionTests.

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

// test_acquire: the default Condition is reentrant; one over a Lock is not.
func TestPythonAcquire(t *testing.T) {
	c := condition.New(nil)
	rl := c.Locker().(*rlock.RLock)
	c.Lock()
	c.Lock()
	require.Equal(t, 2, rl.Count())
	c.Unlock()
	c.Unlock()
	require.False(t, rl.Locked())

	l := new(lock.Lock)
	c = condition.New(l)
	c.Lock()
	require.False(t, l.TryLock())
	c.Unlock()
	require.False(t, l.Locked())
}

// test_notify (_check_notify, twice on the same Condition): NotifyN(3),
// NotifyN(5) and NotifyAll wake exactly as many waiters as asked, the
// longest waiting first, and a woken waiter returns only after the notifier
// releases the lock: it sees the phase set after the notification.
func TestPythonNotify(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.new()
			checkNotify(t, c)
			checkNotify(t, c)
		})
	}
}

func checkNotify(t *testing.T, c *condition.Condition) {
	const n = 5
	var phase int
	var results1, results2 []int // the phase each wake-up saw; under c's lock
	woke := make(chan struct{}, 2*n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			c.Lock()
			c.Wait()
			results1 = append(results1, phase)
			c.Unlock()
			woke <- struct{}{}
			c.Lock()
			c.Wait()
			results2 = append(results2, phase)
			c.Unlock()
			woke <- struct{}{}
		})
	}
	testutil.WaitEqual(t, "c.Waiters() == n", c.Waiters, n)

	c.Lock()
	c.NotifyN(3)
	phase = 1
	c.Unlock()
	for range 3 {
		testutil.Recv(t, woke, "a receive from woke")
	}
	testutil.WaitEqual(t, "c.Waiters() == n", c.Waiters, n) // the 3 woken wait again, behind the other 2
	c.Lock()
	require.Equal(t, []int{1, 1, 1}, results1)
	require.Empty(t, results2)

	c.NotifyN(5) // the 2 still in their first wait, then the 3 in their second
	phase = 2
	c.Unlock()
	for range 5 {
		testutil.Recv(t, woke, "a receive from woke")
	}
	testutil.WaitEqual(t, "c.Waiters() == 2", c.Waiters, 2)
	c.Lock()
	require.Equal(t, []int{1, 1, 1, 2, 2}, results1)
	require.Equal(t, []int{2, 2, 2}, results2)

	c.NotifyAll()
	phase = 3
	c.Unlock()
	for range 2 {
		testutil.Recv(t, woke, "a receive from woke")
	}
	wg.Wait()
	require.Equal(t, []int{2, 2, 2, 3, 3}, results2)
	require.Zero(t, c.Waiters())
	require.Empty(t, woke, "no spurious wake-ups")
}
