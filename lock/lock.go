// Package lock provides Lock, Python's threading.Lock for Go: a mutual
// exclusion lock that any goroutine may release, whose acquisition can be
// tried without blocking or bounded by a context, and whose misuse panics
// with a recoverable error instead of killing the program.
//
// A [Lock] behaves like [sync.Mutex] on the fast path (one atomic
// compare-and-swap to lock, one to unlock, no allocation) and adds what
// Python's Lock has and sync.Mutex has not: [Lock.LockContext], which gives
// up when its context ends without consuming the lock, [Lock.Locked], which
// reports the state, and a [Lock.Unlock] of an unlocked Lock that panics with
// "lock: unlock of unlocked Lock" and leaves the Lock as it was.
//
// # Fairness
//
// Like sync.Mutex, a Lock lets a goroutine that arrives while the Lock is
// free take it ahead of goroutines already parked in Lock, because handing
// the Lock to a sleeping goroutine costs a context switch. No waiter starves:
// a waiter that has waited longer than a millisecond switches the Lock into
// starvation mode, in which every Unlock hands the Lock directly to the
// longest waiter and newcomers queue behind it.
//
// # Cost
//
// Lock and Unlock are inlined into the caller; uncontended, a Lock+Unlock
// pair is two compare-and-swaps, allocates nothing and costs what it costs
// for sync.Mutex: a few nanoseconds. LockContext adds a ctx.Err call. Under
// contention a Lock spins briefly and then parks. A Lock takes 24 bytes;
// the queue for parked goroutines is allocated the first time one has to
// wait and kept, and every goroutine that parks allocates its waiter (about
// 150 bytes), which nothing keeps after it returns. Measured costs, beside
// sync.Mutex in the same run, are in the benchmarks/results/latest.md file in the repository.
//
// # testing/synctest
//
// A Lock keeps nothing of a wait after it returns, so one Lock may be used
// in bubble after bubble and outside bubbles in between. A goroutine parked
// in Lock or LockContext is durably blocked. The same holds for an
// [github.com/syncprim/syncprim/rlock.RLock].
//
// # Memory model
//
// For any Lock l, the n'th successful call to l.Unlock synchronizes before
// the return of the m'th successful l.Lock, l.TryLock or l.LockContext for
// any n < m, as for sync.Mutex. A failed TryLock or LockContext establishes
// no ordering.
package lock

import (
	"context"

	"github.com/syncprim/syncprim/internal/mutex"
)

// The panic messages.
const (
	msgNilContext     = "lock: nil Context"
	msgUnlockUnlocked = "lock: unlock of unlocked Lock"
)

// Lock is a mutual exclusion lock, Python's threading.Lock. The zero value is
// an unlocked Lock.
//
// A Lock is not owned by a goroutine: one goroutine may lock it and another
// unlock it. A Lock must not be copied after first use (go vet reports
// copies).
type Lock struct {
	m mutex.Mutex // tag 0: a Lock has no owner
}

// Lock locks l. If l is already locked, Lock blocks until it is available.
// Lock cannot be cancelled; use LockContext for that.
func (l *Lock) Lock() {
	l.m.Lock(0)
}

// TryLock tries to lock l without blocking and reports whether it succeeded.
// It fails while l is locked, including while an Unlock in starvation mode
// is handing l to a waiter. Like sync.Mutex's TryLock, it may take a free
// Lock ahead of goroutines parked in Lock.
func (l *Lock) TryLock() bool {
	return l.m.TryLock(0)
}

// LockContext locks l, blocking until it is available or ctx is done. On
// success it returns nil. On failure it returns ctx.Err() and leaves l
// unchanged; in particular it fails when ctx is already done, even if l is
// free, so a loop around LockContext stops once its context ends.
//
// The context that ended first wins: an Unlock made after ctx ended passes
// this caller over, so LockContext returns ctx.Err() and the Lock goes to
// the next waiter or stays free, as if this caller had never waited. The
// Lock is never lost. LockContext panics if ctx is nil.
func (l *Lock) LockContext(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.m.LockContext(ctx, 0)
}

// Unlock unlocks l. Any goroutine may unlock l, not only the one that locked
// it. Unlock panics with "lock: unlock of unlocked Lock" if l is not locked,
// leaving l unchanged. If goroutines are blocked in Lock, Unlock lets one of
// them proceed.
func (l *Lock) Unlock() {
	if !l.m.UnlockFast(0) {
		l.unlockSlow()
	}
}

// unlockSlow is kept out of line so that Unlock stays inlinable.
//
//go:noinline
func (l *Lock) unlockSlow() {
	if !l.m.UnlockSlow() {
		panic(msgUnlockUnlocked)
	}
}

// Locked reports whether l is locked. The answer may be stale by the time the
// caller looks at it; it is meant for assertions and diagnostics.
func (l *Lock) Locked() bool {
	return l.m.Locked()
}
