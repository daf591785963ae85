package pool_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/pool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// guard is the failure guard for things that must happen: far longer than
// they take, never a pacing device.
const guard = 10 * time.Second

// eventually polls cond, yielding the processor, until it holds.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		runtime.Gosched()
	}
}

// finish closes p, waits for it and checks that no goroutine is left.
func finish(t *testing.T, p *pool.Pool) error {
	t.Helper()
	p.Close()
	err := p.Wait()
	require.Zero(t, p.Stats().Workers)
	goleak.VerifyNone(t)
	return err
}

// blocker occupies workers: each task it starts signals started and waits
// for release (or its context).
type blocker struct {
	started chan struct{}
	release chan struct{}
}

func newBlocker() *blocker {
	return &blocker{started: make(chan struct{}, 1000), release: make(chan struct{})}
}

func (b *blocker) task(ctx context.Context) error {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// occupy starts n blocking tasks on p and returns once all run.
func (b *blocker) occupy(t *testing.T, p *pool.Pool, n int) {
	t.Helper()
	for range n {
		require.NoError(t, p.Go(b.task))
	}
	for range n {
		select {
		case <-b.started:
		case <-time.After(guard):
			t.Fatal("blocking task did not start")
		}
	}
}

func (b *blocker) open() { close(b.release) }

// recv receives from c or fails the test.
func recv[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(guard):
		t.Fatal("nothing received")
		panic("unreachable")
	}
}

// sum is the number of tasks a Stats accounts for.
func sum(s pool.Stats) int {
	return s.Queued + s.Running + s.Completed + s.Failed + s.Panicked + s.Cancelled
}

var blockedSubmitters = pool.BlockedSubmitters
