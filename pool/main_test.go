package pool_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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
		testutil.Recv(t, b.started, "a blocking task to start")
	}
}

func (b *blocker) open() { close(b.release) }

// sum is the number of tasks a Stats accounts for.
func sum(s pool.Stats) int {
	return s.Queued + s.Running + s.Completed + s.Failed + s.Panicked + s.Cancelled
}

var blockedSubmitters = pool.BlockedSubmitters
