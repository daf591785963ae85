// Package mutex is the lock word and contended path behind lock.Lock and
// rlock.RLock, as internal/sync is behind sync.Mutex.
//
// A Mutex is a mutual exclusion lock whose state word also records an owner
// tag: lock.Lock uses tag 0 (nobody in particular owns it) and rlock.RLock
// the goroutine id, so that taking or releasing the lock and recording who
// holds it is one atomic compare-and-swap, never two operations with a
// window between them.
//
// The algorithm is sync.Mutex's: a newcomer may take a free lock ahead of
// parked waiters (barging), it spins a little while the holder runs, then
// parks in FIFO order on an internal/waitq list; a waiter overtaken for more
// than a millisecond switches the lock into starvation mode, in which Unlock
// hands the lock (and the tag) directly to the front waiter. Cancellation of
// a parked waiter goes through waitq's Wait, and the context that ended first
// wins: an Unlock passes over waiters whose context has ended, and a woken
// waiter that finds its context done passes the wake-up on, so nothing is
// ever lost.
package mutex

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncprim/syncprim/internal/waitq"
)

// Mutex is a mutual exclusion lock with an owner tag. The zero value is
// unlocked. A Mutex must not be copied after first use.
type Mutex struct {
	// state is the lock word: the locked, starving and waiters bits and,
	// above TagShift, the holder's tag. The waiters and starving bits change
	// only with the slow path's mu held (waiters is set exactly when its q is
	// not empty); the locked bit and the tag also change without it. Every change is a
	// compare-and-swap of the whole word.
	state atomic.Uint64
	// woken is set while a waiter that an Unlock woke is running and
	// competing for the lock, so that other Unlocks need not wake another.
	// It lives outside state so that the fast paths, which compare the whole
	// word, keep working while the woken waiter is on its way. It is set
	// only with mu held, and cleared by the woken waiter.
	woken atomic.Bool
	// slow holds what only contention needs, allocated by the first
	// goroutine that has to park, so that an uncontended Mutex stays small.
	slow atomic.Pointer[slowPath]
}

// slowPath is a Mutex's waiter queue and the mutex that guards it.
type slowPath struct {
	mu sync.Mutex // guards q
	q  waitq.List[waiting]
}

// slowPath returns m's slow path, allocating it on first use.
func (m *Mutex) slowPath() *slowPath {
	if sp := m.slow.Load(); sp != nil {
		return sp
	}
	sp := new(slowPath)
	if m.slow.CompareAndSwap(nil, sp) {
		return sp
	}
	return m.slow.Load()
}

// waiting is what a parked goroutine and the goroutine that wakes it share.
type waiting struct {
	tag     uint64    // the waiter's owner tag, installed on hand-off
	since   time.Time // when the waiter first queued, for starvation mode
	handoff bool      // the waker transferred the lock; the waiter holds it
}

const (
	locked = 1 << iota // held
	// starving: Unlock hands the lock to the front waiter directly, and
	// newcomers do not take it. Set only while the lock is held and waiters
	// are queued; cleared when the queue empties.
	starving
	// waiters: q is not empty.
	waiters

	// TagShift is where the owner tag starts in the state word.
	TagShift = iota
	// MaxTag is the largest owner tag a Mutex can record.
	MaxTag   = 1<<(64-TagShift) - 1
	flagMask = 1<<TagShift - 1

	// spinRounds bounds active spinning before a goroutine parks.
	spinRounds = 4
	// spinPause is the length of one spin round in pause steps (about 4
	// cycles each, so a round lasts roughly what the runtime's 30 PAUSE
	// instructions last for sync.Mutex).
	spinPause = 600
)

// starvationThreshold is how long a waiter may be overtaken before the lock
// switches to direct hand-off (sync.Mutex uses the same). A variable only so
// that tests can force starvation mode.
var starvationThreshold = time.Millisecond

// canSpin reports whether spinning can help: with one P the holder cannot
// run while we spin. It follows GOMAXPROCS, which a program may change, and
// is asked once per contended acquisition, not per spin round.
func canSpin() bool { return runtime.GOMAXPROCS(0) > 1 }

// Lock locks m for the owner tag, blocking until it is available.
func (m *Mutex) Lock(tag uint64) {
	if !m.state.CompareAndSwap(0, tag<<TagShift|locked) {
		m.lockBlocking(tag)
	}
}

// lockBlocking is Lock's contended path, out of line to keep Lock inlinable.
//
//go:noinline
func (m *Mutex) lockBlocking(tag uint64) {
	_ = m.lockSlow(context.Background(), tag)
}

// TryLock locks m for tag if it is free and nobody is being handed it, and
// reports whether it did.
func (m *Mutex) TryLock(tag uint64) bool {
	old := m.state.Load()
	if old&(locked|starving) != 0 {
		return false
	}
	return m.state.CompareAndSwap(old, old|locked|tag<<TagShift)
}

