// Package barrier provides Barrier, Go's counterpart of Python's
// threading.Barrier: a fixed number of goroutines (the parties) wait for one
// another, and all go on together once the last has arrived, cycle after
// cycle.
//
// Compared with Python:
//
//	b = threading.Barrier(3)            b := barrier.New(3, nil)
//	b = threading.Barrier(3, action=f)  b := barrier.New(3, f) // f func() error
//	i = b.wait()                        i, err := b.Wait()
//	i = b.wait(timeout=1.0)             ctx, cancel := context.WithTimeout(ctx, time.Second)
//	                                    i, err := b.WaitContext(ctx)
//	b.abort()                           b.Abort()
//	b.reset()                           b.Reset()
//	b.broken                            b.Broken()
//	b.n_waiting                         b.Waiting()
//	b.parties                           b.Parties()
//	except threading.BrokenBarrierError errors.Is(err, barrier.ErrBroken)
//
// # Cycles and the broken state
//
// Wait returns the caller's arrival index in the cycle, 0 for the first
// party to arrive and Parties()-1 for the last. The last arrival runs the
// action, if there is one, in its own goroutine before any party is
// released; then every party returns and the barrier is empty again, ready
// for the next cycle. A party released from one cycle that calls Wait again
// at once is the first arrival of the next: cycles never mix.
//
// A barrier breaks when its action returns an error or panics, when Abort is
// called, or when the context of a waiting WaitContext ends (Python's
// timeout). Every party that was waiting then returns ErrBroken, and so does
// every later Wait, until Reset makes the barrier usable again.
//
// # Cost
//
// A Barrier is a mutex, a counter, a waiter list and a slice of Parties()-1
// pointers that the last arrival reuses cycle after cycle. Every party but the
// last parks, allocating its waiter record (about 150 bytes) for the
// duration of its Wait; the last arrival wakes them all, one channel close
// each. A barrier of one party never blocks and never allocates. Broken,
// Waiting and Parties are single loads and never block, also while the
// action runs.
//
// # testing/synctest
//
// A Barrier keeps nothing of a Wait after it returns, so one Barrier (a
// package-level variable, say) may be used in bubble after bubble and outside
// bubbles in between. A goroutine blocked in any method of a Barrier is
// durably blocked, also while another runs the action. Waiting on one
// Barrier from two bubbles at the same moment is an error.
//
// # Memory model
//
// In a cycle that completes, the arrival of every party (everything it did
// before calling Wait) synchronizes before the action runs, and the action's
// return synchronizes before any party's Wait of that cycle returns. Without
// an action, every arrival synchronizes before every Wait of the cycle
// returns. Abort and Reset synchronize before the Waits they fail return.
package barrier

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/syncprim/syncprim/internal/goid"
	"github.com/syncprim/syncprim/internal/mutex"
	"github.com/syncprim/syncprim/internal/waitq"
)

// ErrBroken is the error of a Wait on a broken barrier, or of a party that
// was waiting when the barrier broke: Python's BrokenBarrierError.
var ErrBroken = errors.New("barrier: broken")

// The panic messages.
const (
	msgParties    = "barrier: New with parties < 1"
	msgZero       = "barrier: use of zero Barrier; create one with barrier.New"
	msgNilContext = "barrier: nil Context"
	msgInAction   = "barrier: Wait, WaitContext, Abort or Reset called from the barrier's action"
)

// outcome is what the goroutine that ends a waiter's cycle hands it.
type outcome uint8

const (
	waiting  outcome = iota // not decided yet: the waiter's own value
	released                // the cycle completed: Wait returns its index
	broken                  // the barrier broke: Wait returns ErrBroken
)

