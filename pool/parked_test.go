package pool_test

import (
	"testing"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

// waitParked returns once a goroutine waits in Result on each of futs.
func waitParked[R any](t *testing.T, futs []*pool.Future[R]) {
	t.Helper()
	testutil.WaitUntil(t, "every waiter is parked", func() bool {
		for _, f := range futs {
			if pool.ResultWaiters(f) == 0 {
				return false
			}
		}
		return true
	})
}
