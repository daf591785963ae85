//go:build linux || darwin

package procpool_test

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/pool"
	"github.com/syncprim/syncprim/procpool"
)

func TestResultsAndErrorsRoundTripWithTypes(t *testing.T) {
	p := newPool(t, 2)
	defer finish(t, p)
	ctx := guard(t)

	v, err := procpool.Submit(ctx, p, Square, 7).Result()
	require.NoError(t, err)
	require.Equal(t, 49, v)

	_, err = procpool.Submit(ctx, p, Fail, "code").Result()
	var ce *CodeError
	require.ErrorAs(t, err, &ce, "a gob-registered error type arrives as itself")
	require.Equal(t, 42, ce.Code)

	_, err = procpool.Submit(ctx, p, Fail, "plain").Result()
	var re *procpool.RemoteError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "plain failure", re.Msg)
	require.Equal(t, "*errors.errorString", re.Type)
	require.EqualError(t, err, "plain failure")

	_, err = procpool.Submit(ctx, p, Fail, "eof").Result()
	require.ErrorIs(t, err, io.EOF, "built-in sentinels keep their identity")
	require.EqualError(t, err, "reading: EOF")

	_, err = procpool.Submit(ctx, p, Fail, "custom").Result()
	require.ErrorIs(t, err, ErrCustom, "registered sentinels keep their identity")

	_, err = procpool.Submit(ctx, p, Fail, "wrapped-code").Result()
	require.EqualError(t, err, "outer: code 7")
	require.ErrorAs(t, err, &ce, "the first error of the chain that can cross is the cause")
	require.Equal(t, 7, ce.Code)

	got, err := procpool.Submit(ctx, p, Echo, any("a string in an interface")).Result()
	require.NoError(t, err)
	require.Equal(t, "a string in an interface", got)

	s := p.Stats()
	require.Equal(t, 2, s.Completed)
	require.Equal(t, 5, s.Failed)
	require.Zero(t, s.Restarts)
}

func TestMapKeepsOrderAndStopsAtFirstError(t *testing.T) {
	p := newPool(t, 2)
	defer finish(t, p)
	ctx := guard(t)
	in := make([]int, 100)
	for i := range in {
		in[i] = i
	}
	out, err := procpool.Map(ctx, p, Square, in)
	require.NoError(t, err)
	for i, v := range out {
		require.Equal(t, i*i, v)
	}
	_, err = procpool.Map(ctx, p, Fail, []string{"ok", "ok", "code", "ok"})
	var ce *CodeError
	require.ErrorAs(t, err, &ce)
	out, err = procpool.Map(ctx, p, Square, nil)
	require.NoError(t, err)
	require.Empty(t, out)
}

func TestManyTasksAcrossWorkers(t *testing.T) {
	p := newPool(t, 3)
	defer finish(t, p)
	ctx := guard(t)
	futs := make([]*pool.Future[int], 300)
	for i := range futs {
		futs[i] = procpool.Submit(ctx, p, Pid, struct{ X int }{i})
	}
	pids := map[int]int{}
	for _, f := range futs {
		pid, err := f.Result()
		require.NoError(t, err)
		require.NotEqual(t, os.Getpid(), pid)
		pids[pid]++
	}
	require.LessOrEqual(t, len(pids), 3)
	require.Greater(t, len(pids), 1, "tasks ran in more than one worker: %v", pids)
	s := p.Stats()
	require.Equal(t, 300, s.Completed)
	require.Zero(t, s.Restarts)
	require.Equal(t, len(pids), s.Workers)
}

