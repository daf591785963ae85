package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Run stops goroutines on a first signal and child processes on a second one. Each
// time it waits cfg.Patience for a real signal (Ctrl-C in a terminal) and then sends
// the signal to itself.
func Run(w io.Writer, cfg Config) error {
	if err := stopGoroutines(w, cfg); err != nil {
		return err
	}
	return stopChildren(w, cfg)
}

// waitOrRaise waits for a value on ch, where a signal handler reports. When none comes
// within patience it sends sig to this process (as Ctrl-C or kill(1) would) and waits on.
func waitOrRaise[T any](w io.Writer, ch <-chan T, sig syscall.Signal, patience time.Duration) (T, error) {
	fmt.Fprintf(w, "waiting up to %v for Ctrl-C (SIGINT) or SIGTERM...\n", patience)
	t := time.NewTimer(patience)
	defer t.Stop()
	select {
	case v := <-ch:
		return v, nil
	case <-t.C:
	}
	fmt.Fprintf(w, "no signal came: sending %v to ourselves\n", sig)
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		var zero T
		return zero, err
	}
	return <-ch, nil
}

// stopGoroutines is "broadcast signal to sub-thread": the context is the shared flag,
// and every worker checks it before each task.
func stopGoroutines(w io.Writer, cfg Config) error {
	fmt.Fprintf(w, "== %d goroutines share one signal.NotifyContext and check it before each task\n", cfg.Workers)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var (
		wg, started sync.WaitGroup
		mu          sync.Mutex
		lines       = make([]string, cfg.Workers)
	)
	started.Add(cfg.Workers)
	for i := range cfg.Workers {
		wg.Go(func() {
			tasks := 0
			for ctx.Err() == nil { // the flag, read before each task
				time.Sleep(2 * time.Millisecond) // one task
				if tasks++; tasks == 1 {
					started.Done()
				}
			}
			mu.Lock()
			lines[i] = fmt.Sprintf("worker %d stopped before its next task (ran at least one: %v)", i, tasks > 0)
			mu.Unlock()
		})
	}
	started.Wait()
	if _, err := waitOrRaise(w, ctx.Done(), syscall.SIGINT, cfg.Patience); err != nil {
		return err
	}
	fmt.Fprintf(w, "signal received: %v\n", context.Cause(ctx))
	wg.Wait()
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return nil
}

// child is one started child process and the reader of its standard output.
type child struct {
	cmd *exec.Cmd
	out *bufio.Scanner
}

// stopChildren is "broadcast signal to sub-process": the children share a process group,
// and one kill(-pgid, sig) reaches all of them. They are in a group of their own, so a
// Ctrl-C typed in the terminal reaches only this process, which forwards it. Here the
// parent's handler is a signal.Notify channel (Python's signal.signal(SIGINT, handler)),
// which tells it which signal to forward.
func stopChildren(w io.Writer, cfg Config) error {
	fmt.Fprintf(w, "== %d child processes in one process group; the parent forwards the signal to the group\n", cfg.Children)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var children []*child
	pgid := 0 // the first child leads the new group; the others join it
	defer func() {
		for _, c := range children { // on an early return, leave no child behind
			if c.cmd.ProcessState == nil {
				_ = c.cmd.Process.Kill()
				_ = c.cmd.Wait()
			}
		}
	}()
	for i := range cfg.Children {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), ChildEnv+"="+strconv.Itoa(i))
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: pgid}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		if pgid == 0 {
			pgid = cmd.Process.Pid
		}
		c := &child{cmd: cmd, out: bufio.NewScanner(stdout)}
		children = append(children, c)
		// The child says "ready" only once its own NotifyContext is in place.
		if !c.out.Scan() {
			return fmt.Errorf("child %d ended before it was ready", i)
		}
		fmt.Fprintln(w, c.out.Text())
	}
	fmt.Fprintf(w, "all children ready in process group %d (this process is in group %d)\n", pgid, mustPgid())

	got, err := waitOrRaise(w, sigs, syscall.SIGTERM, cfg.Patience)
	if err != nil {
		return err
	}
	sig := got.(syscall.Signal)
	fmt.Fprintf(w, "received %v: kill(-%d, %v) forwards it to the whole group\n", sig, pgid, sig)
	if err := syscall.Kill(-pgid, sig); err != nil {
		return err
	}
	var errs []error
	for i, c := range children {
		for c.out.Scan() {
			fmt.Fprintln(w, c.out.Text())
		}
		if err := c.cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("child %d: %w", i, err))
			continue
		}
		fmt.Fprintf(w, "child %d exited cleanly\n", i)
	}
	return errors.Join(errs...)
}

func mustPgid() int {
	pgid, err := syscall.Getpgid(0)
	if err != nil {
		return -1
	}
	return pgid
}

// ChildMain is the child process: it announces that it is ready, waits for SIGINT or
// SIGTERM, cleans up and returns its exit code. It gives up after a minute, so a child
// whose parent died never lingers.
func ChildMain(w io.Writer, i int) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(w, "child %d ready: pid %d, process group %d\n", i, os.Getpid(), mustPgid())
	select {
	case <-ctx.Done():
		fmt.Fprintf(w, "child %d: %v, cleaning up\n", i, context.Cause(ctx))
		return 0
	case <-time.After(time.Minute):
		fmt.Fprintf(w, "child %d: no signal within a minute, giving up\n", i)
		return 2
	}
}
