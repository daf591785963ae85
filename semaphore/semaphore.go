// Package semaphore provides Semaphore, Go's counterpart of Python's
// threading.Semaphore and threading.BoundedSemaphore, with weighted,
// first-in first-out acquisition like golang.org/x/sync/semaphore.
//
// Compared with Python:
//
//	s = threading.Semaphore(3)          s := semaphore.New(3)
//	s = threading.BoundedSemaphore(3)   s := semaphore.NewBounded(3)
//	s.acquire()                         s.Acquire()
//	s.acquire(blocking=False)           s.TryAcquire()
//	s.acquire(timeout=1.0)              ctx, cancel := context.WithTimeout(ctx, time.Second)
//	                                    err := s.AcquireContext(ctx)
//	s.release(n)                        s.ReleaseN(n)
//	s._value                            s.Value()
//
// AcquireN and TryAcquireN take several permits at once, all or none, which
// Python's Semaphore cannot do.
package semaphore

import (
	"context"
	"math"
	"sync"
	"sync/atomic"

	"github.com/syncprim/syncprim/internal/waitq"
)

// queued is the bit of Semaphore.state that says goroutines are waiting.
// While it is set, the count changes only under Semaphore.mu.
const queued = uint64(1) << 63

// maxValue is the largest number of available permits a Semaphore holds: as
// many as Value can report.
const maxValue = int64(math.MaxInt)

// The panic messages.
const (
	msgNegativeValue = "semaphore: negative initial value"
	msgNegativeCount = "semaphore: negative count"
	msgReleasedMore  = "semaphore: released too many times"
	msgOverflow      = "semaphore: release overflows the permit count"
	msgAboveBound    = "semaphore: acquire of more permits than the bound of a bounded semaphore"
	msgNilContext    = "semaphore: nil Context"
)

// Semaphore is a counting semaphore, like Python's threading.Semaphore, or
// with NewBounded like threading.BoundedSemaphore. The zero value has no
// permits and no bound: Acquire blocks until some goroutine calls Release.
//
// Waiters are served first-in first-out, each taking all the permits it asks
// for at once or none: a large request at the head of the line is not
// overtaken by later small ones, and the try-forms fail while anyone waits,
// so a stream of TryAcquire calls cannot starve the line.
//
// Memory model: a Release synchronizes before an Acquire that takes the
// permits it released returns (for every form of Release and Acquire).
//
// Uncontended Acquire and Release are a single compare-and-swap each and do
// not allocate, cheaper than x/sync's Weighted; only goroutines that must
// wait, and releases while goroutines wait, take the internal mutex. A
// goroutine that must wait allocates its waiter record, about 150 bytes,
// and the semaphore keeps nothing of it afterwards. Measured costs, beside
// x/sync's Weighted in the same run, are in the benchmarks/results/latest.md file in the repository.
//
// A Semaphore must not be copied after first use.
type Semaphore struct {
	// state is the number of available permits, with the queued bit set
	// while goroutines wait. Without the bit, any goroutine may change it by
	// compare-and-swap; with it, only the holder of mu.
	state   atomic.Uint64
	bound   int64 // the largest Value of a bounded semaphore
	bounded bool
	// limitGap is maxValue-bound for a bounded semaphore, 0 otherwise, so
	// that Release's fast path reads one field and the zero value works.
	limitGap uint64

	mu      sync.Mutex
	waiters waitq.List[int] // guarded by mu; each waiter's Val is the count it asks for
}

// New returns a semaphore with n available permits and no bound, like
// Python's Semaphore(n). It panics if n < 0.
func New(n int) *Semaphore {
	if n < 0 {
		panic(msgNegativeValue)
	}
	s := &Semaphore{}
	s.state.Store(uint64(n))
	return s
}