// TestCrashFailsOnlyItsTask runs a task that kills its worker beside
// well-behaved ones: only it fails, with a *ProcessError saying how, its
// process is gone, a new one serves the next task.
func TestCrashFailsOnlyItsTask(t *testing.T) {
	for _, tc := range []struct {
		name     string
		task     *procpool.Task[int, int]
		arg      int
		exitCode int
		headline string
	}{
		{"os.Exit(3)", Exit, 3, 3, ""},
		{"fatal error: concurrent map writes", Racy, 0, 2, "fatal error: concurrent map writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, 2)
			defer finish(t, p)
			ctx := guard(t)
			bad := procpool.Submit(ctx, p, tc.task, tc.arg)
			good := make([]*pool.Future[int], 20)
			for i := range good {
				good[i] = procpool.Submit(ctx, p, Square, i)
			}
			_, err := bad.ResultContext(ctx)
			var pe *procpool.ProcessError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.task.Name(), pe.Task)
			require.Equal(t, tc.exitCode, pe.ExitCode(), err.Error())
			require.Equal(t, tc.headline, pe.Headline)
			if tc.headline != "" {
				require.Contains(t, err.Error(), tc.headline)
				require.NotEmpty(t, pe.Stderr)
			}
			gone(t, pe.Pid)

			for i, f := range good {
				v, err := f.ResultContext(ctx)
				require.NoError(t, err, "task %d", i)
				require.Equal(t, i*i, v)
			}
			require.NotEqual(t, pe.Pid, pidOf(t, p), "the pool keeps serving with a new process")
			s := p.Stats()
			require.Equal(t, 1, s.Restarts)
			require.Equal(t, 1, s.Failed)
			require.Equal(t, 21, s.Completed)
		})
	}
}

func TestPanicIsRecoveredInTheWorker(t *testing.T) {
	p := newPool(t, 1)
	defer finish(t, p)
	ctx := guard(t)
	pid := pidOf(t, p)
	_, err := procpool.Submit(ctx, p, Panic, 0).Result()
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	var rp *procpool.RemotePanic
	require.ErrorAs(t, err, &rp)
	require.Equal(t, "boom in the worker", rp.Value)
	require.Equal(t, "string", rp.Type)
	require.Contains(t, string(rp.Stack), "procpool_test")
	require.Equal(t, pid, pidOf(t, p), "the worker survives a panic")
	s := p.Stats()
	require.Equal(t, 1, s.Panicked)
	require.Zero(t, s.Restarts)
}

