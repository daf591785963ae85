package queue_test

// Quick in-package benchmarks against the anchor each speed goal names: a
// buffered channel of the same capacity, and a channel plus a sync.WaitGroup
// for the task accounting. The comparison table lives in benchmarks/.

import (
	"sync"
	"testing"

	"github.com/syncprim/syncprim/queue"
)

const benchCap = 128

// mpmc moves b.N items from p producers to c consumers.
func mpmc(b *testing.B, p, c int, put func(int), get func()) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	for i := range p {
		n := b.N/p + btoi(i < b.N%p)
		wg.Go(func() {
			for j := range n {
				put(j)
			}
		})
	}
	for i := range c {
		n := b.N/c + btoi(i < b.N%c)
		wg.Go(func() {
			for range n {
				get()
			}
		})
	}
	wg.Wait()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func benchQueue(b *testing.B, p, c int) {
	q := queue.New[int](benchCap)
	mpmc(b, p, c, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get() })
}

func benchChan(b *testing.B, p, c int) {
	ch := make(chan int, benchCap)
	mpmc(b, p, c, func(v int) { ch <- v }, func() { <-ch })
}

func BenchmarkQueue1P1C(b *testing.B) { benchQueue(b, 1, 1) }
func BenchmarkChan1P1C(b *testing.B)  { benchChan(b, 1, 1) }
func BenchmarkQueue4P4C(b *testing.B) { benchQueue(b, 4, 4) }
func BenchmarkChan4P4C(b *testing.B)  { benchChan(b, 4, 4) }

func BenchmarkLifo1P1C(b *testing.B) {
	q := queue.NewLifo[int](benchCap)
	mpmc(b, 1, 1, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get() })
}

func BenchmarkPriority1P1C(b *testing.B) {
	q := queue.NewPriority(benchCap, func(a, b int) bool { return a < b })
	mpmc(b, 1, 1, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get() })
}

// Put + Get + TaskDone, one producer and one consumer, Join at the end,
// against a channel with a WaitGroup counting the work.
func BenchmarkQueueTaskDone1P1C(b *testing.B) {
	q := queue.New[int](benchCap)
	mpmc(b, 1, 1, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get(); q.TaskDone() })
	q.Join()
}

func BenchmarkChanWaitGroup1P1C(b *testing.B) {
	ch := make(chan int, benchCap)
	var work sync.WaitGroup
	mpmc(b, 1, 1, func(v int) { work.Add(1); ch <- v }, func() { <-ch; work.Done() })
	work.Wait()
}

// The same in one goroutine: the uncontended cost of each call.
func BenchmarkQueuePutGetTaskDone(b *testing.B) {
	b.ReportAllocs()
	q := queue.New[int](benchCap)
	for i := range b.N {
		_ = q.Put(i)
		_, _ = q.Get()
		q.TaskDone()
	}
}

func BenchmarkChanWaitGroupSendRecv(b *testing.B) {
	b.ReportAllocs()
	ch := make(chan int, benchCap)
	var work sync.WaitGroup
	for i := range b.N {
		work.Add(1)
		ch <- i
		<-ch
		work.Done()
	}
}

// Ping-pong between two goroutines over two queues: every Get parks and
// every Put hands its item straight to the parked getter, the slow path.
func BenchmarkQueuePingPong(b *testing.B) {
	b.ReportAllocs()
	ping, pong := queue.New[int](benchCap), queue.New[int](benchCap)
	go func() {
		for v := range ping.All() {
			_ = pong.Put(v)
		}
	}()
	for i := range b.N {
		_ = ping.Put(i)
		_, _ = pong.Get()
	}
	ping.Shutdown(false)
}

func BenchmarkChanPingPong(b *testing.B) {
	b.ReportAllocs()
	ping, pong := make(chan int, benchCap), make(chan int, benchCap)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	for i := range b.N {
		ping <- i
		<-pong
	}
	close(ping)
}
