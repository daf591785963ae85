// Package rlock provides [RLock], Python's threading.RLock for Go: a reentrant
// mutual exclusion lock owned by the goroutine that locked it.
//
// The owning goroutine may lock an RLock again without blocking; each Lock
// must be balanced by an Unlock, and the RLock is released when the last
// one runs. Only the owner may unlock: an Unlock by any other goroutine, or
// of an RLock nobody holds, panics with
// "rlock: unlock of RLock not held by this goroutine" and changes nothing.
//
// Ownership is the goroutine's identity (Python's is the thread's), read
// in a few nanoseconds and recorded in the lock word
// itself, so acquiring an RLock and becoming its owner is one atomic step.
// A goroutine must therefore release an RLock itself; handing a held RLock
// to another goroutine, as a [github.com/syncprim/syncprim/lock.Lock]
// allows, is not possible. [RLock.Owned] and [RLock.Count] tell the caller
// whether it holds the RLock and how deeply.
//
// # Cost
//
// Every operation reads the caller's goroutine id once, in a few
// nanoseconds. An uncontended Lock+Unlock is those two reads plus the two
// compare-and-swaps of a sync.Mutex, so it costs more than sync.Mutex but
// less than twice as much; each further recursion level (a Lock and an
// Unlock by the owner) costs a few nanoseconds and takes no atomic
// read-modify-write. None of these allocates; a goroutine that must park
// allocates its waiter (about 150 bytes), which nothing keeps after it
// returns. Measured costs are in the benchmarks/results/latest.md file in the repository.
//
// # testing/synctest
//
// An RLock parks waiters like a lock.Lock and keeps nothing of a wait
// after it returns: one RLock may be used in bubble after bubble, and a
// goroutine parked in Lock or LockContext is durably blocked.
//
// # Memory model
//
// For any RLock r, the Unlock that releases r (the one that brings the
// owner's count to zero) synchronizes before the return of any later Lock,
// TryLock or LockContext that acquires r, as for sync.Mutex. Reentrant
// calls by the owner establish no new ordering; none is needed.
package rlock

import (
	"context"

	"github.com/syncprim/syncprim/internal/goid"
	"github.com/syncprim/syncprim/internal/mutex"
)

// RLock is a reentrant mutual exclusion lock, Python's threading.RLock. The
// zero value is an unlocked RLock. An RLock must not be copied after first
// use (go vet reports copies).
//
// Blocking acquisition, fairness and starvation freedom are those of
// lock.Lock: RLock runs the same algorithm, with the owner's goroutine id as
// the lock word's tag.
type RLock struct {
	m     mutex.Mutex // tag: the owner's goroutine id
	count int         // recursion depth; read and written only by the owner
}

// The panic messages.
const (
	msgNilContext = "rlock: nil Context"
	msgNotHeld    = "rlock: unlock of RLock not held by this goroutine"
)

// self returns the calling goroutine's id as a tag. Goroutine ids count up
// from 1 and stay far below mutex.MaxTag (2^61).
//
// The hot paths (Lock, TryLock, LockContext, Unlock) spell self out with
// goid.FastGet instead of calling it: FastGet inlines, self cannot, and the
// call saved is a measurable part of a recursion level.
func self() uint64 {
	id, ok := goid.FastGet()
	if !ok {
		id = goid.Get()
	}
	return uint64(id)
}

// Lock locks r. If the calling goroutine already holds r, Lock increases its
// recursion depth by one and returns at once; otherwise it blocks until r is
// available. Lock cannot be cancelled; use LockContext for that.
func (r *RLock) Lock() {
	id, ok := goid.FastGet()
	if !ok {
		id = goid.Get()
	}
	me := uint64(id)
	if r.m.Owner() != me {
		r.m.Lock(me)
	}
	r.count++
}

// TryLock tries to lock r without blocking and reports whether it
// succeeded. It always succeeds for the goroutine that holds r, increasing
// the recursion depth.
func (r *RLock) TryLock() bool {
	id, ok := goid.FastGet()
	if !ok {
		id = goid.Get()
	}
	me := uint64(id)
	if r.m.Owner() != me && !r.m.TryLock(me) {
		return false
	}
	r.count++
	return true
}

// LockContext locks r like Lock, blocking until r is available or ctx is
// done. On success it returns nil. On failure it returns ctx.Err() and
// leaves r unchanged.
//
// A re-entry by the goroutine that holds r takes one more level of r, so,
// like every operation that takes something, it fails with ctx.Err() when
// ctx is already done (the recursion depth stays as it was), and otherwise
// succeeds at once. The context that ended first wins: an Unlock made after
// ctx ended passes this caller over. LockContext panics if ctx is nil.
func (r *RLock) LockContext(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	id, ok := goid.FastGet()
	if !ok {
		id = goid.Get()
	}
	me := uint64(id)
	if r.m.Owner() != me {
		if err := r.m.LockContext(ctx, me); err != nil {
			return err
		}
	}
	r.count++
	return nil
}

// Unlock undoes one Lock by the calling goroutine, releasing r when the
// recursion depth reaches zero. It panics with
// "rlock: unlock of RLock not held by this goroutine" if the calling
// goroutine does not hold r, changing nothing.
func (r *RLock) Unlock() {
	id, ok := goid.FastGet()
	if !ok {
		id = goid.Get()
	}
	me := uint64(id)
	if r.m.Owner() != me {
		panic(msgNotHeld)
	}
	if r.count--; r.count == 0 && !r.m.UnlockFast(me) {
		r.m.UnlockSlow()
	}
}

// Locked reports whether r is held by any goroutine. The answer may be
// stale by the time the caller looks at it, unless the caller is the owner.
func (r *RLock) Locked() bool {
	return r.m.Locked()
}

// Owned reports whether the calling goroutine holds r.
func (r *RLock) Owned() bool {
	return r.m.Owner() == self()
}

// Count returns the calling goroutine's recursion depth on r: the number of
// Unlock calls that would release r, or 0 if the caller does not hold it.
func (r *RLock) Count() int {
	if r.m.Owner() != self() {
		return 0
	}
	return r.count
}
