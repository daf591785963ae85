package rlock_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/rlock"
)

// FuzzRLock drives an RLock from one goroutine through a sequence of
// operations, one per input byte, against a depth counter as the model, and
// checks from a second goroutine that the RLock is exclusive.
func FuzzRLock(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 1, 1})
	f.Add([]byte{3, 4, 5, 6, 1, 1, 1, 1})
	f.Add([]byte{1, 6, 0, 5, 1, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var r rlock.RLock
		depth := 0 // the model
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		other := make(chan func())
		defer close(other)
		go func() {
			for f := range other {
				f()
			}
		}()
		onOther := func(f func()) {
			done := make(chan struct{})
			other <- func() { f(); close(done) }
			<-done
		}
		for i, op := range ops {
			switch op % 7 {
			case 0:
				r.Lock()
				depth++
			case 1:
				if depth > 0 {
					r.Unlock()
					depth--
					break
				}
				func() {
					defer func() {
						if got := recover(); got != notHeld {
							t.Fatalf("op %d: Unlock of free RLock: recovered %v", i, got)
						}
					}()
					r.Unlock()
				}()
			case 2:
				if got := r.Count(); got != depth {
					t.Fatalf("op %d: Count = %d, model %d", i, got, depth)
				}
			case 3:
				if !r.TryLock() {
					t.Fatalf("op %d: TryLock by the owner or on a free RLock failed", i)
				}
				depth++
			case 4:
				if err := r.LockContext(context.Background()); err != nil {
					t.Fatalf("op %d: LockContext: %v", i, err)
				}
				depth++
			case 5:
				if err := r.LockContext(cancelled); err != context.Canceled {
					t.Fatalf("op %d: LockContext(done) = %v", i, err)
				}
			case 6: // the other goroutine: TryLock fails while held, works when free
				onOther(func() {
					if r.Owned() || r.Count() != 0 {
						t.Errorf("op %d: the other goroutine owns the RLock", i)
					}
					ok := r.TryLock()
					if ok == (depth > 0) {
						t.Errorf("op %d: other TryLock = %v with depth %d", i, ok, depth)
					}
					if ok {
						r.Unlock()
					}
					func() {
						defer func() {
							if got := recover(); got != notHeld {
								t.Errorf("op %d: Unlock by a non-owner: recovered %v", i, got)
							}
						}()
						r.Unlock()
					}()
				})
			}
			if r.Count() != depth || r.Owned() != (depth > 0) || r.Locked() != (depth > 0) {
				t.Fatalf("op %d (%d): Count %d Owned %v Locked %v, model depth %d",
					i, op%7, r.Count(), r.Owned(), r.Locked(), depth)
			}
		}
	})
}
