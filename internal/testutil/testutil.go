// Package testutil holds the helpers the packages' tests share: bounded
// polling for a state to be reached, guarded channel receives, and hammer
// goroutines that loop until stopped.
//
// Timeouts here are failure guards only: a test that passes never waits for
// one, and no helper sleeps to give other goroutines time.
package testutil

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Guard is how long a helper waits for something that must happen before it
// calls it a failure; it is never how long a test expects to wait.
const Guard = 10 * time.Second

// WaitUntil polls cond, yielding the processor with runtime.Gosched between
// calls, until it returns true. If cond still does not hold after Guard, the
// test fails with "timed out waiting until <what>". Like t.Fatal, it must be
// called from the goroutine running the test.
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		runtime.Gosched()
	}
}

// WaitEqual is WaitUntil(get() == want) that also reports the last value
// got when it fails: "timed out waiting until <what>: got X, want Y".
func WaitEqual[T comparable](t testing.TB, what string, get func() T, want T) {
	t.Helper()
	deadline := time.Now().Add(Guard)
	for {
		got := get()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s: got %v, want %v", what, got, want)
		}
		runtime.Gosched()
	}
}

// Recv receives from c and returns the value; if nothing arrives within
// Guard the test fails with "timed out waiting for <what>". A closed channel
// counts as arriving (the zero value is returned). It must be called from the
// goroutine running the test.
func Recv[T any](t testing.TB, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(Guard):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// NotReady fails the test with "<what>: got X, want nothing yet" if c has a
// value ready (or is closed) now; it does not wait.
func NotReady[T any](t testing.TB, c <-chan T, what string) {
	t.Helper()
	select {
	case v := <-c:
		t.Fatalf("%s: got %v, want nothing yet", what, v)
	default:
	}
}

// Cancelled returns a context that is already cancelled.
func Cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// Hammer starts n goroutines that each call f over and over until stop is
// called; stop asks them to end, waits until every one has (a call of f in
// progress finishes first) and may be called more than once. Each goroutine
// checks for stop before every call of f.
func Hammer(n int, f func()) (stop func()) {
	return HammerWhile(n, func() bool { f(); return true })
}

// HammerWhile is Hammer where a goroutine also ends, on its own, as soon as
// its call of f returns false. stop still waits for all of them.
func HammerWhile(n int, f func() bool) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if !f() {
					return
				}
			}
		}()
	}
	return sync.OnceFunc(func() {
		close(done)
		wg.Wait()
	})
}

// BytesPerRun returns the heap bytes f allocates per call, averaged over
// runs calls with a garbage collection every gcEvery calls: memory that a
// primitive re-allocates after each collection (a per-P cache, a sync.Pool)
// shows up here, where testing.AllocsPerRun, which never collects, hides it.
func BytesPerRun(runs, gcEvery int, f func(i int)) float64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range runs {
		f(i)
		if i%gcEvery == gcEvery-1 {
			runtime.GC()
		}
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}
