package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/syncprim/syncprim/event"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
	"github.com/syncprim/syncprim/semaphore"
)

func tourLock(t *tour) error {
	var l lock.Lock // the zero value is an unlocked Lock
	l.Lock()
	t.call("l.Lock()", nil, "lock.acquire()")
	t.call("l.TryLock()", l.TryLock(), "lock.acquire(blocking=False)")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	err := l.LockContext(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("LockContext on a held lock: %v", err)
	}
	t.call("l.LockContext(ctx) // WithTimeout 20ms", err, "lock.acquire(timeout=0.02) → False")
	done := make(chan struct{})
	go func() { l.Unlock(); close(done) }() // any goroutine may release a Lock
	<-done
	t.call("go l.Unlock() // another goroutine", nil, "released by another thread: allowed")
	t.call("l.Locked()", l.Locked(), "lock.locked()")
	t.call("l.Unlock() // not locked", recovered(l.Unlock), "RuntimeError: release unlocked lock")
	return nil
}

func tourRLock(t *tour) error {
	var r rlock.RLock
	r.Lock()
	r.Lock()
	r.Lock()
	t.call("r.Lock(); r.Lock(); r.Lock()", nil, "rlock.acquire() three times")
	t.call("r.Count()", r.Count(), "recursion depth (CPython keeps it internally)")
	other := make(chan bool)
	go func() { other <- r.TryLock() }()
	t.call("go r.TryLock() // another goroutine", <-other, "rlock.acquire(blocking=False) in another thread")
	panicked := make(chan any)
	go func() { panicked <- recovered(r.Unlock) }()
	t.call("go r.Unlock() // another goroutine", <-panicked, "RuntimeError: cannot release un-acquired lock")
	r.Unlock()
	r.Unlock()
	r.Unlock()
	t.call("r.Unlock() ×3; r.Locked()", r.Locked(), "released as often as acquired")
	return nil
}

func tourSemaphore(t *tour) error {
	s := semaphore.New(2)
	t.call("s := semaphore.New(2)", nil, "threading.Semaphore(2)")
	var (
		mu           sync.Mutex
		inside, most int
		wg           sync.WaitGroup
	)
	for range 5 {
		wg.Go(func() {
			s.Acquire()
			mu.Lock()
			inside++
			most = max(most, inside)
			mu.Unlock()
			time.Sleep(2 * time.Millisecond)
			mu.Lock()
			inside--
			mu.Unlock()
			s.Release()
		})
	}
	wg.Wait()
	t.say("5 goroutines each Acquire, work and Release: at most %d inside at once", most)
	t.call("s.AcquireN(ctx, 2); s.Value()", func() int { _ = s.AcquireN(context.Background(), 2); return s.Value() }(),
		"two permits at once, all or none (no Python twin)")
	t.call("s.TryAcquire()", s.TryAcquire(), "s.acquire(blocking=False)")
	s.ReleaseN(2)
	b := semaphore.NewBounded(1)
	t.call("b := semaphore.NewBounded(1); b.Release()", recovered(b.Release), "BoundedSemaphore: ValueError")
	return nil
}

func tourEvent(t *tour) error {
	var e event.Event
	var wg sync.WaitGroup
	woke := make([]bool, 3)
	for i := range 3 {
		wg.Go(func() { e.Wait(); woke[i] = true })
	}
	t.call("e.IsSet()", e.IsSet(), "event.is_set()")
	e.Set()
	wg.Wait()
	t.call("e.Set() // three goroutines were in e.Wait()", fmt.Sprint("all woke: ", woke[0] && woke[1] && woke[2]), "event.set()")
	select {
	case <-e.Done():
		t.call("select { case <-e.Done(): }", "ready", "no Python twin: an event in a select")
	default:
		return errors.New("done channel not closed after Set")
	}
	e.Clear()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	t.call("e.Clear(); e.WaitContext(ctx) // 10ms", e.WaitContext(ctx), "event.wait(timeout=0.01) → False")
	return nil
}
