package condition

import (
	"sync"

	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

// kind says which lock a Condition is bound to, so the ownership checks and
// the release and restore in Wait can call it directly.
type kind uint8

const (
	kindZero    kind = iota // zero Condition: panics on use
	kindRLock               // *rlock.RLock: owner-checked, every level released
	kindLock                // *lock.Lock: Locked-checked
	kindMutex               // *sync.Mutex: TryLock-checked
	kindRWMutex             // *sync.RWMutex (write lock): TryLock-checked
	kindOther               // any other sync.Locker: unchecked
)

// heldLock is the lock a Condition is bound to, with typed views of it.
type heldLock struct {
	kind kind
	l    sync.Locker
	rl   *rlock.RLock
	lk   *lock.Lock
	mx   *sync.Mutex
	rw   *sync.RWMutex
}

func (h *heldLock) bind(l sync.Locker) {
	switch l := l.(type) {
	case nil:
		h.kind, h.rl = kindRLock, new(rlock.RLock)
		h.l = h.rl
		return
	case *rlock.RLock:
		h.kind, h.rl = kindRLock, l
		mustNotBeNil(l == nil, "*rlock.RLock")
	case *lock.Lock:
		h.kind, h.lk = kindLock, l
		mustNotBeNil(l == nil, "*lock.Lock")
	case *sync.Mutex:
		h.kind, h.mx = kindMutex, l
		mustNotBeNil(l == nil, "*sync.Mutex")
	case *sync.RWMutex:
		h.kind, h.rw = kindRWMutex, l
		mustNotBeNil(l == nil, "*sync.RWMutex")
	default:
		h.kind = kindOther
	}
	h.l = l
}

func mustNotBeNil(isNil bool, typ string) {
	if isNil {
		panic(msgNewNil + typ)
	}
}

// locker returns the lock, panicking on a zero Condition.
func (h *heldLock) locker() sync.Locker {
	if h.kind == kindZero {
		panic(msgZero)
	}
	return h.l
}

// mustHold panics with msg if the lock can tell the caller does not hold it,
// and with msgZero on a zero Condition. It changes nothing.
func (h *heldLock) mustHold(msg string) {
	switch h.kind {
	case kindZero:
		panic(msgZero)
	case kindRLock:
		if !h.rl.Owned() {
			panic(msg)
		}
	case kindLock:
		if !h.lk.Locked() {
			panic(msg)
		}
	case kindMutex:
		// Only detects a mutex nobody holds; a TryLock that fails on a
		// mutex in starvation hand-off errs on the side of not panicking.
		if h.mx.TryLock() {
			h.mx.Unlock()
			panic(msg)
		}
	case kindRWMutex:
		if h.rw.TryLock() {
			h.rw.Unlock()
			panic(msg)
		}
	}
}

// safeRelease reports whether release cannot panic once mustHold passed: an
// owned RLock can only be released by its owner, and the standard library's
// mutexes fail fatally rather than panic on a bad Unlock.
func (h *heldLock) safeRelease() bool {
	return h.kind != kindLock && h.kind != kindOther
}

// depth returns what release will return, without releasing: the
// caller's recursion depth on an RLock, else 1.
func (h *heldLock) depth() int {
	if h.kind == kindRLock {
		return h.rl.Count()
	}
	return 1
}

// release releases the lock completely and returns its depth for restore.
func (h *heldLock) release() int {
	switch h.kind {
	case kindRLock:
		n := h.rl.Count()
		for range n {
			h.rl.Unlock()
		}
		return n
	case kindLock:
		h.lk.Unlock()
	case kindMutex:
		h.mx.Unlock()
	case kindRWMutex:
		h.rw.Unlock()
	default:
		h.l.Unlock()
	}
	return 1
}

// restore re-acquires the lock to the depth release returned, blocking as
// long as it takes.
func (h *heldLock) restore(depth int) {
	switch h.kind {
	case kindRLock:
		for range depth {
			h.rl.Lock()
		}
	case kindLock:
		h.lk.Lock()
	case kindMutex:
		h.mx.Lock()
	case kindRWMutex:
		h.rw.Lock()
	default:
		h.l.Lock()
	}
}
