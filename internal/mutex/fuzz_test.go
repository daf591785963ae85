package mutex_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/internal/mutex"
)

// FuzzMutex drives a Mutex from one goroutine through a sequence of
// operations, two input bytes each (operation, tag), against a model of
// (locked, owner tag).
func FuzzMutex(f *testing.F) {
	f.Add([]byte{0, 7, 2, 0, 1, 9, 3, 0})
	f.Add([]byte{1, 255, 4, 1, 0, 3, 2, 3, 2, 3})
	f.Add([]byte{5, 0, 0, 1, 5, 0, 2, 1, 2, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var m mutex.Mutex
		held, owner := false, uint64(0) // the model
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		for i := 0; i+1 < len(ops); i += 2 {
			op, tag := ops[i]%6, uint64(ops[i+1])
			if tag == 255 {
				tag = mutex.MaxTag
			}
			switch op {
			case 0: // TryLock
				if got := m.TryLock(tag); got == held {
					t.Fatalf("op %d: TryLock = %v while held = %v", i, got, held)
				}
				if !held {
					held, owner = true, tag
				}
			case 1: // Lock, when it would not block
				if !held {
					m.Lock(tag)
					held, owner = true, tag
				}
			case 2: // Unlock, guessing tag for the fast path
				if got := m.Unlock(tag); got != held {
					t.Fatalf("op %d: Unlock = %v while held = %v", i, got, held)
				}
				held, owner = false, 0
			case 3: // UnlockFast succeeds only with the right tag
				ok := m.UnlockFast(tag)
				if ok != (held && owner == tag) {
					t.Fatalf("op %d: UnlockFast(%d) = %v, held %v by %d", i, tag, ok, held, owner)
				}
				if ok {
					held, owner = false, 0
				}
			case 4: // LockContext, when it would not block
				if !held {
					if err := m.LockContext(context.Background(), tag); err != nil {
						t.Fatal(err)
					}
					held, owner = true, tag
				}
			case 5: // LockContext with a done context on a held Mutex fails
				if held {
					if err := m.LockContext(cancelled, tag); err != context.Canceled {
						t.Fatalf("op %d: LockContext(done) on a held Mutex = %v", i, err)
					}
				}
			}
			if m.Locked() != held || m.Owner() != owner || m.Waiters() != 0 || m.Starving() {
				t.Fatalf("op %d: Locked %v Owner %d Waiters %d Starving %v; model held %v owner %d",
					i, m.Locked(), m.Owner(), m.Waiters(), m.Starving(), held, owner)
			}
		}
	})
}
