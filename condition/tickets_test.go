package condition

import (
	"sync"
	"testing"
	"time"
)

// unlockOnly is a ticketLine's Locker in this test: its Unlock releases mu
// and its Lock does nothing, as parkLocker does for a Condition.
type unlockOnly struct{ mu *sync.Mutex }

func (u unlockOnly) Lock()   {}
func (u unlockOnly) Unlock() { u.mu.Unlock() }

// TestTicketLineIsFIFO checks the ordering ticketLine relies on and
// sync.Cond does not document: the k-th goroutine to wait is the k-th to be
// woken by Signal. If the runtime's notify list ever stops waking tickets in
// order, this test fails, and so would Condition's first-in first-out
// promise for plain Waits.
func TestTicketLineIsFIFO(t *testing.T) {
	const n = 20
	var mu sync.Mutex
	var line ticketLine
	line.cond.L = unlockOnly{&mu}
	woke := make(chan int, n)
	for i := range n {
		go func() {
			mu.Lock()
			line.wait() // takes ticket i, then releases mu
			woke <- i
		}()
		for deadline := time.Now().Add(10 * time.Second); ; {
			mu.Lock()
			joined := line.in.Load() == uint64(i+1)
			mu.Unlock()
			if joined {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiter %d did not join", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	for want := range n {
		mu.Lock()
		if line.wake(1) != 1 {
			t.Fatalf("wake(1) woke nobody with %d waiting", n-want)
		}
		mu.Unlock()
		select {
		case got := <-woke:
			if got != want {
				t.Fatalf("woke waiter %d, want %d: the notify list is not FIFO", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("waiter %d was not woken", want)
		}
	}
}