// NewBounded returns a semaphore with n available permits that can never
// have more than n, like Python's BoundedSemaphore(n): a Release that would
// raise Value above n panics, and AcquireN of more than n panics because it
// could never succeed. NewBounded panics if n < 0.
func NewBounded(n int) *Semaphore {
	s := New(n)
	s.bound, s.bounded = int64(n), true
	s.limitGap = uint64(maxValue - int64(n))
	return s
}

// Value returns the number of permits available now (Python's _value). While
// goroutines wait, it is the number not yet granted to them, which is less
// than the head of the line asks for.
func (s *Semaphore) Value() int {
	return int(s.state.Load() &^ queued)
}

// Acquire takes one permit, blocking until one is available and every
// goroutine that asked before it has been served; AcquireContext is the form
// that can give up. Acquire panics on a semaphore bounded at 0, which could
// never grant it.
func (s *Semaphore) Acquire() {
	// int64(v) > 0: at least one permit and the queued bit clear.
	if v := s.state.Load(); int64(v) > 0 && s.state.CompareAndSwap(v, v-1) {
		return
	}
	_ = s.acquire(context.Background(), 1) // cannot fail: Background never ends
}

// TryAcquire takes one permit if it can without blocking and reports whether
// it did. It fails while other goroutines are waiting, even if a permit is
// available, so that it cannot overtake them.
func (s *Semaphore) TryAcquire() bool {
	return s.TryAcquireN(1)
}

// AcquireContext takes one permit, blocking until one is available (and every
// goroutine that asked before it has been served) or ctx is done. On success,
// it returns nil. On failure, it returns ctx.Err() and leaves the semaphore
// unchanged. It fails if ctx is done on entry, even if a permit is available.
// It is AcquireN(ctx, 1).
func (s *Semaphore) AcquireContext(ctx context.Context) error {
	return s.AcquireN(ctx, 1)
}

// AcquireN takes n permits at once, blocking until they are available and
// every goroutine that asked before it has been served, or until ctx is done.
// On success, it returns nil. On failure, it returns ctx.Err() and leaves the
// semaphore unchanged: if it was at the head of the line, the waiters behind
// it that now fit are served. It fails if ctx is done on entry, even if the
// permits are available. The context that ended first wins: if ctx ended
// before the Release that would have served this caller, AcquireN returns
// ctx.Err() and the permits go to the next waiters or stay available, as if
// it had never queued.
//
// AcquireN(ctx, 0) does nothing and returns nil. AcquireN panics if ctx is
// nil, if n < 0, or if the semaphore is bounded and n exceeds its bound,
// since it could never succeed.
func (s *Semaphore) AcquireN(ctx context.Context, n int) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	if n <= 0 {
		if n < 0 {
			panic(msgNegativeCount)
		}
		return nil
	}
	if s.bounded && int64(n) > s.bound {
		panic(msgAboveBound)
	}
	if done := ctx.Done(); done != nil {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
	}
	if v := s.state.Load(); v&queued == 0 && v >= uint64(n) && s.state.CompareAndSwap(v, v-uint64(n)) {
		return nil
	}
	return s.acquire(ctx, n)
}

// TryAcquireN takes n permits at once if it can without blocking and reports
// whether it did. It fails while other goroutines are waiting, even if the
// permits are available, and for a request above a bounded semaphore's bound
// (it cannot block, so it does not panic). TryAcquireN(0) returns true; it
// panics if n < 0.
func (s *Semaphore) TryAcquireN(n int) bool {
	if n <= 0 {
		if n < 0 {
			panic(msgNegativeCount)
		}
		return true
	}
	for {
		v := s.state.Load()
		if v&queued != 0 || v < uint64(n) {
			return false
		}
		if s.state.CompareAndSwap(v, v-uint64(n)) {
			return true
		}
	}
}

// Release returns one permit, waking the longest waiter if it now has all it
// asked for. It panics, changing nothing, if the semaphore is bounded and
// already holds its bound, or if the count would overflow.
func (s *Semaphore) Release() {
	// v below the limit: room for one more and the queued bit clear.
	if v := s.state.Load(); v < uint64(maxValue)-s.limitGap && s.state.CompareAndSwap(v, v+1) {
		return
	}
	s.ReleaseN(1)
}