func TestCancelKillsARunawayTask(t *testing.T) {
	p := newPool(t, 1)
	defer finish(t, p)
	pid := pidOf(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := procpool.Submit(ctx, p, Runaway, 0).ResultContext(guard(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 20*time.Second)
	gone(t, pid)
	require.Equal(t, 1, p.Stats().Restarts)
	require.NotEqual(t, pid, pidOf(t, p), "a new worker serves")
}

func TestCancelKeepsAWorkerThatReturnsInTime(t *testing.T) {
	p := newPool(t, 1, procpool.WithGrace(20*time.Second))
	defer finish(t, p)
	pid := pidOf(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	f := procpool.Submit(ctx, p, Polite, 0)
	cancel()
	_, err := f.ResultContext(guard(t))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, pid, pidOf(t, p), "the worker returned within the grace period: kept")
	require.Zero(t, p.Stats().Restarts)
}

func TestDoneContextUsesNoWorker(t *testing.T) {
	p := newPool(t, 1)
	defer finish(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := procpool.Submit(ctx, p, Square, 2).Result()
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, p.Stats().Workers, "no process started")
}

func TestMaxTasksReplacesWorkersAtTheCount(t *testing.T) {
	p := newPool(t, 1, procpool.WithMaxTasks(3))
	defer finish(t, p)
	var pids []int
	for range 7 {
		pids = append(pids, pidOf(t, p))
	}
	require.Equal(t, pids[0], pids[1])
	require.Equal(t, pids[0], pids[2])
	require.NotEqual(t, pids[2], pids[3])
	require.Equal(t, pids[3], pids[4])
	require.Equal(t, pids[3], pids[5])
	require.NotEqual(t, pids[5], pids[6])
	require.Len(t, slices.Compact(slices.Clone(pids)), 3)
	gone(t, pids[0])
	gone(t, pids[3])
	require.Equal(t, 2, p.Stats().Restarts)
}

func TestMaxMemoryReplacesAWorkerAboveTheLimit(t *testing.T) {
	p := newPool(t, 1, procpool.WithMaxMemory(1<<40))
	pid := pidOf(t, p)
	require.Equal(t, pid, pidOf(t, p), "far below the limit: kept")
	finish(t, p)
	p2 := newPool(t, 1, procpool.WithMaxMemory(1))
	defer finish(t, p2)
	a, b := pidOf(t, p2), pidOf(t, p2)
	require.NotEqual(t, a, b, "every task leaves the peak above one byte")
	require.Equal(t, 2, p2.Stats().Restarts)
}

func TestShutdownKillsARunningTask(t *testing.T) {
	p := newPool(t, 1)
	pid := pidOf(t, p)
	f := procpool.Submit(context.Background(), p, Runaway, 0)
	queued := procpool.Submit(context.Background(), p, Square, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, p.Shutdown(ctx), context.DeadlineExceeded)
	_, err := f.Result()
	require.ErrorIs(t, err, context.Canceled)
	_, err = queued.Result()
	require.ErrorIs(t, err, pool.ErrCancelled)
	gone(t, pid)
	require.Zero(t, p.Stats().Workers)
	require.NoError(t, p.Wait())
}

func TestCloseWaitStopsIdleWorkers(t *testing.T) {
	p := newPool(t, 2)
	ctx := guard(t)
	futs := []*pool.Future[int]{
		procpool.Submit(ctx, p, Pid, struct{ X int }{1}),
		procpool.Submit(ctx, p, Pid, struct{ X int }{2}),
	}
	var pids []int
	for _, f := range futs {
		pid, err := f.Result()
		require.NoError(t, err)
		pids = append(pids, pid)
	}
	finish(t, p)
	for _, pid := range pids {
		gone(t, pid)
	}
	_, err := procpool.Submit(ctx, p, Square, 1).Result()
	require.ErrorIs(t, err, pool.ErrClosed)
}

func TestBadInputGivesClearErrors(t *testing.T) {
	ctx := guard(t)
	t.Run("a task the worker does not know", func(t *testing.T) {
		p := newPool(t, 1)
		defer finish(t, p)
		_, err := procpool.Submit(ctx, p, late, 1).Result()
		require.ErrorIs(t, err, procpool.ErrUnknownTask)
		require.Contains(t, err.Error(), `"late"`)
		v, err := procpool.Submit(ctx, p, Square, 3).Result()
		require.NoError(t, err)
		require.Equal(t, 9, v)
	})
	t.Run("an argument gob cannot encode", func(t *testing.T) {
		p := newPool(t, 1)
		defer finish(t, p)
		pid := pidOf(t, p)
		_, err := procpool.Submit(ctx, p, Echo, any(struct{ C chan int }{})).Result()
		require.ErrorContains(t, err, `procpool: task "echo": encoding its argument`)
		_, err = procpool.Submit(ctx, p, Echo, any(make(chan int))).Result()
		require.ErrorContains(t, err, `encoding its argument`)
		v, err := procpool.Submit(ctx, p, Echo, any(5)).Result()
		require.NoError(t, err, "the stream survives a refused value")
		require.Equal(t, 5, v)
		require.Equal(t, pid, pidOf(t, p), "and so does the worker")
	})
	t.Run("a result gob cannot encode", func(t *testing.T) {
		p := newPool(t, 1)
		defer finish(t, p)
		_, err := procpool.Submit(ctx, p, BadResult, 1).Result()
		require.ErrorContains(t, err, `procpool: task "bad-result": encoding the result`)
		v, err := procpool.Submit(ctx, p, Square, 4).Result()
		require.NoError(t, err)
		require.Equal(t, 16, v)
	})
	for _, tc := range []struct {
		name string
		cmd  []string
		want string
	}{
		{"a program that is not a worker and exits", []string{"/bin/sh", "-c", "echo hello"}, "exited or closed"},
		{"a program that is not a worker and hangs", []string{"/bin/sh", "-c", "exec sleep 30"}, "no greeting within the start timeout"},
		{"a program that greets wrongly", []string{"/bin/sh", "-c", "echo 'HTTP/1.1 200 OK here we go' >&4; exec sleep 30"}, `it wrote "HTTP/1.1 200 OK here`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, 1, procpool.WithCommand(tc.cmd[0], tc.cmd[1:]...), procpool.WithStartTimeout(300*time.Millisecond))
			defer finish(t, p)
			_, err := procpool.Submit(ctx, p, Square, 2).ResultContext(ctx)
			require.ErrorIs(t, err, procpool.ErrHandshake)
			require.ErrorContains(t, err, tc.want)
			var pe *procpool.ProcessError
			require.ErrorAs(t, err, &pe)
			gone(t, pe.Pid)
		})
	}
	t.Run("garbage on the protocol descriptor", func(t *testing.T) {
		garbage := strings.Repeat("garbage ", 64)
		p := newPool(t, 1, procpool.WithCommand("/bin/sh", "-c", "printf 'syncprim/procpool 1\\n' >&4; echo '"+garbage+"' >&4; exec sleep 30"))
		defer finish(t, p)
		_, err := procpool.Submit(ctx, p, Square, 2).ResultContext(ctx)
		require.ErrorIs(t, err, procpool.ErrProtocol)
		var pe *procpool.ProcessError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "square", pe.Task)
		gone(t, pe.Pid)
	})
}

