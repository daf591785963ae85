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
//	done, pending, err := pool.Wait(ctx, pool.FirstError, futs...) // concurrent.futures.wait
//	for f, err := range pool.AsCompleted(ctx, futs...) {}  // as_completed
//	fut.OnDone(func(f *pool.Future[int]) { ... })          // add_done_callback
//	p.Resize(8)                                           // more (or fewer) workers, now
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
// # How a task moves
//
// Go, Submit, Map and the streams are runners, sources of items. A
// submission hands an item straight to an idle or new worker, or queues an
// entry for it in the backlog (a Map keeps one entry for all its queued
// items); a worker takes entries from the front, skipping the dead ones of
// cancelled futures and stopped calls, runs the item without the pool's
// lock, and records its end under the lock, which wakes what waits for that
// item alone.
//
// # Costs
//
// Go allocates nothing beyond the caller's closure, Submit allocates only
// the future, Map and the streams a few words per call and nothing per
// item. Every submission and every task end takes the pool's mutex once; a
// worker that finds work in the backlog takes it without parking, and parks
// only when the backlog is empty; a worker that parks, and a submitter that
// blocks on a full backlog, allocate a waiter (about 150 bytes) that nothing
// keeps afterwards. A goroutine blocked in Result, a Done
// channel, a Wait or AsCompleted watch and an OnDone callback each belong
// to their future and cost a small allocation: ending a future costs in
// proportion to what waits for that future, whatever else waits on the
// pool, and Wait and AsCompleted cost in proportion to the futures they are
// given. The benchmarks module measures these costs against other pools
// and against hand-written waiting loops; the figures are in
// the benchmarks/results/latest.md file in the repository.
//
// # Memory
//
// Memory follows the work: cancelled futures and the entries of stopped
// calls leave the backlog once they outnumber the live ones, so a bounded
// backlog bounds memory even when its work is cancelled, and nothing of a
// finished task (closure, future, result) stays reachable from the pool.
// Idle workers stay parked until Close (or a Resize that shrinks the pool),
// as a ThreadPoolExecutor's threads do; a pool that is never closed keeps
// them.
package pool
