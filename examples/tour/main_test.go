package main_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	tour "github.com/syncprim/syncprim/examples/tour"
	"github.com/syncprim/syncprim/procpool"
)

func TestMain(m *testing.M) {
	procpool.Main() // the procpool section's workers are this test binary
	goleak.VerifyTestMain(m)
}

// result returns the text after "→" on the line that starts with the Go call.
func result(t *testing.T, out, call string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, call+" → ") {
			return strings.TrimPrefix(l, call+" → ")
		}
	}
	t.Fatalf("no line for %q in:\n%s", call, out)
	return ""
}

func TestTourCoversEveryPrimitive(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, tour.Run(&buf, 0))
	out := buf.String()
	for _, title := range []string{
		"1. lock.Lock", "2. rlock.RLock", "3. semaphore.Semaphore", "4. condition.Condition",
		"5. event.Event", "6. barrier.Barrier", "7. queue.Queue", "8. pool.Pool", "9. procpool.Pool",
	} {
		require.Contains(t, out, "\n"+title, out)
	}

	// lock
	require.Equal(t, "false", result(t, out, "l.TryLock()"))
	require.Equal(t, "context deadline exceeded", result(t, out, "l.LockContext(ctx) // WithTimeout 20ms"))
	require.Equal(t, "false", result(t, out, "l.Locked()"))
	require.Equal(t, "lock: unlock of unlocked Lock", result(t, out, "l.Unlock() // not locked"))
	// rlock
	require.Equal(t, "3", result(t, out, "r.Count()"))
	require.Equal(t, "false", result(t, out, "go r.TryLock() // another goroutine"))
	require.True(t, strings.HasPrefix(result(t, out, "go r.Unlock() // another goroutine"), "rlock: "))
	require.Equal(t, "false", result(t, out, "r.Unlock() ×3; r.Locked()"))
	// semaphore
	require.Contains(t, out, "at most 2 inside at once")
	require.Equal(t, "0", result(t, out, "s.AcquireN(ctx, 2); s.Value()"))
	require.Equal(t, "false", result(t, out, "s.TryAcquire()"))
	require.True(t, strings.HasPrefix(result(t, out, "b := semaphore.NewBounded(1); b.Release()"), "semaphore: "))
	// condition: FIFO wake-ups, and a bounded wait
	require.Equal(t, "woke in order [0 1 2]", result(t, out, "c.WaitFor(pred) ×3; c.Notify() ×3"))
	require.Equal(t, "context deadline exceeded", result(t, out, "c.WaitForContext(ctx, pred) // 10ms"))
	// event
	require.Equal(t, "all woke: true", result(t, out, "e.Set() // three goroutines were in e.Wait()"))
	require.Equal(t, "context deadline exceeded", result(t, out, "e.Clear(); e.WaitContext(ctx) // 10ms"))
	// barrier: cyclic, and a party that gives up breaks it until Reset
	require.Equal(t, "indexes [0 1 2] then [0 1 2], action ran 2 times", result(t, out, "b.Wait() ×2 in 3 goroutines"))
	require.Equal(t, "context deadline exceeded", result(t, out, "b.WaitContext(ctx) // 10ms, alone"))
	require.Equal(t, "true", result(t, out, "b.Broken()"))
	require.Equal(t, "barrier: broken", result(t, out, "b.Wait() // broken"))
	require.Equal(t, "false", result(t, out, "b.Reset(); b.Broken()"))
	// queue
	require.Equal(t, "[3 1 2]", result(t, out, "queue.New[int](0)"))
	require.Equal(t, "[2 1 3]", result(t, out, "queue.NewLifo[int](0)"))
	require.Equal(t, "[1 2 3]", result(t, out, "queue.NewPriority(0, less)"))
	require.True(t, strings.HasPrefix(result(t, out, `q := queue.New[string](2); q.TryPut("c")`), "queue: "))
	require.Equal(t, "[A B]", result(t, out, "q.Shutdown(false); for v := range q.All()"))
	require.True(t, strings.HasPrefix(result(t, out, `q.Put("d")`), "queue: "))
	// procpool
	require.Equal(t, "[1 8 27]", result(t, out, "procpool.Map(ctx, p, cube, []int{1, 2, 3})"))
	require.Equal(t, "*ProcessError, exit status 3", result(t, out, "procpool.Submit(ctx, p, crash, 3).Result()"))
	require.Equal(t, "64, <nil> (a new process took its place)", result(t, out, "procpool.Submit(ctx, p, cube, 4).Result()"))
	require.Equal(t, "context deadline exceeded (its process was killed)", result(t, out, "procpool.Submit(timeoutCtx, p, hang, 0).Result()"))
	// 2 restarts, or 1 if the deadline passed while the hanging task's process was starting.
	require.Regexp(t, `4 completed, 2 failed, [12] restarts, 0 processes left`, out)

	// pool
	require.Equal(t, "[1 4 9 16]", result(t, out, "pool.Map(ctx, p, []int{1, 2, 3, 4}, square)"))
	require.Equal(t, "[25 36 49] (sorted)", result(t, out, "for r := range pool.StreamUnordered(...)"))
	require.Equal(t, `"hello from a worker", <nil>`, result(t, out, "pool.Submit(p, f).Result()"))
	require.Equal(t, "*PanicError{Value: boom} with its stack", result(t, out, "Submit(p, panics).Result()"))
	require.Equal(t, "1/3 2/3 3/3 done", result(t, out, "p.Resize(3); for f := range pool.AsCompleted(ctx, futs...)"))
	require.Equal(t, "11 completed, 1 panicked, 0 workers left", result(t, out, "p.Close(); p.Wait(); p.Stats()"))
}
