// Tour is `make demo`: a narrated walk through every syncprim primitive, each call shown
// beside the Python line it replaces, in the spirit of the talk "Concurrency in Python" by
// Mosky Liu (Taipei.py 2015), which lists the threading module — Lock, RLock, Semaphore,
// Condition, Event — then Queue with task_done/join, then pools; this tour takes them in
// that order. Every result printed is computed as the tour runs.
//
//	make demo        # or: go run ./examples/tour
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/syncprim/syncprim/procpool"
)

func main() {
	procpool.Main() // the procpool section starts this program again as its workers
	if err := Run(os.Stdout, 300*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// section is one stop of the tour.
type section struct {
	title string
	run   func(t *tour) error
}

// sections is the tour, in order.
var sections = []section{
	{"lock.Lock — threading.Lock", tourLock},
	{"rlock.RLock — threading.RLock", tourRLock},
	{"semaphore.Semaphore — threading.Semaphore and BoundedSemaphore", tourSemaphore},
	{"condition.Condition — threading.Condition", tourCondition},
	{"event.Event — threading.Event", tourEvent},
	{"barrier.Barrier — threading.Barrier", tourBarrier},
	{"queue.Queue — queue.Queue, LifoQueue, PriorityQueue", tourQueue},
	{"pool.Pool — multiprocessing.Pool and concurrent.futures", tourPool},
	{"procpool.Pool — ProcessPoolExecutor, crash isolation included", tourProcpool},
}

// tour prints the narration.
type tour struct {
	w     io.Writer
	pause time.Duration
}

// say prints a comment line.
func (t *tour) say(format string, args ...any) {
	fmt.Fprintf(t.w, "  "+format+"\n", args...)
}

// call prints a Go call with its result, and below it the Python it stands for.
func (t *tour) call(goCode string, result any, python string) {
	if result != nil {
		goCode += fmt.Sprintf(" → %v", result)
	}
	fmt.Fprintf(t.w, "  %s\n        # Python: %s\n", goCode, python)
}

// Run walks through every section, pausing between them so a reader can follow.
func Run(w io.Writer, pause time.Duration) error {
	t := &tour{w: w, pause: pause}
	start := time.Now()
	fmt.Fprintln(w, "syncprim: Python's threading, queue and pool, in Go")
	for i, s := range sections {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, s.title)
		if err := s.run(t); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		time.Sleep(pause)
	}
	fmt.Fprintf(w, "\nThat was every primitive, in %v. More: go run ./examples/NAME (see README.md).\n",
		time.Since(start).Round(100*time.Millisecond))
	return nil
}

// recovered runs f and returns what it panicked with, or nil.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}