// ReleaseN returns n permits, waking as many waiters, from the head of the
// line, as now have all they asked for. Any goroutine may release: Python's
// semaphores have no owner. ReleaseN(0) does nothing; ReleaseN panics,
// changing nothing, if n < 0, if a bounded semaphore would exceed its bound
// (Python's "Semaphore released too many times"), or if the count would
// overflow.
func (s *Semaphore) ReleaseN(n int) {
	if n <= 0 {
		if n < 0 {
			panic(msgNegativeCount)
		}
		return
	}
	for {
		v := s.state.Load()
		if v&queued != 0 {
			if s.releaseLocked(n) {
				return
			}
			continue // the line emptied meanwhile: back to the fast path
		}
		s.checkRelease(int64(v), n)
		if s.state.CompareAndSwap(v, v+uint64(n)) {
			return
		}
	}
}

// checkRelease panics if adding n permits to avail is not allowed.
func (s *Semaphore) checkRelease(avail int64, n int) {
	if s.bounded && int64(n) > s.bound-avail {
		panic(msgReleasedMore)
	}
	if int64(n) > maxValue-avail {
		panic(msgOverflow)
	}
}

// releaseLocked is ReleaseN while waiters are queued. It reports false,
// having done nothing, if the queue emptied before it took the mutex.
func (s *Semaphore) releaseLocked(n int) bool {
	s.mu.Lock()
	v := s.state.Load()
	if v&queued == 0 {
		s.mu.Unlock()
		return false
	}
	avail := int64(v &^ queued)
	if s.bounded && int64(n) > s.bound-avail || int64(n) > maxValue-avail {
		s.mu.Unlock()
		s.checkRelease(avail, n) // panics
	}
	s.grantLocked(avail + int64(n))
	s.mu.Unlock()
	return true
}

// grantLocked hands avail permits to the waiters at the head of the line that
// fit, in order (passing over those whose context has ended), and stores what is left, clearing the queued bit if nobody
// waits any more. s.mu is held and the queued bit is set, so no fast path
// changes state meanwhile.
func (s *Semaphore) grantLocked(avail int64) {
	for w := s.waiters.Front(); w != nil && int64(w.Val) <= avail; w = s.waiters.Front() {
		avail -= int64(w.Val)
		s.waiters.Take(w)
		w.Wake()
	}
	v := uint64(avail)
	if s.waiters.Len() > 0 {
		v |= queued
	}
	s.state.Store(v)
}

// acquire is the slow path of every blocking acquisition of n > 0 permits.
func (s *Semaphore) acquire(ctx context.Context, n int) error {
	if s.bounded && int64(n) > s.bound {
		panic(msgAboveBound)
	}
	// Lose no time on the mutex if only a compare-and-swap failed.
	for {
		v := s.state.Load()
		if v&queued != 0 || v < uint64(n) {
			break
		}
		if s.state.CompareAndSwap(v, v-uint64(n)) {
			return nil
		}
	}
	s.mu.Lock()
	for {
		v := s.state.Load()
		if v&queued != 0 {
			break // waiters already; the state is ours under mu
		}
		if v >= uint64(n) {
			if s.state.CompareAndSwap(v, v-uint64(n)) {
				s.mu.Unlock()
				return nil
			}
			continue
		}
		// From now on the fast paths leave state to the mutex holder.
		if s.state.CompareAndSwap(v, v|queued) {
			break
		}
	}
	_, err := s.waiters.Wait(ctx, &s.mu, n, s.undoAcquire)
	return err
}

// undoAcquire runs under s.mu for a waiter for n permits that left the
// line because its context ended: if it was the head, the waiters behind it
// may fit now; if it was the last, the queued bit must go.
func (s *Semaphore) undoAcquire(int) {
	s.grantLocked(int64(s.state.Load() &^ queued))
}
