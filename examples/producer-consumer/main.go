// Producer-consumer mirrors the producer-consumer pattern of the talk "Concurrency in
// Python" by Mosky Liu (Taipei.py 2015: a Queue between producers and consumers,
// q.task_done() and q.join()) and of a slide deck introducing Python threads (consumer
// threads stopped by putting a ConsumerExit sentinel on their queue).
//
// It runs twice: once stopping the consumers with the talk's sentinel, once with
// Queue.Shutdown, the Python 3.13 way, which needs no sentinel at all.
//
//	go run ./examples/producer-consumer
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/syncprim/syncprim/queue"
)

func main() {
	if err := Run(os.Stdout, 3, 4, 10); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// job is one item of work: the number n made by a producer.
type job struct{ producer, n int }

// consumerExit is the sentinel: a consumer that gets this very pointer stops. Python's
// "item is ConsumerExit" is pointer identity here.
var consumerExit = &job{}

// tally is what the consumers have done so far.
type tally struct {
	items atomic.Int64
	sum   atomic.Int64
}

func (t *tally) process(j *job) {
	t.sum.Add(int64(j.n))
	t.items.Add(1)
}

// produce puts perProducer jobs for each of producers goroutines and waits for them.
func produce(q *queue.Queue[*job], producers, perProducer int) error {
	var wg sync.WaitGroup
	errs := make([]error, producers)
	for p := range producers {
		wg.Go(func() {
			for i := 1; i <= perProducer; i++ {
				if err := q.Put(&job{producer: p, n: i}); err != nil { // q.put(item)
					errs[p] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Run runs both variants with the given numbers of producers, consumers and items.
func Run(w io.Writer, producers, consumers, perProducer int) error {
	total := producers * perProducer
	wantSum := producers * perProducer * (perProducer + 1) / 2
	fmt.Fprintf(w, "%d producers put %d items each (sum %d) into a queue of size 5; %d consumers take them\n",
		producers, perProducer, wantSum, consumers)
	if err := runSentinel(w, producers, consumers, perProducer, total); err != nil {
		return err
	}
	return runShutdown(w, producers, consumers, perProducer, total)
}

// runSentinel is the talk's version: Join waits until every item has had its TaskDone,
// then one sentinel per consumer tells each to return.
func runSentinel(w io.Writer, producers, consumers, perProducer, total int) error {
	fmt.Fprintln(w, "== stop with a sentinel (Python: q.put(ConsumerExit))")
	q := queue.New[*job](5) // bounded: producers block while the consumers are behind
	var t tally
	var wg sync.WaitGroup
	for range consumers {
		wg.Go(func() {
			for {
				j, _ := q.Get() // without Shutdown, Get never fails
				if j == consumerExit {
					q.TaskDone()
					return
				}
				t.process(j)
				q.TaskDone() // q.task_done(): this item is finished
			}
		})
	}
	if err := produce(q, producers, perProducer); err != nil {
		return err
	}
	q.Join() // q.join(): returns once every item put has had its TaskDone
	fmt.Fprintf(w, "Join returned: %d of %d items processed, sum %d\n", t.items.Load(), total, t.sum.Load())
	for range consumers {
		if err := q.Put(consumerExit); err != nil {
			return err
		}
	}
	wg.Wait()
	fmt.Fprintf(w, "%d consumers returned, one sentinel each; queue empty: %v\n", consumers, q.Empty())
	return nil
}

// runShutdown needs no sentinel: after Shutdown(false) the consumers drain what is left
// and then Get returns ErrShutdown; any Put returns ErrShutdown.
func runShutdown(w io.Writer, producers, consumers, perProducer, total int) error {
	fmt.Fprintln(w, "== stop with Shutdown (Python 3.13: q.shutdown())")
	q := queue.New[*job](5)
	var t tally
	var wg sync.WaitGroup
	stopped := make([]error, consumers)
	for c := range consumers {
		wg.Go(func() {
			for {
				j, err := q.Get()
				if err != nil { // queue.ErrShutdown: shut down and drained
					stopped[c] = err
					return
				}
				t.process(j)
				q.TaskDone()
			}
		})
	}
	if err := produce(q, producers, perProducer); err != nil {
		return err
	}
	q.Shutdown(false) // graceful: the items still queued are delivered first
	wg.Wait()
	for _, err := range stopped {
		if !errors.Is(err, queue.ErrShutdown) {
			return fmt.Errorf("consumer stopped with %v, want ErrShutdown", err)
		}
	}
	q.Join() // returns at once: every item was processed
	fmt.Fprintf(w, "Shutdown(false): %d of %d items processed, sum %d; all %d consumers got ErrShutdown\n",
		t.items.Load(), total, t.sum.Load(), consumers)
	err := q.Put(&job{})
	fmt.Fprintf(w, "a Put after Shutdown: %v (is ErrShutdown: %v)\n", err, errors.Is(err, queue.ErrShutdown))
	return nil
}
