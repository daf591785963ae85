package benchmarks_test

import (
	"sync"
	"testing"

	"github.com/syncprim/syncprim/queue"
)

// capacity is the bound of the queue and of the channel it is compared with.
const capacity = 128

// split divides n items among k goroutines.
func split(n, k, i int) int {
	share := n / k
	if i < n%k {
		share++
	}
	return share
}

// transfer moves b.N items from producers to consumers; put and get are
// called concurrently from the goroutines they are given to.
func transfer(b *testing.B, producers, consumers int, put func(int), get func()) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range split(b.N, producers, p) {
				put(i)
			}
		})
	}
	for c := range consumers {
		wg.Go(func() {
			for range split(b.N, consumers, c) {
				get()
			}
		})
	}
	wg.Wait()
}

func BenchmarkQueue(b *testing.B) {
	for _, shape := range []struct {
		name                 string
		producers, consumers int
	}{{"1P1C", 1, 1}, {"4P4C", 4, 4}} {
		b.Run(shape.name, func(b *testing.B) {
			b.Run("ours", func(b *testing.B) {
				q := queue.New[int](capacity)
				transfer(b, shape.producers, shape.consumers,
					func(v int) {
						if err := q.Put(v); err != nil {
							b.Error(err)
						}
					},
					func() {
						if _, err := q.Get(); err != nil {
							b.Error(err)
						}
					})
			})
			b.Run("anchor=chan", func(b *testing.B) {
				ch := make(chan int, capacity)
				transfer(b, shape.producers, shape.consumers,
					func(v int) { ch <- v },
					func() { <-ch })
			})
		})
	}
	// One goroutine: put an item, get it back, mark it done; Join at the
	// end. The anchor counts outstanding items with a sync.WaitGroup.
	b.Run("PutGetTaskDone", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			q := queue.New[int](capacity)
			i := 0
			for b.Loop() {
				if err := q.Put(i); err != nil {
					b.Fatal(err)
				}
				v, err := q.Get()
				if err != nil {
					b.Fatal(err)
				}
				i = v + 1
				q.TaskDone()
			}
			q.Join()
		})
		b.Run("anchor=chan+WaitGroup", func(b *testing.B) {
			b.ReportAllocs()
			ch := make(chan int, capacity)
			var wg sync.WaitGroup
			i := 0
			for b.Loop() {
				wg.Add(1)
				ch <- i
				v := <-ch
				i = v + 1
				wg.Done()
			}
			wg.Wait()
		})
	})
	// One producer and one consumer over the other two orders.
	b.Run("Lifo1P1C", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			q := queue.NewLifo[int](capacity)
			transfer(b, 1, 1, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get() })
		})
		b.Run("anchor=chan", func(b *testing.B) {
			ch := make(chan int, capacity)
			transfer(b, 1, 1, func(v int) { ch <- v }, func() { <-ch })
		})
	})
	b.Run("Priority1P1C", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			q := queue.NewPriority(capacity, func(x, y int) bool { return x < y })
			transfer(b, 1, 1, func(v int) { _ = q.Put(v) }, func() { _, _ = q.Get() })
		})
		b.Run("anchor=chan", func(b *testing.B) {
			ch := make(chan int, capacity)
			transfer(b, 1, 1, func(v int) { ch <- v }, func() { <-ch })
		})
	})
	// One producer and one consumer that marks each item done; Join at the
	// end. The anchor counts outstanding items with a sync.WaitGroup.
	b.Run("TaskDone1P1C", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			q := queue.New[int](capacity)
			transfer(b, 1, 1, func(v int) { _ = q.Put(v) }, func() {
				_, _ = q.Get()
				q.TaskDone()
			})
			q.Join()
		})
		b.Run("anchor=chan+WaitGroup", func(b *testing.B) {
			ch := make(chan int, capacity)
			var work sync.WaitGroup
			transfer(b, 1, 1, func(v int) { work.Add(1); ch <- v }, func() {
				<-ch
				work.Done()
			})
			work.Wait()
		})
	})
	// Two goroutines over two queues: every Get parks and every Put hands
	// its item straight to the parked getter, the slow path.
	b.Run("PingPong", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			ping, pong := queue.New[int](capacity), queue.New[int](capacity)
			go func() {
				for v := range ping.All() {
					_ = pong.Put(v)
				}
			}()
			for i := 0; b.Loop(); i++ {
				_ = ping.Put(i)
				_, _ = pong.Get()
			}
			ping.Shutdown(false)
		})
		b.Run("anchor=chan", func(b *testing.B) {
			b.ReportAllocs()
			ping, pong := make(chan int, capacity), make(chan int, capacity)
			go func() {
				for v := range ping {
					pong <- v
				}
			}()
			for i := 0; b.Loop(); i++ {
				ping <- i
				<-pong
			}
			close(ping)
		})
	})
}
