// Cpu-vs-io mirrors the timings of the talk "On Concurrency" by Goran Peretin (PyCon
// Ireland 2013): fib(35) twice in one thread took 5.0 s and in two threads 7.5 s — slower,
// because the GIL lets one thread run Python at a time — while three urlopen() calls took
// 0.375 s in one thread and 0.145 s in three, because a thread blocked on I/O releases the
// GIL.
//
// Go has no GIL: goroutines run on every CPU, so the CPU-bound pair speeds up too (up to
// the number of CPUs), and blocking I/O overlaps as it does in Python. The I/O half talks
// to a local httptest server that answers after a fixed delay, with a semaphore bounding
// how many requests are in flight. Times are measured and printed, never assumed.
//
//	go run ./examples/cpu-vs-io
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncprim/syncprim/semaphore"
)

func main() {
	cfg := Config{FibN: 35, Requests: 6, Latency: 50 * time.Millisecond, MaxInFlight: 3}
	if _, err := Run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Config sizes the two experiments.
type Config struct {
	FibN        int           // the CPU-bound task is fib(FibN), run twice
	Requests    int           // the I/O-bound task is this many HTTP GETs
	Latency     time.Duration // how long the local server takes to answer each one
	MaxInFlight int           // semaphore bound for the concurrent requests
}

// Result holds what was measured.
type Result struct {
	Fib                          int
	CPUSequential, CPUGoroutines time.Duration
	IOSequential, IOConcurrent   time.Duration
	InFlightSequential           int // most requests the server saw at once
	InFlightConcurrent           int
}

// fib is the talk's deliberately slow recursive Fibonacci.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// Run performs both experiments and prints the measured times.
func Run(w io.Writer, cfg Config) (Result, error) {
	var r Result
	fmt.Fprintf(w, "== CPU-bound: fib(%d) twice, on %d CPUs (GOMAXPROCS)\n", cfg.FibN, runtime.GOMAXPROCS(0))
	start := time.Now()
	a, b := fib(cfg.FibN), fib(cfg.FibN)
	r.CPUSequential = time.Since(start)
	fmt.Fprintf(w, "sequential:   fib = %d, %d in %v\n", a, b, r.CPUSequential.Round(time.Millisecond))

	start = time.Now()
	var wg sync.WaitGroup
	wg.Go(func() { a = fib(cfg.FibN) })
	wg.Go(func() { b = fib(cfg.FibN) })
	wg.Wait()
	r.CPUGoroutines = time.Since(start)
	r.Fib = a
	if a != b {
		return r, fmt.Errorf("fib differs: %d vs %d", a, b)
	}
	fmt.Fprintf(w, "2 goroutines: fib = %d, %d in %v (speed-up %.2fx; the talk's 2 Python threads: 0.67x)\n",
		a, b, r.CPUGoroutines.Round(time.Millisecond), ratio(r.CPUSequential, r.CPUGoroutines))

	fmt.Fprintf(w, "== I/O-bound: %d GETs to a local server that answers after %v\n", cfg.Requests, cfg.Latency)
	var inFlight, maxInFlight atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		for m := maxInFlight.Load(); n > m && !maxInFlight.CompareAndSwap(m, n); m = maxInFlight.Load() {
		}
		time.Sleep(cfg.Latency) // the slow network or disk
		inFlight.Add(-1)
		fmt.Fprint(rw, "ok")
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	start = time.Now()
	for range cfg.Requests {
		if err := get(client, srv.URL); err != nil {
			return r, err
		}
	}
	r.IOSequential = time.Since(start)
	r.InFlightSequential = int(maxInFlight.Swap(0))
	fmt.Fprintf(w, "sequential:          %v, at most %d request in flight\n",
		r.IOSequential.Round(time.Millisecond), r.InFlightSequential)

	sem := semaphore.New(cfg.MaxInFlight) // threading.Semaphore(3): at most 3 at once
	errs := make([]error, cfg.Requests)
	start = time.Now()
	for i := range cfg.Requests {
		sem.Acquire()
		wg.Go(func() {
			defer sem.Release()
			errs[i] = get(client, srv.URL)
		})
	}
	wg.Wait()
	r.IOConcurrent = time.Since(start)
	r.InFlightConcurrent = int(maxInFlight.Load())
	for _, err := range errs {
		if err != nil {
			return r, err
		}
	}
	fmt.Fprintf(w, "goroutines, bound %d: %v, at most %d requests in flight (speed-up %.2fx)\n",
		cfg.MaxInFlight, r.IOConcurrent.Round(time.Millisecond), r.InFlightConcurrent,
		ratio(r.IOSequential, r.IOConcurrent))
	return r, nil
}

// get fetches url and checks the answer.
func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if string(body) != "ok" {
		return fmt.Errorf("unexpected answer %q", body)
	}
	return nil
}

func ratio(before, after time.Duration) float64 {
	if after <= 0 {
		return 0
	}
	return float64(before) / float64(after)
}
