//go:build linux || darwin

package procpool_test

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/procpool"
)

// TestMain serves as a worker when a pool started this test binary as one;
// otherwise it runs the tests and checks that no goroutine is left.
func TestMain(m *testing.M) {
	procpool.Main()
	// Registered after Main: the workers never see it.
	late = procpool.Register("late", func(_ context.Context, n int) (int, error) { return n, nil })
	goleak.VerifyTestMain(m)
}

var late *procpool.Task[int, int]

// CodeError is an error type registered with gob: it crosses with its type.
type CodeError struct{ Code int }

func (e *CodeError) Error() string { return fmt.Sprintf("code %d", e.Code) }

// ErrCustom is a sentinel whose identity crosses.
var ErrCustom = errors.New("custom sentinel")

func init() {
	gob.Register(&CodeError{})
	procpool.RegisterErrors(ErrCustom)
}

var (
	Square = procpool.Register("square", func(_ context.Context, n int) (int, error) { return n * n, nil })
	Pid    = procpool.Register("pid", func(context.Context, struct{ X int }) (int, error) { return os.Getpid(), nil })
	Fail   = procpool.Register("fail", func(_ context.Context, kind string) (int, error) {
		switch kind {
		case "code":
			return 0, &CodeError{Code: 42}
		case "plain":
			return 0, errors.New("plain failure")
		case "eof":
			return 0, fmt.Errorf("reading: %w", io.EOF)
		case "wrapped-code":
			return 0, fmt.Errorf("outer: %w", &CodeError{Code: 7})
		case "custom":
			return 0, fmt.Errorf("outer: %w", ErrCustom)
		}
		return 1, nil
	})
	Panic = procpool.Register("panic", func(context.Context, int) (int, error) { panic("boom in the worker") })
	Exit  = procpool.Register("exit", func(_ context.Context, code int) (int, error) {
		os.Exit(code)
		return 0, nil
	})
	// Racy writes a map from two goroutines until the runtime dies of it.
	Racy = procpool.Register("racy", func(context.Context, int) (int, error) {
		m := map[int]int{}
		go func() {
			for i := 0; ; i++ {
				m[i%64] = i
			}
		}()
		for i := 0; ; i++ {
			m[i%64] = i
		}
	})
	// Runaway ignores its context.
	Runaway = procpool.Register("runaway", func(context.Context, int) (int, error) {
		for {
			time.Sleep(time.Hour)
		}
	})
	// Polite returns when its context ends.
	Polite = procpool.Register("polite", func(ctx context.Context, _ int) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
	Echo = procpool.Register("echo", func(_ context.Context, v any) (any, error) { return v, nil })
	// BadResult returns a value gob cannot encode.
	BadResult = procpool.Register("bad-result", func(context.Context, int) (func(), error) { return func() {}, nil })
	Print     = procpool.Register("print", func(_ context.Context, s string) (int, error) {
		return fmt.Println(s)
	})
	Grow = procpool.Register("grow", func(_ context.Context, mb int) (int, error) {
		b := make([]byte, mb<<20)
		for i := range b {
			b[i] = 1
		}
		return len(b), nil
	})
)

// newPool returns a pool whose workers' stderr is kept only for errors.
func newPool(t *testing.T, n int, opts ...procpool.Option) *procpool.Pool {
	t.Helper()
	return procpool.New(n, append([]procpool.Option{procpool.WithStderr(io.Discard), procpool.WithGrace(50 * time.Millisecond)}, opts...)...)
}

// finish closes p, waits for it and checks that no process or goroutine is left.
func finish(t *testing.T, p *procpool.Pool) {
	t.Helper()
	p.Close()
	require.NoError(t, p.Wait())
	require.Zero(t, p.Stats().Workers)
	goleak.VerifyNone(t)
}

// gone checks that process pid no longer exists (it was reaped).
func gone(t *testing.T, pid int) {
	t.Helper()
	require.NotZero(t, pid)
	require.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "process %d is still there", pid)
}

func pidOf(t *testing.T, p *procpool.Pool) int {
	t.Helper()
	pid, err := procpool.Submit(context.Background(), p, Pid, struct{ X int }{}).Result()
	require.NoError(t, err)
	return pid
}

// guard is a generous failure guard for calls that must not hang.
func guard(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var _ = testutil.WaitUntil
