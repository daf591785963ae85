package rlock_test

import (
	"fmt"

	"github.com/syncprim/syncprim/rlock"
)

// account's methods call each other while holding the same RLock, which a
// non-reentrant lock would deadlock on.
type account struct {
	mu      rlock.RLock
	balance int
}

func (a *account) deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
}

func (a *account) depositTwice(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.deposit(n)
	a.deposit(n)
	fmt.Println("depth inside:", a.mu.Count())
}

func ExampleRLock() {
	var a account
	a.depositTwice(21)
	fmt.Println("balance:", a.balance, "locked:", a.mu.Locked())
	// Output:
	// depth inside: 1
	// balance: 42 locked: false
}

func ExampleRLock_Unlock() {
	var r rlock.RLock
	defer func() { fmt.Println("recovered:", recover()) }()
	r.Unlock()
	// Output: recovered: rlock: unlock of RLock not held by this goroutine
}