// LockContext locks m for tag, blocking until it is available or ctx is
// done. On failure it returns ctx.Err() and leaves m unchanged. It does not
// look at ctx when m is free: the caller decides what a done context means
// then.
func (m *Mutex) LockContext(ctx context.Context, tag uint64) error {
	if m.state.CompareAndSwap(0, tag<<TagShift|locked) {
		return nil
	}
	return m.lockSlow(ctx, tag)
}

// UnlockFast unlocks m and reports true if m is held with tag and nobody
// waits; otherwise it changes nothing and the caller must call UnlockSlow.
// Split from Unlock so that callers with their own panic stay inlinable.
func (m *Mutex) UnlockFast(tag uint64) bool {
	return m.state.CompareAndSwap(tag<<TagShift|locked, 0)
}

// Locked reports whether m is locked.
func (m *Mutex) Locked() bool {
	return m.state.Load()&locked != 0
}

// Owner returns the tag of m's holder, or 0 if m is not locked (so a
// caller that uses 0 as a tag cannot tell the two apart).
func (m *Mutex) Owner() uint64 {
	return m.state.Load() >> TagShift
}

// lockSlow is the contended path: spin briefly while the holder runs, then
// park in FIFO order. awoke means an Unlock woke this goroutine and set
// m.woken for it: it must clear m.woken on every way out.
func (m *Mutex) lockSlow(ctx context.Context, tag uint64) error {
	var since time.Time
	awoke := false
	spins := 0
	maxSpins := 0
	if canSpin() {
		maxSpins = spinRounds
	}
	own := tag<<TagShift | locked
	old := m.state.Load()
	for {
		// Spin while the lock is held in normal mode: the holder may release
		// it soon, and taking it now is cheaper than parking.
		if old&(locked|starving) == locked && spins < maxSpins {
			spins++
			//lint:ignore SA4017 pause is called for the time it takes
			pause(spinPause)
			old = m.state.Load()
			continue
		}
		if old&(locked|starving) == 0 {
			if m.state.CompareAndSwap(old, old|own) {
				if awoke {
					// We hold the lock, so no Unlock can run before this
					// store and wrongly skip a wake-up.
					m.woken.Store(false)
				}
				return nil
			}
			old = m.state.Load()
			continue
		}
		// The lock is taken: give up if ctx has ended, otherwise park.
		if err := ctx.Err(); err != nil {
			if awoke {
				m.dropWoken()
			}
			return err
		}
		if since.IsZero() {
			since = time.Now()
		}
		handoff, ok, err := m.park(ctx, tag, since, awoke)
		if err != nil {
			return err
		}
		if handoff {
			return nil
		}
		// ok: an Unlock woke us and set m.woken for us. !ok: the lock was
		// free before we could queue, and park cleared m.woken if we had it.
		awoke = ok
		spins = 0
		old = m.state.Load()
	}
}

// dropWoken gives up the wake-up of a woken waiter whose context has ended,
// passing it on as if the waiter had never been woken.
func (m *Mutex) dropWoken() {
	sp := m.slowPath()
	sp.mu.Lock()
	m.passWokenLocked()
	sp.mu.Unlock()
}

// passWokenLocked clears m.woken, which its caller held, and wakes the next
// waiter if the lock is free: an Unlock that skipped a wake-up because
// m.woken was set did so before now (wakes need sp.mu, held here), and a
// holder's later Unlock will see m.woken clear.
func (m *Mutex) passWokenLocked() {
	m.woken.Store(false)
	if m.state.Load()&(locked|starving) == 0 {
		m.wakeLocked()
	}
}

// park queues the caller and blocks until it is woken or ctx ends. It
// returns handoff when an Unlock in starvation mode transferred the lock
// (with tag installed), ok when an Unlock woke the caller to compete again
// (m.woken is then set for it), and neither when the lock turned out to be
// free before the caller could queue. A caller that was awoke gives up
// m.woken here either way. A non-nil error means ctx ended first and the
// caller left the line having changed nothing.
func (m *Mutex) park(ctx context.Context, tag uint64, since time.Time, awoke bool) (handoff, ok bool, err error) {
	sp := m.slowPath()
	sp.mu.Lock()
	if awoke {
		// Before we become a waiter: an Unlock that sees our waiters bit
		// must also see that nobody is awake, and then it waits for mu.
		m.woken.Store(false)
	}
	starve := time.Since(since) > starvationThreshold
	for {
		old := m.state.Load()
		if old&locked == 0 {
			// Released meanwhile (starving is never set on a free lock).
			sp.mu.Unlock()
			return false, false, nil
		}
		n := old | waiters
		if starve {
			n |= starving
		}
		if m.state.CompareAndSwap(old, n) {
			break
		}
	}
	var got waiting
	if awoke {
		// A waiter that was woken and lost the race keeps its place in line.
		got, err = sp.q.WaitFront(ctx, &sp.mu, waiting{tag: tag, since: since}, m.undoWait)
	} else {
		got, err = sp.q.Wait(ctx, &sp.mu, waiting{tag: tag, since: since}, m.undoWait)
	}
	if err != nil {
		return false, false, err
	}
	return got.handoff, !got.handoff, nil
}

