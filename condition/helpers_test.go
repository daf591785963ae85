package condition_test

import (
	"errors"
	"runtime"
	"sync"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

// chanLocker is a sync.Locker the Condition knows nothing about.
type chanLocker chan struct{}

func newChanLocker() chanLocker { return make(chanLocker, 1) }
func (l chanLocker) Lock()      { l <- struct{}{} }
func (l chanLocker) Unlock()    { <-l }

// kinds are the locks every behaviour is checked over.
var kinds = []struct {
	name string
	new  func() *condition.Condition
}{
	{"New(nil)", func() *condition.Condition { return condition.New(nil) }},
	{"rlock.RLock", func() *condition.Condition { return condition.New(new(rlock.RLock)) }},
	{"lock.Lock", func() *condition.Condition { return condition.New(new(lock.Lock)) }},
	{"sync.Mutex", func() *condition.Condition { return condition.New(new(sync.Mutex)) }},
	{"sync.RWMutex", func() *condition.Condition { return condition.New(new(sync.RWMutex)) }},
	{"other Locker", func() *condition.Condition { return condition.New(newChanLocker()) }},
}

// holds reports whether c's lock is held (by the caller, for an RLock).
func holds(c *condition.Condition) bool {
	switch l := c.Locker().(type) {
	case *rlock.RLock:
		return l.Owned()
	case *lock.Lock:
		return l.Locked()
	case *sync.Mutex:
		if l.TryLock() {
			l.Unlock()
			return false
		}
		return true
	case *sync.RWMutex:
		if l.TryLock() {
			l.Unlock()
			return false
		}
		return true
	case chanLocker:
		return len(l) == 1
	}
	panic("unknown lock")
}

// checkable reports whether c's lock lets misuse be detected.
func checkable(c *condition.Condition) bool {
	_, other := c.Locker().(chanLocker)
	return !other
}

var errNotHeld = errors.New("lock not held after Wait returned")

// yield lets other goroutines run.
func yield() { runtime.Gosched() }
