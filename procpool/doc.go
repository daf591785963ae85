// Package procpool runs tasks in worker processes: Python's
// concurrent.futures.ProcessPoolExecutor and multiprocessing.Pool for the
// work a goroutine cannot be trusted with.
//
// Goroutines already run in parallel, so the reason to use a process in Go
// is different: a goroutine cannot be killed, and some failures cannot be
// recovered at all (fatal error: concurrent map writes, a stack overflow, a
// runaway cgo call, a library that calls os.Exit or leaks memory). In a
// worker process, such a task fails alone:
//
//	var Square = procpool.Register("square", func(ctx context.Context, n int) (int, error) {
//		return n * n, nil
//	})
//
//	func main() {
//		procpool.Main() // serve as a worker when started as one
//		p := procpool.New(4)
//		fut := procpool.Submit(ctx, p, Square, 7)  // a *pool.Future[int]
//		v, err := fut.Result()
//		out, err := procpool.Map(ctx, p, Square, []int{1, 2, 3})
//		p.Close()
//		err = p.Wait()                            // or p.Shutdown(ctx)
//	}
//
// # Workers
//
// Tasks are registered by name (closures cannot cross a process boundary),
// with typed arguments and results that travel with encoding/gob. The
// workers are this same program, started again from os.Executable() with a
// mark in the environment that Main recognizes: call Main first thing in
// main, and in TestMain for tests. A worker talks to the pool over two
// pipes of its own (file descriptors 3 and 4), so whatever a task prints
// goes to standard output and error untouched; the last lines of a worker's
// standard error are kept for the error of a task that kills it.
//
// Processes start lazily, one per worker goroutine of an inner pool.Pool,
// and run one task at a time. The results are pool's futures, so Result,
// ResultContext, Done and Cancel work unchanged, and so does everything
// that takes a pool future.
//
// # What processes add
//
//   - Cancellation kills. When a task's context ends while it runs, the
//     worker's context for it is cancelled; a worker that has not returned
//     within the grace period (WithGrace) is killed and replaced. The future
//     ends with the context's error. A hard per-task timeout is
//     context.WithTimeout.
//   - Crash isolation. A task that takes its worker down fails with a
//     *ProcessError (exit status or signal, the last lines of its standard
//     error); a new process takes the worker's place, and other tasks are
//     untouched. Unlike Python's BrokenProcessPool, the pool never breaks.
//     A panic is recovered in the worker, which keeps serving; the future's
//     error is a *pool.PanicError whose Value is a *RemotePanic.
//   - Recycling. WithMaxTasks replaces a worker after n tasks
//     (max_tasks_per_child); WithMaxMemory after a task that left its peak
//     resident set above a size.
//   - Nothing left behind. Close+Wait and Shutdown leave no worker process
//     and no goroutine. Workers lead their own process group and die with
//     their parent: on Linux by a parent-death signal; on macOS they exit
//     when they see the end of their input, which a goroutine of their own
//     watches even while a task runs.
//
// # Errors
//
// A task's error arrives with its type when that type was registered with
// gob.Register (at package level, so the workers register it too); other
// errors arrive as a *RemoteError with their text and type name, and
// errors.Is still matches the sentinels registered with RegisterErrors
// (the context errors, io.EOF and the fs errors are registered already).
// Bad input gives an error, never a hang: an argument gob cannot encode, a
// task the worker does not know (ErrUnknownTask), a worker program that
// is not a procpool program (ErrHandshake, within the start timeout), a
// worker that writes garbage on its protocol descriptor (ErrProtocol).
//
// # Cost
//
// A task costs a round trip through two pipes between processes and the
// gob encoding of its argument and result: microseconds, not the tens of
// nanoseconds of a pool task, so a task should be worth it. The benchmarks
// module measures it against Python's ProcessPoolExecutor; the figures are
// in the benchmarks/results/latest.md file in the repository.
//
// # Platforms
//
// Linux and macOS. Elsewhere the package builds, Main does nothing and
// every task fails with an error wrapping errors.ErrUnsupported.
package procpool
