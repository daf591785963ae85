package testutil

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
)

// ContextLocker is a lock with a cancellable form, as lock.Lock and
// rlock.RLock are; Waiters reports how many goroutines are parked on it.
type ContextLocker interface {
	sync.Locker
	TryLock() bool
	LockContext(ctx context.Context) error
	Waiters() int
}

// LockContextCancelledBeforeUnlock checks the cancel-first rule on a new
// lock, many times over: a waiter whose context ended before the Unlock
// that would serve it fails with context.Canceled, and the lock stays free.
func LockContextCancelledBeforeUnlock(t *testing.T, newLock func() ContextLocker) {
	for range 100 {
		synctest.Test(t, func(t *testing.T) {
			l := newLock()
			l.Lock()
			ctx, cancel := context.WithCancel(context.Background())
			out := make(chan error, 1)
			go func() { out <- l.LockContext(ctx) }()
			synctest.Wait()
			cancel()
			l.Unlock()
			if err := <-out; err != context.Canceled {
				t.Fatalf("LockContext cancelled before the Unlock returned %v, want context.Canceled", err)
			}
			if !l.TryLock() {
				t.Fatal("the lock did not stay free")
			}
			l.Unlock()
		})
	}
}

// ContendLock parks one Lock and one LockContext (then cancelled) on l and
// lets them through: run it inside and outside synctest bubbles on a
// package-level lock to check that nothing ties the lock to one bubble.
func ContendLock(t *testing.T, l ContextLocker) {
	t.Helper()
	l.Lock()
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- l.LockContext(ctx) }()
	got := make(chan struct{})
	go func() {
		l.Lock()
		//lint:ignore SA2001 taking the lock is all the waiter does
		l.Unlock()
		close(got)
	}()
	WaitEqual(t, "parked waiters", l.Waiters, 2)
	cancel()
	if err := Recv(t, cancelled, "the cancelled waiter"); err != context.Canceled {
		t.Fatalf("cancelled LockContext returned %v", err)
	}
	l.Unlock()
	Recv(t, got, "the waiter")
}
