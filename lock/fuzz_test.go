package lock_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/lock"
)

// FuzzLock drives a Lock through a sequence of operations, one per input
// byte, and checks it against a one-bit model.
func FuzzLock(f *testing.F) {
	f.Add([]byte{0, 1, 1})
	f.Add([]byte{3, 0, 2, 1, 4, 5, 1, 1})
	f.Add([]byte{1, 5, 2, 3, 3, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var l lock.Lock
		locked := false // the model
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		for i, op := range ops {
			switch op % 6 {
			case 0: // TryLock
				if got := l.TryLock(); got == locked {
					t.Fatalf("op %d: TryLock = %v with locked = %v", i, got, locked)
				}
				locked = true
			case 1: // Unlock
				if locked {
					l.Unlock()
					locked = false
					break
				}
				func() {
					defer func() {
						if r := recover(); r != "lock: unlock of unlocked Lock" {
							t.Fatalf("op %d: Unlock of unlocked Lock: recovered %v", i, r)
						}
					}()
					l.Unlock()
				}()
			case 2: // Locked
				if got := l.Locked(); got != locked {
					t.Fatalf("op %d: Locked = %v, model %v", i, got, locked)
				}
			case 3: // Lock, when it would not block
				if !locked {
					l.Lock()
					locked = true
				}
			case 4: // LockContext with a live context, when it would not block
				if !locked {
					if err := l.LockContext(context.Background()); err != nil {
						t.Fatalf("op %d: LockContext: %v", i, err)
					}
					locked = true
				}
			case 5: // LockContext with a done context never changes anything
				if err := l.LockContext(cancelled); err != context.Canceled {
					t.Fatalf("op %d: LockContext(done) = %v", i, err)
				}
			}
			if got := l.Locked(); got != locked {
				t.Fatalf("op %d (%d): Locked = %v, model %v", i, op%6, got, locked)
			}
		}
	})
}