// Barrier is a cyclic barrier for a fixed number of parties, like Python's
// threading.Barrier. Create one with New; the zero value panics on use.
//
// A Barrier must not be copied after first use (go vet reports copies).
type Barrier struct {
	parties int
	action  func() error
	left    func(outcome) // b.leave, made once so that Wait does not allocate it

	// mu guards everything below but the atomics' reads. It is held while
	// the action runs, as Python's lock is, so that no party arrives, and
	// no Abort or Reset changes the barrier, between the last arrival and
	// the release. It is an internal/mutex rather than a sync.Mutex because
	// a goroutine parked on it is durably blocked in a testing/synctest
	// bubble, which matters while an action sleeps.
	mu locker
	// waiters are the parties of the cycle that have arrived, in arrival
	// order; while the barrier is not broken, waiters.Len() == count. While
	// the barrier is broken the list is empty.
	waiters waitq.List[outcome]
	// count is the number of parties that have arrived in the cycle
	// (Parties() while the action runs, 0 while broken); written under mu,
	// read by Waiting without it.
	count  atomic.Int64
	broken atomic.Bool // written under mu
	// actor is the goroutine id of the party running the action, 0 when
	// none is; it lets a Wait, Abort or Reset from the action panic instead
	// of deadlocking on mu.
	actor atomic.Int64
	// batch holds, under mu, the parties the last arrival has taken off the
	// list while it runs the action; kept to be reused by the next cycle.
	batch []*waitq.Waiter[outcome]
}

// locker makes an internal/mutex Mutex a sync.Locker for waitq.
type locker struct{ m mutex.Mutex }

func (l *locker) Lock() { l.m.Lock(0) }

func (l *locker) Unlock() {
	if !l.m.UnlockFast(0) {
		l.m.UnlockSlow()
	}
}

// New returns a barrier for parties goroutines, like Python's
// Barrier(parties, action). If action is not nil, the last party to arrive
// in each cycle calls it before any party is released; an action that
// returns an error or panics breaks the barrier. New panics if parties < 1.
//
// The action runs with the barrier locked, as Python's does: parties that
// arrive meanwhile, Abort and Reset wait until the cycle is over. The action
// may call Broken, Waiting and Parties; a call of Wait, WaitContext, Abort or
// Reset on its own barrier panics, since it could never proceed. To break
// the barrier, the action returns an error.
func New(parties int, action func() error) *Barrier {
	if parties < 1 {
		panic(msgParties)
	}
	b := &Barrier{parties: parties, action: action}
	b.left = b.leave
	return b
}

// Parties returns the number of parties the barrier was created for.
func (b *Barrier) Parties() int {
	b.check()
	return b.parties
}

// Waiting returns the number of parties that have arrived in the current
// cycle and are waiting for the others (Python's n_waiting). While the last
// party runs the action it is Parties(); on a broken barrier it is 0. Like
// Python's, it is a snapshot that may be stale when it returns.
func (b *Barrier) Waiting() int {
	b.check()
	return int(b.count.Load())
}

// Broken reports whether the barrier is broken.
func (b *Barrier) Broken() bool {
	b.check()
	return b.broken.Load()
}

// Wait blocks until every party has called Wait in this cycle, and returns
// the caller's arrival index: 0 for the first party to arrive, Parties()-1
// for the last. The last party runs the action before any party returns.
//
// On failure Wait returns -1 and an error: ErrBroken if the barrier is
// broken, or breaks while the caller waits (Abort, Reset, an action that
// fails, a WaitContext whose context ends); the action's error in the party
// that ran it. If the action panics, the barrier breaks and the panic goes on
// up the stack of the party that ran it. Wait cannot be cancelled; use
// WaitContext for that.
func (b *Barrier) Wait() (int, error) {
	return b.wait(context.Background())
}

// WaitContext is Wait that gives up when ctx ends, like Python's
// wait(timeout). A barrier that lost a party can never complete its cycle,
// so giving up breaks the barrier: WaitContext returns -1 and ctx.Err(), and
// every other waiting party ErrBroken. The context that ended first wins: if
// ctx ended before the last party arrived, even if this goroutine has not
// noticed yet, the barrier breaks and that last party gets ErrBroken.
//
// If ctx is already done on entry, a call that would complete the cycle
// succeeds as Wait does, whatever its context; any other call breaks the
// barrier at once and returns ctx.Err(). On a broken barrier WaitContext
// returns ErrBroken even if ctx is done. It panics if ctx is nil.
func (b *Barrier) WaitContext(ctx context.Context) (int, error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	return b.wait(ctx)
}

func (b *Barrier) wait(ctx context.Context) (int, error) {
	b.check()
	b.checkActor()
	b.mu.Lock()
	if b.broken.Load() {
		b.mu.Unlock()
		return -1, ErrBroken
	}
	index := int(b.count.Load())
	if index == b.parties-1 {
		return b.release(index)
	}
	if err := ctx.Err(); err != nil {
		b.breakLocked()
		b.mu.Unlock()
		return -1, err
	}
	b.count.Store(int64(index + 1))
	v, err := b.waiters.Wait(ctx, &b.mu, waiting, b.left)
	if err != nil {
		// ctx ended first: leave broke the barrier, or the goroutine that
		// dropped this waiter from the list did.
		return -1, err
	}
	if v != released {
		return -1, ErrBroken
	}
	return index, nil
}

