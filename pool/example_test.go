package pool_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/syncprim/syncprim/pool"
)

// A pool runs fire-and-forget tasks; Wait returns their errors joined.
func ExamplePool() {
	p := pool.New(4)
	var sum atomic.Int64
	for i := 1; i <= 100; i++ {
		_ = p.Go(func(context.Context) error {
			sum.Add(int64(i))
			return nil
		})
	}
	_ = p.Go(func(context.Context) error { return errors.New("one task failed") })
	p.Close()
	err := p.Wait()
	fmt.Println(sum.Load(), err)
	fmt.Printf("%+v\n", p.Stats())
	// Output:
	// 5050 one task failed
	// {Workers:0 Running:0 Queued:0 Completed:100 Failed:1 Panicked:0 Cancelled:0}
}

// Submit returns a future, as concurrent.futures' executor.submit.
func ExampleSubmit() {
	p := pool.New(2)
	defer p.Close()
	f := pool.Submit(p, func(context.Context) (string, error) {
		return strings.ToUpper("hello"), nil
	})
	v, err := f.Result()
	fmt.Println(v, err)
	// Output: HELLO <nil>
}

// A task's panic becomes a *PanicError on its future; the pool carries on.
func ExamplePanicError() {
	p := pool.New(1)
	defer p.Close()
	f := pool.Submit(p, func(context.Context) (int, error) { panic("oops") })
	_, err := f.Result()
	var pe *pool.PanicError
	fmt.Println(errors.As(err, &pe), pe.Value, len(pe.Stack) > 0)
	// Output: true oops true
}

// Cancel stops a task that has not started yet.
func ExampleFuture_Cancel() {
	p := pool.New(1)
	release := make(chan struct{})
	busy := pool.Submit(p, func(context.Context) (int, error) { <-release; return 1, nil })
	queued := pool.Submit(p, func(context.Context) (int, error) { return 2, nil })
	fmt.Println(queued.Cancel())
	close(release)
	fmt.Println(busy.Result())
	fmt.Println(queued.Result())
	p.Close()
	_ = p.Wait()
	// Output:
	// true
	// 1 <nil>
	// 0 pool: cancelled
}

// Map is Python's Pool.map: results in input order, first error stops all.
func ExampleMap() {
	p := pool.New(3)
	defer p.Close()
	lengths, err := pool.Map(context.Background(), p, []string{"a", "bb", "ccc"},
		func(_ context.Context, s string) (int, error) { return len(s), nil })
	fmt.Println(lengths, err)
	// Output: [1 2 3] <nil>
}

// Stream is Python's Pool.imap: input order, bounded look-ahead, and it
// works on an infinite sequence.
func ExampleStream() {
	p := pool.New(3)
	defer p.Close()
	naturals := func(yield func(int) bool) {
		for i := 1; ; i++ {
			if !yield(i) {
				return
			}
		}
	}
	square := func(_ context.Context, x int) (int, error) { return x * x, nil }
	for sq, err := range pool.Stream(context.Background(), p, naturals, square) {
		if err != nil || sq > 50 {
			break // cancels what runs ahead
		}
		fmt.Print(sq, " ")
	}
	fmt.Println()
	// Output: 1 4 9 16 25 36 49
}

// StreamUnordered is Python's Pool.imap_unordered: completion order.
func ExampleStreamUnordered() {
	p := pool.New(3)
	defer p.Close()
	var got []string
	for s, err := range pool.StreamUnordered(context.Background(), p, slices.Values([]string{"x", "y", "z"}),
		func(_ context.Context, s string) (string, error) { return s + s, nil }) {
		if err == nil {
			got = append(got, s)
		}
	}
	slices.Sort(got) // the order is the order of completion
	fmt.Println(got)
	// Output: [xx yy zz]
}

// Shutdown with a deadline cancels what is running and drops the backlog.
func ExamplePool_Shutdown() {
	p := pool.New(1)
	started := make(chan struct{})
	_ = p.Go(func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // runs until Shutdown gives up
		return ctx.Err()
	})
	queued := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // an expired deadline, say
	fmt.Println(p.Shutdown(ctx))
	fmt.Println(queued.Result())
	fmt.Printf("%+v\n", p.Stats())
	// Output:
	// context canceled
	// 0 pool: cancelled
	// {Workers:0 Running:0 Queued:0 Completed:0 Failed:1 Panicked:0 Cancelled:1}
}

// Stats is a consistent snapshot for monitoring.
func ExampleStats() {
	p := pool.New(2)
	_, _ = pool.Map(context.Background(), p, []int{1, 2, 3}, func(_ context.Context, x int) (int, error) {
		if x == 2 {
			return 0, errors.New("two")
		}
		return x, nil
	})
	p.Close()
	_ = p.Wait()
	s := p.Stats()
	fmt.Println(s.Completed+s.Failed+s.Cancelled, s.Failed)
	// Output: 3 1
}

// WithBacklog bounds the backlog; TryGo reports ErrFull instead of waiting.
func ExampleWithBacklog() {
	p := pool.New(1, pool.WithBacklog(1))
	release := make(chan struct{})
	started := make(chan struct{})
	_ = p.Go(func(context.Context) error { close(started); <-release; return nil })
	<-started
	fmt.Println(p.TryGo(func(context.Context) error { return nil }))
	fmt.Println(p.TryGo(func(context.Context) error { return nil }))
	close(release)
	p.Close()
	fmt.Println(p.Wait())
	// Output:
	// <nil>
	// pool: backlog full
	// <nil>
}

// WithInitializer prepares every worker, as Python's initializer.
func ExampleWithInitializer() {
	var workers atomic.Int64
	p := pool.New(2, pool.WithInitializer(func(context.Context) error {
		workers.Add(1) // open a connection, say
		return nil
	}))
	_, _ = pool.Map(context.Background(), p, []int{1, 2, 3, 4}, func(_ context.Context, x int) (int, error) { return x, nil })
	p.Close()
	_ = p.Wait()
	fmt.Println(workers.Load() >= 1 && workers.Load() <= 2)
	// Output: true
}
