// Race mirrors the x = x + 1 / x = x - 1 race of a slide deck introducing Python threads:
// two threads, one adding and one subtracting, lose updates because each reads a stale x; a
// threading.Lock around the critical section fixes it.
//
//	go run ./examples/race         # the racy total is usually not 0
//	go run -race ./examples/race   # the race detector reports the bug and exits with 66
//
// Unlike Python, Go has no interpreter lock hiding part of the problem: both goroutines
// really run at once, and the race detector proves the bug instead of letting you hope.
package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/syncprim/syncprim/lock"
)

func main() {
	if err := Run(os.Stdout, 1_000_000); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Run runs the racy version, then the locked one, each with n increments and n decrements.
func Run(w io.Writer, n int) error {
	fmt.Fprintln(w, "== two goroutines: one does x++, the other x--, with no lock")
	RunRacy(w, n)
	fmt.Fprintln(w, "   (build with -race and the race detector reports this as a DATA RACE)")
	fmt.Fprintln(w, "== the same, each update inside lock.Lock / Unlock")
	if x := RunLocked(w, n); x != 0 {
		return fmt.Errorf("locked counter ended at %d, want 0", x)
	}
	return nil
}

// counter is the talk's global x.
type counter struct{ x int }

// RunRacy is the broken program: x++ and x-- are each a load, an add and a store, and an
// update made between another goroutine's load and store is lost. The result is usually
// not 0 on a machine with more than one core. It is a data race: never write this.
func RunRacy(w io.Writer, n int) int {
	var c counter
	var wg sync.WaitGroup
	wg.Go(func() {
		for range n {
			c.x++ // RACE: read-modify-write without a lock
		}
	})
	wg.Go(func() {
		for range n {
			c.x-- // RACE
		}
	})
	wg.Wait()
	fmt.Fprintf(w, "racy:   x = %d after %d increments and %d decrements (should be 0)\n", c.x, n, n)
	return c.x
}

// RunLocked is the fixed program: the critical section runs under a lock.Lock, so only
// one goroutine updates x at a time and the total is always 0.
func RunLocked(w io.Writer, n int) int {
	var (
		c  counter
		mu lock.Lock // x_lock = threading.Lock()
		wg sync.WaitGroup
	)
	wg.Go(func() {
		for range n {
			mu.Lock() // x_lock.acquire()
			c.x++
			mu.Unlock() // x_lock.release()
		}
	})
	wg.Go(func() {
		for range n {
			mu.Lock()
			c.x--
			mu.Unlock()
		}
	})
	wg.Wait()
	fmt.Fprintf(w, "locked: x = %d after %d increments and %d decrements\n", c.x, n, n)
	return c.x
}
