package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/syncprim/syncprim/pool"
	"github.com/syncprim/syncprim/queue"
)

func drain[T any](q *queue.Queue[T]) []T {
	var out []T
	for {
		v, err := q.TryGet()
		if err != nil {
			return out
		}
		out = append(out, v)
		q.TaskDone()
	}
}

func tourQueue(t *tour) error {
	fifo, lifo := queue.New[int](0), queue.NewLifo[int](0)
	prio := queue.NewPriority(0, func(a, b int) bool { return a < b })
	for _, v := range []int{3, 1, 2} {
		_ = fifo.Put(v)
		_ = lifo.Put(v)
		_ = prio.Put(v)
	}
	t.say("put 3, 1, 2 into each kind of queue, then get them all:")
	t.call("queue.New[int](0)", drain(fifo), "queue.Queue()")
	t.call("queue.NewLifo[int](0)", drain(lifo), "queue.LifoQueue()")
	t.call("queue.NewPriority(0, less)", drain(prio), "queue.PriorityQueue()")

	q := queue.New[string](2)
	_ = q.Put("a")
	_ = q.Put("b")
	t.call(`q := queue.New[string](2); q.TryPut("c")`, q.TryPut("c"), "q.put_nowait('c'): queue.Full")
	done := make(chan []string)
	go func() {
		var got []string
		for v := range q.All() { // ends once the queue is shut down and empty
			got = append(got, strings.ToUpper(v))
			q.TaskDone()
		}
		done <- got
	}()
	q.Join()
	t.call("q.Join() // a consumer calls q.TaskDone()", "every item processed", "q.join() / q.task_done()")
	q.Shutdown(false)
	t.call("q.Shutdown(false); for v := range q.All()", <-done, "q.shutdown(); get() raises ShutDown")
	err := q.Put("d")
	t.call(`q.Put("d")`, err, "queue.ShutDown")
	if !errors.Is(err, queue.ErrShutdown) {
		return fmt.Errorf("put after Shutdown: %v", err)
	}
	return nil
}

func tourPool(t *tour) error {
	ctx := context.Background()
	p := pool.New(2)
	t.call("p := pool.New(2)", nil, "Pool(2) / ThreadPoolExecutor(2)")
	square := func(_ context.Context, n int) (int, error) { return n * n, nil }
	out, err := pool.Map(ctx, p, []int{1, 2, 3, 4}, square)
	if err != nil {
		return err
	}
	t.call("pool.Map(ctx, p, []int{1, 2, 3, 4}, square)", out, "pool.map(square, [1, 2, 3, 4])")
	var got []int
	for r, err := range pool.StreamUnordered(ctx, p, slices.Values([]int{5, 6, 7}), square) {
		if err != nil {
			return err
		}
		got = append(got, r)
	}
	slices.Sort(got) // completion order varies; sorted for the tour
	t.call("for r := range pool.StreamUnordered(...)", fmt.Sprint(got, " (sorted)"), "pool.imap_unordered(square, [5, 6, 7])")
	f := pool.Submit(p, func(context.Context) (string, error) { return "hello from a worker", nil })
	v, err := f.Result()
	t.call("pool.Submit(p, f).Result()", fmt.Sprintf("%q, %v", v, err), "executor.submit(f).result()")
	bad := pool.Submit(p, func(context.Context) (int, error) { panic("boom") })
	_, err = bad.Result()
	var pe *pool.PanicError
	if !errors.As(err, &pe) {
		return fmt.Errorf("a panicking task gave %v", err)
	}
	t.call(`Submit(p, panics).Result()`, fmt.Sprintf("*PanicError{Value: %v} with its stack", pe.Value),
		"future.result() re-raises the exception")
	p.Resize(3)
	futs := []*pool.Future[int]{
		pool.Submit(p, func(context.Context) (int, error) { return 1, nil }),
		pool.Submit(p, func(context.Context) (int, error) { return 2, nil }),
		pool.Submit(p, func(context.Context) (int, error) { return 3, nil }),
	}
	progress, finished := "", 0
	for _, err := range pool.AsCompleted(ctx, futs...) {
		if err != nil {
			return err
		}
		finished++
		progress += fmt.Sprintf("%d/%d ", finished, len(futs))
	}
	t.call("p.Resize(3); for f := range pool.AsCompleted(ctx, futs...)", progress+"done", "as_completed(futs) (Resize: no twin)")
	p.Close()
	if err := p.Wait(); err != nil {
		return err
	}
	s := p.Stats()
	t.call("p.Close(); p.Wait(); p.Stats()", fmt.Sprintf("%d completed, %d panicked, %d workers left",
		s.Completed, s.Panicked, s.Workers), "pool.close(); pool.join()")
	return nil
}