// leave is the waiter list's left function: a waiting party's context ended
// while it was still queued, so the cycle can no longer complete. Called
// with mu held.
func (b *Barrier) leave(outcome) {
	b.breakLocked()
}

// release completes the cycle for the last party to arrive, whose index it
// is: it takes every other party off the list, runs the action and wakes
// them. Called with mu held; it returns without it.
func (b *Barrier) release(index int) (int, error) {
	want := b.waiters.Len()
	for w := b.waiters.PopFront(); w != nil; w = b.waiters.PopFront() {
		b.batch = append(b.batch, w)
	}
	if len(b.batch) < want {
		// PopFront dropped parties whose context had ended: they broke
		// the barrier before this party arrived.
		b.broken.Store(true)
		b.count.Store(0)
		b.wakeBatch(broken)
		b.mu.Unlock()
		return -1, ErrBroken
	}
	// Off the list, the other parties are this cycle's whatever their
	// contexts do now; mu, held until they are woken, keeps newcomers,
	// Abort and Reset out until the cycle is over.
	b.count.Store(int64(b.parties))
	var err error
	if b.action != nil {
		err = b.runAction()
	}
	b.count.Store(0)
	if err != nil {
		b.broken.Store(true)
		b.wakeBatch(broken)
		b.mu.Unlock()
		return -1, err
	}
	b.wakeBatch(released)
	b.mu.Unlock()
	return index, nil
}

// runAction calls the action with mu held. If the action panics (or calls
// runtime.Goexit), it breaks the barrier, wakes the parties in the batch
// with ErrBroken and unlocks mu on the way up.
func (b *Barrier) runAction() (err error) {
	b.actor.Store(goid.Get())
	returned := false
	defer func() {
		b.actor.Store(0)
		if !returned {
			b.count.Store(0)
			b.broken.Store(true)
			b.wakeBatch(broken)
			b.mu.Unlock()
		}
	}()
	err = b.action()
	returned = true
	return err
}

// wakeBatch hands o to every party in the batch, wakes it, and empties the
// batch. Called with mu held.
func (b *Barrier) wakeBatch(o outcome) {
	for _, w := range b.batch {
		w.Val = o
		w.Wake()
	}
	clear(b.batch)
	b.batch = b.batch[:0]
}

// breakLocked breaks the barrier: every waiting party returns ErrBroken
// (or its ctx.Err(), if its context ended first). Called with mu held.
func (b *Barrier) breakLocked() {
	b.broken.Store(true)
	b.failWaiters()
}

// failWaiters wakes every waiting party with ErrBroken and empties the
// cycle. Called with mu held.
func (b *Barrier) failWaiters() {
	for w := b.waiters.PopFront(); w != nil; w = b.waiters.PopFront() {
		w.Val = broken
		w.Wake()
	}
	b.count.Store(0)
}

// Abort breaks the barrier, like Python's abort: every party waiting now
// returns ErrBroken, and so does every later Wait until Reset. If another
// party is running the action, Abort waits until that cycle is over (the
// parties of that cycle are not affected). Aborting a broken barrier does
// nothing.
func (b *Barrier) Abort() {
	b.check()
	b.checkActor()
	b.mu.Lock()
	b.breakLocked()
	b.mu.Unlock()
}

// Reset returns the barrier to its initial state, empty and not broken, like
// Python's reset: every party waiting now returns ErrBroken, and later Waits
// start a new cycle. If another party is running the action, Reset waits
// until that cycle is over.
func (b *Barrier) Reset() {
	b.check()
	b.checkActor()
	b.mu.Lock()
	b.failWaiters()
	b.broken.Store(false)
	b.mu.Unlock()
}

// check panics if b is a zero Barrier.
func (b *Barrier) check() {
	if b.parties == 0 {
		panic(msgZero)
	}
}

// checkActor panics if the caller is the goroutine running b's action,
// which holds mu and would deadlock.
func (b *Barrier) checkActor() {
	if a := b.actor.Load(); a != 0 && a == goid.Get() {
		panic(msgInAction)
	}
}
