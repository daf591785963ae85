//go:build linux || darwin

package procpool_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncprim/syncprim/procpool"
)

// Square and the other tasks are registered at package level (main_test.go),
// and TestMain calls procpool.Main first: this test binary is its own worker.

func ExampleSubmit() {
	p := procpool.New(2)
	defer func() { p.Close(); _ = p.Wait() }()
	ctx := context.Background()

	v, err := procpool.Submit(ctx, p, Square, 7).Result()
	fmt.Println(v, err)

	// A task that takes its process down fails alone.
	_, err = procpool.Submit(ctx, p, Exit, 3).Result()
	var pe *procpool.ProcessError
	fmt.Println(errors.As(err, &pe), pe.ExitCode())

	// A deadline kills a task that ignores its context.
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = procpool.Submit(tctx, p, Runaway, 0).Result()
	fmt.Println(err)

	out, err := procpool.Map(ctx, p, Square, []int{1, 2, 3})
	fmt.Println(out, err, p.Stats().Restarts)
	// Output:
	// 49 <nil>
	// true 3
	// context deadline exceeded
	// [1 4 9] <nil> 2
}
