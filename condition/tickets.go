package condition

import (
	"sync"
	"sync/atomic"
)

// ticketLine is the line of a Condition's waits that cannot be cancelled. It
// parks them on a sync.Cond, whose notify list is the runtime's own:
// parking there allocates nothing and costs what sync.Cond costs.
//
// Invariants, each relied on by Condition's first-in first-out promise:
//
//   - in counts the waiters that ever joined, out those ever woken; both
//     only grow, and only while the Condition's lock is held (they are
//     atomic so that Notify's merge and tests may read them).
//   - A waiter counts itself in in and takes its ticket of cond while
//     holding the lock (cond.Wait takes the ticket before it calls
//     L.Unlock, which releases the lock), so the k-th waiter to join holds
//     the k-th ticket.
//   - cond's k-th Signal wakes the holder of the k-th ticket: the runtime's
//     notify list wakes tickets in the order they were taken, and keeps a
//     Signal made before its waiter sleeps. sync.Cond does not document
//     this order; TestTicketLineIsFIFO fails if it ever changes.
//
// Waiters that parked here are durably blocked for testing/synctest, and
// nothing in the line ties it to a bubble.
type ticketLine struct {
	cond    sync.Cond // L releases the Condition's lock (parkLocker)
	in, out atomic.Uint64
}

// wait joins the line and sleeps until woken. The Condition's lock is held
// on entry and released by cond.L once the waiter has its ticket; it is not
// held on return.
func (t *ticketLine) wait() {
	t.in.Add(1)
	t.cond.Wait()
}

// wake wakes the n longest-waiting members (all if n < 0) and returns how
// many it woke. The Condition's lock is held.
func (t *ticketLine) wake(n int) int {
	out := t.out.Load()
	all := int(t.in.Load() - out)
	k := all
	if n >= 0 && n < k {
		k = n
	}
	switch {
	case k <= 0:
		return 0
	case k == all:
		t.cond.Broadcast()
	default:
		for range k {
			t.cond.Signal()
		}
	}
	t.out.Store(out + uint64(k))
	return k
}
