package queue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/syncprim/syncprim/queue"
)

// A producer and a pool of consumers: Join waits until every item has been
// processed, not only received, and Shutdown then ends the consumers' loops.
func Example() {
	q := queue.New[int](4)
	var mu sync.Mutex
	sum := 0

	var consumers sync.WaitGroup
	for range 3 {
		consumers.Go(func() {
			for n := range q.All() {
				mu.Lock()
				sum += n * n
				mu.Unlock()
				q.TaskDone()
			}
		})
	}

	for n := 1; n <= 10; n++ {
		if err := q.Put(n); err != nil {
			panic(err)
		}
	}
	q.Join() // every square is added to sum
	mu.Lock()
	fmt.Println("sum of squares:", sum)
	mu.Unlock()

	q.Shutdown(false)
	consumers.Wait()
	// Output: sum of squares: 385
}

func ExampleNewLifo() {
	q := queue.NewLifo[string](0)
	for _, s := range []string{"first", "second", "third"} {
		_ = q.Put(s)
	}
	for range 3 {
		s, _ := q.Get()
		fmt.Println(s)
	}
	// Output:
	// third
	// second
	// first
}

func ExampleNewPriority() {
	type job struct {
		priority int
		name     string
	}
	q := queue.NewPriority(0, func(a, b job) bool { return a.priority < b.priority })
	_ = q.Put(job{2, "write report"})
	_ = q.Put(job{1, "fix outage"})
	_ = q.Put(job{2, "answer mail"}) // same priority: after "write report"
	_ = q.Put(job{3, "tidy desk"})
	for !q.Empty() {
		j, _ := q.Get()
		fmt.Println(j.priority, j.name)
	}
	// Output:
	// 1 fix outage
	// 2 write report
	// 2 answer mail
	// 3 tidy desk
}

func ExampleQueue_Shutdown() {
	q := queue.New[string](0)
	_ = q.Put("a")
	_ = q.Put("b")
	q.Shutdown(false)

	fmt.Println(q.Put("c"))
	for {
		s, err := q.Get()
		if errors.Is(err, queue.ErrShutdown) {
			fmt.Println("drained:", err)
			break
		}
		fmt.Println("got", s)
		q.TaskDone()
	}
	// Output:
	// queue: shut down
	// got a
	// got b
	// drained: queue: shut down
}

func ExampleQueue_Shutdown_immediate() {
	q := queue.New[string](0)
	_ = q.Put("a")
	_ = q.Put("b")
	q.Shutdown(true) // discards both, counting them as done

	_, err := q.Get()
	fmt.Println(err, q.Len(), q.Unfinished())
	q.Join() // nothing is unfinished
	// Output: queue: shut down 0 0
}

func ExampleQueue_TryPut() {
	q := queue.New[int](1)
	fmt.Println(q.TryPut(1))
	fmt.Println(q.TryPut(2))
	v, _ := q.TryGet()
	fmt.Println(v)
	_, err := q.TryGet()
	fmt.Println(err)
	// Output:
	// <nil>
	// queue: full
	// 1
	// queue: empty
}

func ExampleQueue_GetContext() {
	q := queue.New[int](0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := q.GetContext(ctx) // nothing arrives in time
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

func ExampleQueue_String() {
	q := queue.New[int](8)
	_ = q.Put(1)
	_ = q.Put(2)
	fmt.Println(q)
	// Output: queue.Queue(fifo, 2/8 items, 2 unfinished, 0 getters, 0 putters waiting)
}
