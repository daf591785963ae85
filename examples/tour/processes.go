package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/syncprim/syncprim/procpool"
)

// cube and crash run in worker processes: this program, started again by the pool
// (main and TestMain call procpool.Main first).
var (
	cube  = procpool.Register("tour-cube", func(_ context.Context, n int) (int, error) { return n * n * n, nil })
	crash = procpool.Register("tour-crash", func(_ context.Context, code int) (int, error) {
		os.Exit(code)
		return 0, nil
	})
	hang = procpool.Register("tour-hang", func(context.Context, int) (int, error) {
		for {
			time.Sleep(time.Hour)
		}
	})
)

func tourProcpool(t *tour) error {
	ctx := context.Background()
	p := procpool.New(2, procpool.WithGrace(50*time.Millisecond), procpool.WithStderr(nil))
	t.call("p := procpool.New(2)", nil, "ProcessPoolExecutor(2)")
	t.say("tasks are registered by name: var cube = procpool.Register(\"cube\", f)")
	out, err := procpool.Map(ctx, p, cube, []int{1, 2, 3})
	if err != nil {
		return err
	}
	t.call("procpool.Map(ctx, p, cube, []int{1, 2, 3})", out, "executor.map(cube, [1, 2, 3])")
	_, err = procpool.Submit(ctx, p, crash, 3).Result()
	var pe *procpool.ProcessError
	if !errors.As(err, &pe) {
		return fmt.Errorf("a task calling os.Exit gave %v", err)
	}
	t.call("procpool.Submit(ctx, p, crash, 3).Result()", fmt.Sprintf("*ProcessError, exit status %d", pe.ExitCode()),
		"BrokenProcessPool, and the executor is unusable")
	v, err := procpool.Submit(ctx, p, cube, 4).Result()
	t.call("procpool.Submit(ctx, p, cube, 4).Result()", fmt.Sprintf("%d, %v (a new process took its place)", v, err),
		"a new ProcessPoolExecutor")
	tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = procpool.Submit(tctx, p, hang, 0).Result()
	t.call("procpool.Submit(timeoutCtx, p, hang, 0).Result()", fmt.Sprintf("%v (its process was killed)", err),
		"future.result(timeout=...) raises, but the task runs on")
	p.Close()
	if err := p.Wait(); err != nil {
		return err
	}
	s := p.Stats()
	t.call("p.Close(); p.Wait(); p.Stats()", fmt.Sprintf("%d completed, %d failed, %d restarts, %d processes left",
		s.Completed, s.Failed, s.Restarts, s.Workers), "executor.shutdown()")
	return nil
}
