// Package pool is a worker pool: Python's multiprocessing.Pool and
// concurrent.futures.ThreadPoolExecutor for Go.
//
// A Pool runs tasks on at most a fixed number of worker goroutines, which
// start lazily and exit once the pool is closed and its work is done:
//
//	p := pool.New(4)
//	p.Go(func(ctx context.Context) error { ... })       // fire and forget; errors go to Wait
//	fut := pool.Submit(p, func(ctx context.Context) (int, error) { ... })
//	v, err := fut.Result()                                // concurrent.futures
//	out, err := pool.Map(ctx, p, items, f)                // Pool.map: input order, first error stops all
//	for r, err := range pool.Stream(ctx, p, seq, f) {}    // Pool.imap: bounded look-ahead
//	for r, err := range pool.StreamUnordered(ctx, p, seq, f) {} // Pool.imap_unordered
//	p.Close()
//	err = p.Wait()                                        // or p.Shutdown(ctx)
//
// Tasks get a context: the pool's (WithContext, cancelled by a Shutdown
// whose own context ends) for Go and Submit, a child of the call's context
// for Map and the streams. A task's panic is recovered and becomes a
// *PanicError with the stack; the pool keeps working. Stats gives
// consistent counters for monitoring.
//
// The backlog of tasks waiting for a worker is unbounded unless WithBacklog
// bounds it; then submitters block while it is full (TryGo, TrySubmit and
// GoContext, SubmitContext are the non-blocking and cancellable forms), and
// tasks that submit work to their own pool go over the bound instead of
// deadlocking.
//
// Costs: Go allocates nothing beyond the caller's closure, Submit allocates
// only the future, Map and the streams a few words per call and nothing per
// item, and a Map call takes a single backlog entry whatever its length.
// Every submission and every task end takes the pool's mutex once; a worker
// that finds work in the backlog takes it without parking, and parks only
// when the backlog is empty. On a 2-core machine, 10k trivial tasks through
// New(2)+Go+Close+Wait cost about 45 ns each, Submit+Result about 100 ns
// (one allocation) and Map about 40 ns per item (see BenchmarkGo10k,
// BenchmarkSubmit10k, BenchmarkMap10k and the benchmarks module).
//
// Idle workers stay parked until Close, as a ThreadPoolExecutor's threads
// do; a pool that is never closed keeps them.
package pool