func TestTaskOutputDoesNotMixWithTheProtocol(t *testing.T) {
	var out strings.Builder
	p := newPool(t, 1, procpool.WithStdout(&out))
	ctx := guard(t)
	n, err := procpool.Submit(ctx, p, Print, "hello from the worker").Result()
	require.NoError(t, err)
	require.Equal(t, len("hello from the worker\n"), n)
	finish(t, p)
	require.Equal(t, "hello from the worker\n", out.String())
}

func TestMisusePanics(t *testing.T) {
	p := newPool(t, 1)
	defer finish(t, p)
	//lint:ignore SA1012 testing the nil check
	require.PanicsWithValue(t, "procpool: nil Context", func() { procpool.Submit(nil, p, Square, 1) })
	//lint:ignore SA1012 testing the nil check
	require.PanicsWithValue(t, "procpool: nil Context", func() { _, _ = procpool.Map(nil, p, Square, nil) })
	require.PanicsWithValue(t, "procpool: Pool used without New", func() {
		procpool.Submit(context.Background(), new(procpool.Pool), Square, 1)
	})
	require.PanicsWithValue(t, "procpool: Task used without Register", func() {
		procpool.Submit(context.Background(), p, new(procpool.Task[int, int]), 1)
	})
	require.PanicsWithValue(t, `procpool: task "square" registered twice`, func() {
		procpool.Register("square", func(context.Context, int) (int, error) { return 0, nil })
	})
	require.PanicsWithValue(t, "procpool: Register with an empty name", func() {
		procpool.Register("", func(context.Context, int) (int, error) { return 0, nil })
	})
	require.PanicsWithValue(t, "procpool: Wait before Close", func() { _ = p.Wait() })
	require.False(t, procpool.IsWorker())
	require.True(t, errors.Is(procpool.ErrHandshake, procpool.ErrHandshake))
}

// TestFuturesWorkWithPoolsWaiting: procpool's futures are pool's, so
// OnDone, Err, pool.Wait and pool.AsCompleted work on them unchanged.
func TestFuturesWorkWithPoolsWaiting(t *testing.T) {
	p := newPool(t, 2)
	defer finish(t, p)
	ctx := guard(t)
	good := procpool.Submit(ctx, p, Square, 6)
	bad := procpool.Submit(ctx, p, Fail, "plain")
	called := make(chan int, 1)
	good.OnDone(func(f *pool.Future[int]) {
		v, _ := f.Result()
		called <- v
	})
	done, pending, err := pool.Wait(ctx, pool.AllCompleted, good, bad)
	require.NoError(t, err)
	require.Empty(t, pending)
	require.Equal(t, []*pool.Future[int]{good, bad}, done)
	require.NoError(t, good.Err())
	require.Error(t, bad.Err())
	require.Equal(t, 36, <-called)
	n := 0
	for f, err := range pool.AsCompleted(ctx, good, bad) {
		require.NoError(t, err)
		require.NotNil(t, f)
		n++
	}
	require.Equal(t, 2, n)
}