// undoWait repairs m, under sp.mu, for a parked waiter that left the line
// because its context ended: if it was the last, the waiters and starving
// bits must go.
func (m *Mutex) undoWait(waiting) {
	if m.slow.Load().q.Len() == 0 {
		m.clearFlags(waiters | starving)
	}
}

// clearFlags clears the given flag bits.
func (m *Mutex) clearFlags(f uint64) {
	for {
		old := m.state.Load()
		if m.state.CompareAndSwap(old, old&^f) {
			return
		}
	}
}

// UnlockSlow is Unlock's path when waiters are queued, the tag differs from
// the caller's guess, or m is not locked at all (then it changes nothing and
// reports false).
func (m *Mutex) UnlockSlow() bool {
	for {
		old := m.state.Load()
		if old&locked == 0 {
			return false
		}
		if old&starving != 0 {
			sp := m.slowPath()
			sp.mu.Lock()
			// Starvation mode may have ended before we got mu (the last
			// waiter gave up); then go round again.
			handed := m.state.Load()&starving != 0
			if handed {
				m.handOffLocked()
			}
			sp.mu.Unlock()
			if handed {
				return true
			}
			continue
		}
		n := old & flagMask &^ locked
		if m.state.CompareAndSwap(old, n) {
			if n&waiters != 0 && !m.woken.Load() {
				sp := m.slowPath()
				sp.mu.Lock()
				m.wakeLocked()
				sp.mu.Unlock()
			}
			return true
		}
	}
}

// handOffLocked passes the held lock in starvation mode to the front waiter,
// installing its tag, without ever marking the lock free, so no newcomer
// can take it in between. If every waiter's context has ended, it unlocks
// instead. sp.mu is held and m is starving, which implies queued waiters;
// neither changes while sp.mu is held.
func (m *Mutex) handOffLocked() {
	sp := m.slow.Load()
	w := sp.q.PopFront() // passes over waiters whose context ended
	var clear uint64
	switch {
	case w == nil:
		clear = locked | waiters | starving
	case sp.q.Len() == 0:
		clear = waiters | starving
	case time.Since(w.Val.since) <= starvationThreshold:
		clear = starving // the front waiter was not kept waiting long
	}
	for {
		old := m.state.Load()
		n := old & flagMask &^ clear
		if w != nil {
			n |= w.Val.tag << TagShift
		}
		if m.state.CompareAndSwap(old, n) {
			break
		}
	}
	if w != nil {
		w.Val.handoff = true
		w.Wake()
	}
}

// wakeLocked wakes the front waiter to compete for the lock, unless the lock
// has been taken again (its holder's Unlock will wake someone), a waiter is
// awake already, or no waiter whose context is alive is left. sp.mu is held.
func (m *Mutex) wakeLocked() {
	sp := m.slow.Load()
	for !m.woken.Load() {
		old := m.state.Load()
		if old&waiters == 0 || old&(locked|starving) != 0 {
			return
		}
		w := sp.q.Front() // passes over waiters whose context ended
		n := old
		if w == nil || sp.q.Len() == 1 {
			n &^= waiters
		}
		if m.state.CompareAndSwap(old, n) {
			if w == nil {
				return
			}
			m.woken.Store(true)
			sp.q.Take(w)
			w.Val.handoff = false
			w.Wake()
			return
		}
	}
}

// Waiters returns the number of goroutines parked on m, for tests and
// diagnostics.
func (m *Mutex) Waiters() int {
	sp := m.slow.Load()
	if sp == nil {
		return 0
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.q.Len()
}

// Starving reports whether m is in starvation mode, for tests and
// diagnostics.
func (m *Mutex) Starving() bool {
	return m.state.Load()&starving != 0
}

// pause busy-waits for n short steps without touching shared memory. It
// stands in for the PAUSE-instruction loop the runtime spins with for
// sync.Mutex, which user code cannot reach. Polling the lock word instead
// would keep pulling its cache line away from the goroutine that holds the
// lock and is about to release it.
//
//go:noinline
func pause(n int) uint32 {
	x := uint32(n)
	for range n {
		x = x*1664525 + 1013904223 // a dependent chain the CPU cannot skip
	}
	return x // returned so that the loop cannot be dropped
}
