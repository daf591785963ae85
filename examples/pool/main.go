// Pool mirrors "just thread it out", "collect result smarter" and "monitor them" from the
// talk "Concurrency in Python" by Mosky Liu (Taipei.py 2015) and the multiprocessing.Pool
// of "Getting started with Concurrency: multiprocessing and threading" by Jesse Noller
// (PyWorks 2008): hand CPU-bound work to a fixed set of workers, collect the results with
// pool.map / pool.imap_unordered, and watch the pool work through a progress line instead
// of guessing.
//
// The work counts the primes in chunks of numbers by trial division. pool.Map returns the
// counts in input order while a monitor goroutine redraws a progress line from Stats();
// pool.StreamUnordered yields them as they finish; a failing task stops a Map like
// errgroup does.
//
//	go run ./examples/pool
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/syncprim/syncprim/pool"
)

func main() {
	cfg := Config{Workers: 0, Chunks: 48, ChunkSize: 40_000, Refresh: 50 * time.Millisecond}
	if err := Run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Config sizes the run.
type Config struct {
	Workers   int           // pool size; 0 means one per CPU
	Chunks    int           // number of tasks
	ChunkSize int           // numbers checked per task
	Refresh   time.Duration // how often the progress line is redrawn during Map
}

// chunk is one task: count the primes in [Lo, Hi).
type chunk struct{ Lo, Hi int }

// countPrimes is the CPU-bound function; it checks ctx now and then so a cancelled task
// stops early.
func countPrimes(ctx context.Context, c chunk) (int, error) {
	n := 0
	for k := c.Lo; k < c.Hi; k++ {
		if k%1024 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if isPrime(k) {
			n++
		}
	}
	return n, nil
}

func isPrime(k int) bool {
	if k < 2 {
		return false
	}
	if k%2 == 0 {
		return k == 2
	}
	for d := 3; d*d <= k; d += 2 {
		if k%d == 0 {
			return false
		}
	}
	return true
}

// progress renders one progress line from a snapshot of the pool's counters.
func progress(label string, s pool.Stats, total int) string {
	done := s.Completed + s.Failed + s.Panicked + s.Cancelled
	return fmt.Sprintf("\r%s: %3d/%d tasks done | running %d | queued %3d | workers %d",
		label, done, total, s.Running, s.Queued, s.Workers)
}

// Run counts the primes below Chunks*ChunkSize three times — with Map, with
// StreamUnordered, with Submit and AsCompleted while resizing the pool — on
// one pool, and shows a failing Map.
func Run(w io.Writer, cfg Config) error {
	ctx := context.Background()
	p := pool.New(cfg.Workers)
	chunks := make([]chunk, cfg.Chunks)
	for i := range chunks {
		chunks[i] = chunk{Lo: i * cfg.ChunkSize, Hi: (i + 1) * cfg.ChunkSize}
	}
	fmt.Fprintf(w, "== pool.Map: count primes below %d in %d chunks (Python: pool.map)\n",
		cfg.Chunks*cfg.ChunkSize, cfg.Chunks)

	// The monitor redraws the line until Map returns; it is the only writer meanwhile.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(cfg.Refresh)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fmt.Fprint(w, progress("map", p.Stats(), cfg.Chunks))
			}
		}
	}()
	start := time.Now()
	counts, err := pool.Map(ctx, p, chunks, countPrimes)
	elapsed := time.Since(start)
	close(stop)
	<-stopped
	if err != nil {
		return err
	}
	fmt.Fprintln(w, progress("map", p.Stats(), cfg.Chunks))
	total := 0
	for _, c := range counts {
		total += c
	}
	fmt.Fprintf(w, "map: %d primes in %v; results in input order, first ones %v\n",
		total, elapsed.Round(time.Millisecond), counts[:min(5, len(counts))])

	fmt.Fprintln(w, "== pool.StreamUnordered: the same chunks, results as they finish (Python: imap_unordered)")
	total, received := 0, 0
	var order []int // the chunk numbers, in the order their results arrived
	index := func(_ context.Context, i int) (int, error) {
		n, err := countPrimes(ctx, chunks[i])
		return i<<32 | n, err // carry the chunk number with its count
	}
	for r, err := range pool.StreamUnordered(ctx, p, indices(cfg.Chunks), index) {
		if err != nil {
			return err
		}
		order = append(order, r>>32)
		total += r & (1<<32 - 1)
		received++
		s := p.Stats()
		fmt.Fprintf(w, "\rstream: %3d/%d results received | running %d | queued %3d | workers %d",
			received, cfg.Chunks, s.Running, s.Queued, s.Workers)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "stream: %d primes from %d results; every chunk exactly once: %v\n",
		total, received, isPermutation(order))

	fmt.Fprintln(w, "== Submit + AsCompleted, and Resize mid-run (Python: as_completed; Resize has no twin)")
	futs := make([]*pool.Future[int], cfg.Chunks)
	for i, c := range chunks {
		futs[i] = pool.Submit(p, func(ctx context.Context) (int, error) { return countPrimes(ctx, c) })
	}
	total, received = 0, 0
	for f, err := range pool.AsCompleted(ctx, futs...) {
		if err != nil {
			return err
		}
		n, err := f.Result()
		if err != nil {
			return err
		}
		total += n
		received++
		if received == cfg.Chunks/2 {
			p.Resize(1) // halfway: one worker is enough; the running tasks finish first
		}
		fmt.Fprintf(w, "\rcompleted: %3d/%d futures", received, cfg.Chunks)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "as_completed: %d primes from %d futures; workers after Resize(1): %d\n",
		total, received, settled(p, 1))
	p.Resize(cfg.Workers)

	fmt.Fprintln(w, "== a failing task stops Map and cancels the rest (like errgroup)")
	failAt := cfg.Chunks / 2
	_, err = pool.Map(ctx, p, chunks, func(ctx context.Context, c chunk) (int, error) {
		if c.Lo == failAt*cfg.ChunkSize {
			return 0, errors.New("chunk is corrupt")
		}
		return countPrimes(ctx, c)
	})
	fmt.Fprintf(w, "map returned: %v\n", err)

	p.Close()
	if err := p.Wait(); err != nil {
		return err
	}
	// Every task ends in exactly one of these counters. Failed holds the corrupt chunk and
	// any task that returned early on its cancelled context; Cancelled, those dropped
	// before they started.
	s := p.Stats()
	ended := s.Completed + s.Failed + s.Panicked + s.Cancelled
	fmt.Fprintf(w, "after Close and Wait: %d workers left; %d tasks: %d completed, %d failed, %d cancelled, %d panicked\n",
		s.Workers, ended, s.Completed, s.Failed, s.Cancelled, s.Panicked)
	fmt.Fprintf(w, "every task accounted for: %v\n", ended == 4*cfg.Chunks && s.Failed >= 1)
	return nil
}

// settled returns the number of workers once it is at most want: surplus
// workers exit as soon as they are done with their task, which may take a
// moment after Resize.
func settled(p *pool.Pool, want int) int {
	for p.Stats().Workers > want {
		time.Sleep(time.Millisecond)
	}
	return p.Stats().Workers
}

// indices yields 0..n-1.
func indices(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func isPermutation(order []int) bool {
	sorted := slices.Sorted(slices.Values(order))
	for i, v := range sorted {
		if v != i {
			return false
		}
	}
	return true
}
