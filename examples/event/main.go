// Event mirrors threading.Event from a slide deck introducing Python threads (e.wait() in
// one thread, e.set() in another) and from "Concurrency in Python" by Mosky Liu (Taipei.py
// 2015: "Event — .wait for .set; a simplified Condition").
//
// Workers wait for a start signal; later a second event tells them to stop, observed in a
// select through Done(); and a wait that nobody answers gives up through its context.
//
//	go run ./examples/event
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/syncprim/syncprim/event"
)

func main() {
	if err := Run(os.Stdout, 4, 100*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Run starts the given number of workers, releases them with one Set, stops them with
// another event, and shows a bounded wait. patience bounds that last wait.
func Run(w io.Writer, workers int, patience time.Duration) error {
	var (
		start, stop event.Event
		config      string // written before start.Set, read by workers after Wait
		waiting     sync.WaitGroup
		workedOnce  sync.WaitGroup
		wg          sync.WaitGroup
		mu          sync.Mutex
		report      []string
	)
	fmt.Fprintln(w, "== workers wait for a start signal")
	waiting.Add(workers)
	workedOnce.Add(workers)
	for i := range workers {
		wg.Go(func() {
			waiting.Done()
			start.Wait() // e.wait(): blocks until some goroutine calls Set
			// Set happens before Wait returns, so config is safe to read without a lock.
			mu.Lock()
			report = append(report, fmt.Sprintf("worker %d started with config %q", i, config))
			mu.Unlock()
			units := 0
			for {
				select {
				case <-stop.Done(): // Done() is a channel: the event fits in a select
					mu.Lock()
					report = append(report, fmt.Sprintf("worker %d stopped (did at least one unit: %v)", i, units > 0))
					mu.Unlock()
					return
				default:
				}
				units++ // one unit of work
				if units == 1 {
					workedOnce.Done()
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	waiting.Wait()
	fmt.Fprintf(w, "%d workers are ready to wait; start is set: %v\n", workers, start.IsSet())
	config = "fast mode"
	start.Set() // e.set(): wakes every waiter at once
	fmt.Fprintf(w, "start.Set(): start is set: %v\n", start.IsSet())

	workedOnce.Wait()
	fmt.Fprintln(w, "== every worker has worked; a second event tells them to stop")
	stop.Set()
	wg.Wait()
	slices.Sort(report)
	for _, line := range report {
		fmt.Fprintln(w, line)
	}

	fmt.Fprintln(w, "== Clear re-arms an event; a wait nobody answers gives up through its context")
	start.Clear()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	err := start.WaitContext(ctx) // e.wait(timeout=...) returning False
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("WaitContext on a cleared event: got %v, want a deadline", err)
	}
	fmt.Fprintf(w, "after Clear, start is set: %v; WaitContext with a %v timeout: %v\n", start.IsSet(), patience, err)
	return nil
}
