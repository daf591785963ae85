package event_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncprim/syncprim/event"
)

// A goroutine waits for another to signal that it is ready.
func ExampleEvent() {
	var ready event.Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		ready.Wait() // blocks until Set
		fmt.Println("worker: go")
	}()
	fmt.Println("main: set:", ready.IsSet())
	ready.Set()
	<-done
	fmt.Println("main: set:", ready.IsSet())
	// Output:
	// main: set: false
	// worker: go
	// main: set: true
}

// WaitContext is Python's wait(timeout): it gives up when the context ends.
func ExampleEvent_WaitContext() {
	var e event.Event
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := e.WaitContext(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))

	e.Set()
	fmt.Println(e.WaitContext(ctx)) // set already: nil even though ctx is done
	// Output:
	// true
	// <nil>
}

// Done lets an event take part in a select.
func ExampleEvent_Done() {
	var stop event.Event
	work := make(chan int)
	go func() {
		defer close(work)
		for i := 0; ; i++ {
			select {
			case <-stop.Done():
				return
			case work <- i:
			}
		}
	}()
	for v := range work {
		if v == 3 {
			stop.Set()
			break
		}
	}
	for range work { // drain until the producer sees the stop
	}
	fmt.Println("stopped:", stop.IsSet())
	// Output:
	// stopped: true
}
