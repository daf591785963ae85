// Procpool is a small job server that runs untrusted, sometimes-crashing jobs in worker
// processes, in the spirit of the talks' "share nothing" workers whose crash does not take
// down the others ("Concurrency in Python" and "Python concurrency from the ground up:
// LIVE!" by David Beazley): some jobs panic, one hits a fatal runtime error that no recover
// can catch, one calls os.Exit, one runs away and is killed when its deadline passes. Each
// of those fails alone, with an error that says what happened; the server keeps serving the
// jobs around them and ends with no process left behind.
//
//	go run ./examples/procpool
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/syncprim/syncprim/pool"
	"github.com/syncprim/syncprim/procpool"
)

func main() {
	procpool.Main() // when the pool starts this program as a worker, serve and never return
	if err := Run(os.Stdout, Config{Workers: 2, Deadline: 300 * time.Millisecond}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Job is what a client sends: a kind of work and its size.
type Job struct {
	ID   int
	Kind string // "sum", "panic", "fatal", "exit", "runaway"
	N    int
}

// RunJob is the job runner, registered by name so that the worker processes (this same
// program, started again) can find it. It is untrusted code: some kinds misbehave.
var RunJob = procpool.Register("run-job", func(ctx context.Context, j Job) (int, error) {
	switch j.Kind {
	case "sum":
		s := 0
		for i := 1; i <= j.N; i++ {
			s += i * i
		}
		return s, nil
	case "panic":
		var limits []int
		return limits[j.N], nil // index out of range
	case "fatal":
		m := map[int]int{} // written from two goroutines: the runtime aborts the process
		go func() {
			for i := 0; ; i++ {
				m[i%8] = i
			}
		}()
		for i := 0; ; i++ {
			m[i%8] = i
		}
	case "exit":
		os.Exit(j.N) // a library that "handles" errors by exiting
	case "runaway":
		for { // ignores ctx: only killing the process stops it
			time.Sleep(time.Hour)
		}
	}
	return 0, fmt.Errorf("unknown job kind %q", j.Kind)
})

// Config sets the server's size and every job's deadline.
type Config struct {
	Workers  int
	Deadline time.Duration
}

// Jobs is the day's work: mostly good jobs, and one of each way to misbehave.
var Jobs = []Job{
	{1, "sum", 10}, {2, "panic", 0}, {3, "sum", 100}, {4, "fatal", 0}, {5, "sum", 1000},
	{6, "runaway", 0}, {7, "exit", 3}, {8, "sum", 20}, {9, "panic", 0}, {10, "sum", 30},
}

// Run serves Jobs on a pool of cfg.Workers processes and prints what happened to each.
func Run(w io.Writer, cfg Config) error {
	p := procpool.New(cfg.Workers,
		procpool.WithGrace(100*time.Millisecond), // a cancelled job has this long to return
		procpool.WithStderr(nil))                 // keep the crash dumps out of the output; errors carry their last lines
	futs := make([]*pool.Future[int], len(Jobs))
	for i, j := range Jobs {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Deadline)
		defer cancel()
		futs[i] = procpool.Submit(ctx, p, RunJob, j)
	}
	fmt.Fprintf(w, "serving %d jobs on %d worker processes, each with a %v deadline\n", len(Jobs), cfg.Workers, cfg.Deadline)
	for i, f := range futs {
		v, err := f.Result()
		fmt.Fprintf(w, "job %2d %-8s %s\n", Jobs[i].ID, Jobs[i].Kind, describe(v, err))
	}
	s := p.Stats()
	p.Close()
	if err := p.Wait(); err != nil {
		return err
	}
	fmt.Fprintf(w, "served %d jobs: %d ok, %d failed, %d panicked; %d worker processes replaced\n",
		len(Jobs), s.Completed, s.Failed, s.Panicked, s.Restarts)
	fmt.Fprintf(w, "after Close and Wait: %d worker processes left\n", p.Stats().Workers)
	fmt.Fprintln(w, "lessons: a panic is recovered in its worker, which keeps serving;")
	fmt.Fprintln(w, "  a fatal error or os.Exit ends only its own process, and a new one takes its place;")
	fmt.Fprintln(w, "  a deadline kills a job that ignores its context: a goroutine could not be stopped.")
	return nil
}

// describe says in one line what became of a job.
func describe(v int, err error) string {
	var pe *procpool.ProcessError
	var rp *procpool.RemotePanic
	switch {
	case err == nil:
		return fmt.Sprintf("ok: %d", v)
	case errors.As(err, &rp):
		return "panicked in its worker, recovered there: " + rp.Value
	case errors.As(err, &pe) && pe.Headline != "":
		return fmt.Sprintf("took its worker down (exit status %d): %s", pe.ExitCode(), pe.Headline)
	case errors.As(err, &pe):
		return fmt.Sprintf("took its worker down (exit status %d)", pe.ExitCode())
	case errors.Is(err, context.DeadlineExceeded):
		return "ran past its deadline: its worker was killed"
	default:
		return "failed: " + strings.SplitN(err.Error(), "\n", 2)[0]
	}
}
