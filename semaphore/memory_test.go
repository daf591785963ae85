package semaphore_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/semaphore"
)

// Convention 12: what a contention costs does not grow with GOMAXPROCS or
// with garbage collections. Each of 100 semaphores is contended once
// between collections, at GOMAXPROCS 2 and 64; a parked Acquire allocates
// its waiter (under 200 bytes with this harness) and nothing per P.
func TestContentionMemoryIsFlat(t *testing.T) {
	const n = 100
	for _, procs := range []int{2, 64} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			sems := make([]*semaphore.Semaphore, n)
			for i := range sems {
				sems[i] = semaphore.New(0)
			}
			done := make(chan struct{})
			perContention := testutil.BytesPerRun(4*n, n, func(i int) {
				s := sems[i%n]
				go func() { s.Acquire(); done <- struct{}{} }()
				testutil.WaitEqual(t, "a parked Acquire", s.Waiters, 1)
				s.Release()
				<-done
			})
			t.Logf("GOMAXPROCS=%d: %.0f B per contention", procs, perContention)
			require.Less(t, perContention, 1000.0, "GOMAXPROCS=%d", procs)
		}()
	}
}
