package benchmarks_test

import (
	"sync"
	"testing"

	"github.com/syncprim/syncprim/barrier"
)

// condBarrier is the cyclic barrier one writes by hand with sync.Cond: a
// count, a generation, and Broadcast when the last party arrives. abort
// lets the benchmark's helper goroutines leave.
type condBarrier struct {
	mu         sync.Mutex
	cond       sync.Cond
	parties    int
	count, gen int
	broken     bool
}

func newCondBarrier(parties int) *condBarrier {
	c := &condBarrier{parties: parties}
	c.cond.L = &c.mu
	return c
}

// wait reports false if the barrier was aborted.
func (c *condBarrier) wait() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken {
		return false
	}
	c.count++
	if c.count == c.parties {
		c.count = 0
		c.gen++
		c.cond.Broadcast()
		return true
	}
	gen := c.gen
	for gen == c.gen && !c.broken {
		c.cond.Wait()
	}
	return !c.broken
}

func (c *condBarrier) abort() {
	c.mu.Lock()
	c.broken = true
	c.cond.Broadcast()
	c.mu.Unlock()
}

// BenchmarkBarrier measures one full cycle of a barrier of 4 parties: the
// benchmark's goroutine is one party, three goroutines the others.
func BenchmarkBarrier(b *testing.B) {
	const parties = 4
	b.Run("Cycle4", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			bar := barrier.New(parties, nil)
			var wg sync.WaitGroup
			for range parties - 1 {
				wg.Go(func() {
					for {
						if _, err := bar.Wait(); err != nil {
							return
						}
					}
				})
			}
			for b.Loop() {
				if _, err := bar.Wait(); err != nil {
					b.Fatal(err)
				}
			}
			bar.Abort()
			wg.Wait()
		})
		b.Run("anchor=sync.Cond", func(b *testing.B) {
			b.ReportAllocs()
			bar := newCondBarrier(parties)
			var wg sync.WaitGroup
			for range parties - 1 {
				wg.Go(func() {
					for bar.wait() {
					}
				})
			}
			for b.Loop() {
				if !bar.wait() {
					b.Fatal("aborted")
				}
			}
			bar.abort()
			wg.Wait()
		})
	})
}
