// Rlock mirrors the Lock vs RLock example of the notes "Thread vs Process" (a page of pros
// and cons of threads and processes in Python): f calls g and h, g calls h, and all three
// are public and need the lock. With a plain threading.Lock every function needs a "raw"
// twin that runs without taking the lock (_g, _h); with a threading.RLock the functions
// simply call each other, because the goroutine that holds an RLock may lock it again.
//
//	go run ./examples/rlock
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/rlock"
)

func main() {
	if err := Run(os.Stdout, 100*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// withLock is the version for a plain lock.Lock: every public function takes the lock and
// calls raw twins, which assume the caller holds it.
type withLock struct {
	mu    lock.Lock
	trace []string
}

func (s *withLock) F() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gRaw() // calling s.G() here would block forever: the lock is ours already
	s.hRaw()
}

func (s *withLock) G() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gRaw()
}

func (s *withLock) H() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hRaw()
}

func (s *withLock) gRaw() { s.hRaw(); s.trace = append(s.trace, "do_something1") }
func (s *withLock) hRaw() { s.trace = append(s.trace, "do_something2") }

// naiveF is what you would write first: f calling the public g. With a Lock, g waits for
// a lock its own caller holds. gContext gives up when ctx ends instead of hanging.
func (s *withLock) naiveF(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gContext(ctx)
}

func (s *withLock) gContext(ctx context.Context) error {
	if err := s.mu.LockContext(ctx); err != nil { // lock.acquire(timeout=...)
		return err
	}
	defer s.mu.Unlock()
	s.gRaw()
	return nil
}

// withRLock is the version for rlock.RLock: no twins, f calls g and h directly.
type withRLock struct {
	mu    rlock.RLock
	trace []string
}

func (s *withRLock) F() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.note("f")
	s.G()
	s.H()
}

func (s *withRLock) G() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.note("g")
	s.H()
	s.trace = append(s.trace, "do_something1")
}

func (s *withRLock) H() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.note("h")
	s.trace = append(s.trace, "do_something2")
}

// note records the function name with the recursion depth of the calling goroutine.
func (s *withRLock) note(fn string) {
	s.trace = append(s.trace, fmt.Sprintf("%s(depth %d)", fn, s.mu.Count()))
}

// Run shows both versions, what goes wrong without the twins, that the RLock still
// excludes other goroutines, and that an RLock belongs to the goroutine that locked it.
// wait bounds the demonstration of the self-deadlock.
func Run(w io.Writer, wait time.Duration) error {
	fmt.Fprintln(w, "== lock.Lock: f must call raw twins of g and h")
	l := &withLock{}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	err := l.naiveF(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("f calling g under a Lock: got %v, want a deadline", err)
	}
	fmt.Fprintf(w, "f calling the public g: %v after %v (without a timeout: deadlock)\n", err, wait)
	l.F()
	fmt.Fprintf(w, "f via gRaw and hRaw: %s\n", strings.Join(l.trace, ", "))

	fmt.Fprintln(w, "== rlock.RLock: f, g and h simply call each other")
	r := &withRLock{}
	r.F()
	fmt.Fprintf(w, "f: %s\n", strings.Join(r.trace, ", "))
	fmt.Fprintf(w, "after f returns: locked %v, depth %d\n", r.mu.Locked(), r.mu.Count())

	fmt.Fprintln(w, "== the RLock still excludes other goroutines")
	const goroutines, calls = 4, 200
	r.trace = nil
	var (
		inside, maxInside int
		wg                sync.WaitGroup
		count             sync.Mutex // guards inside/maxInside, never held across F
	)
	for range goroutines {
		wg.Go(func() {
			for range calls {
				r.mu.Lock()
				count.Lock()
				inside++
				maxInside = max(maxInside, inside)
				count.Unlock()
				r.F() // re-enters the RLock three more times
				count.Lock()
				inside--
				count.Unlock()
				r.mu.Unlock()
			}
		})
	}
	wg.Wait()
	fmt.Fprintf(w, "%d goroutines x %d calls of f: %d trace entries, at most %d goroutine inside at once\n",
		goroutines, calls, len(r.trace), maxInside)

	fmt.Fprintln(w, "== an RLock belongs to the goroutine that locked it")
	r.mu.Lock()
	panicked := make(chan any)
	go func() {
		defer func() { panicked <- recover() }()
		r.mu.Unlock() // not ours: panics, and the lock stays held
	}()
	fmt.Fprintf(w, "another goroutine's Unlock panics: %v\n", <-panicked)
	fmt.Fprintf(w, "still held by us: owned %v, depth %d\n", r.mu.Owned(), r.mu.Count())
	r.mu.Unlock()
	return nil
}
