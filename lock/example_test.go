package lock_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/syncprim/syncprim/lock"
)

func ExampleLock() {
	var (
		mu    lock.Lock
		total int
		wg    sync.WaitGroup
	)
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			total += i
		}()
	}
	wg.Wait()
	fmt.Println("total:", total, "locked:", mu.Locked())
	// Output: total: 55 locked: false
}

// A Lock is not owned: one goroutine may take it and another release it,
// as with Python's threading.Lock.
func ExampleLock_Unlock() {
	var l lock.Lock
	l.Lock()
	done := make(chan struct{})
	go func() {
		l.Unlock()
		close(done)
	}()
	<-done
	fmt.Println("locked:", l.Locked())
	// Output: locked: false
}

func ExampleLock_LockContext() {
	var l lock.Lock
	l.Lock() // held elsewhere

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.LockContext(ctx); err != nil {
		fmt.Println("gave up:", err)
	}
	fmt.Println("try:", l.TryLock())
	l.Unlock()
	fmt.Println("try:", l.TryLock())
	// Output:
	// gave up: context deadline exceeded
	// try: false
	// try: true
}
