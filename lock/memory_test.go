package lock_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
)

// Convention 12: what a contention costs does not grow with GOMAXPROCS or
// with garbage collections. Each of 100 locks is contended once between
// collections, at GOMAXPROCS 2 and 64.
func TestContentionMemoryIsFlat(t *testing.T) {
	const n = 100
	for _, procs := range []int{2, 64} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			locks := make([]lock.Lock, n)
			done := make(chan struct{})
			perContention := testutil.BytesPerRun(4*n, n, func(i int) {
				l := &locks[i%n]
				l.Lock()
				go func() {
					l.Lock()
					//lint:ignore SA2001 taking the lock is all the waiter does
					l.Unlock()
					done <- struct{}{}
				}()
				testutil.WaitEqual(t, "a parked Lock", l.Waiters, 1)
				l.Unlock()
				<-done
			})
			t.Logf("GOMAXPROCS=%d: %.0f B per contention", procs, perContention)
			require.Less(t, perContention, 1000.0, "GOMAXPROCS=%d", procs)
		}()
	}
}
