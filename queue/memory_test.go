package queue_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

// Convention 12: what a blocked Get costs does not grow with GOMAXPROCS or
// with garbage collections. Each of 100 queues has a Get parked on it once
// between collections, at GOMAXPROCS 2 and 64.
func TestContentionMemoryIsFlat(t *testing.T) {
	const n = 100
	for _, procs := range []int{2, 64} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			qs := make([]*queue.Queue[int], n)
			for i := range qs {
				qs[i] = queue.New[int](0)
			}
			done := make(chan struct{})
			perContention := testutil.BytesPerRun(4*n, n, func(i int) {
				q := qs[i%n]
				go func() { _, _ = q.Get(); done <- struct{}{} }()
				testutil.WaitUntil(t, "a parked Get", func() bool { g, _, _ := q.Waiting(); return g == 1 })
				_ = q.Put(i)
				<-done
			})
			t.Logf("GOMAXPROCS=%d: %.0f B per contention", procs, perContention)
			require.Less(t, perContention, 1000.0, "GOMAXPROCS=%d", procs)
		}()
	}
}
