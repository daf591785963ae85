// Package queue is Python's queue module for Go: a multi-producer,
// multi-consumer queue in three orders (FIFO with New, LIFO with NewLifo,
// least-first with NewPriority) that can be bounded, joined and shut down,
// with Python 3.13's semantics.
//
// Compared with a buffered channel, a Queue adds what Python programmers
// reach for: TaskDone and Join (wait until every item put has been
// processed, not only received), LIFO and priority order, non-blocking and
// context-aware variants of every blocking call, and Shutdown, which wakes
// every blocked producer and consumer with ErrShutdown and can be called any
// number of times from any goroutine (closing a channel twice, or sending on
// a closed one, panics).
//
//	Python                          syncprim
//	q = queue.Queue(maxsize=8)      q := queue.New[int](8)
//	q.put(x)                        err := q.Put(x)
//	q.put_nowait(x)                 err := q.TryPut(x)          // ErrFull
//	q.put(x, timeout=1.0)           err := q.PutContext(ctx, x)  // context.WithTimeout
//	x = q.get()                     x, err := q.Get()
//	x = q.get_nowait()              x, err := q.TryGet()         // ErrEmpty
//	q.task_done()                   q.TaskDone()
//	q.join()                        q.Join()
//	q.shutdown(immediate=True)      q.Shutdown(true)
//	except queue.ShutDown           errors.Is(err, queue.ErrShutdown)
//
// # Semantics
//
// Blocked getters and blocked putters are each served first-in first-out,
// and items are handed over directly: a Put that finds a getter waiting gives
// the item to the longest-waiting getter (a concurrent TryGet cannot steal
// it), and a Get from a full queue with putters waiting moves the
// longest-waiting putter's item into the queue and releases that putter.
//
// Every item a Put accepts counts as one unfinished task until a TaskDone
// accounts for it; Join waits until the count is zero.
//
// Shutdown(false) makes every later Put fail with ErrShutdown, even when
// there is room, and fails every blocked Put (its item is not enqueued).
// Gets keep returning the items already queued and then fail with
// ErrShutdown. Shutdown(true) also discards the queued items at once,
// counting each as done (Join returns when nothing else is unfinished), so
// that every Get fails with ErrShutdown straight away. A graceful shutdown
// may be followed by an immediate one; shutting down again is harmless.
//
// # Cancellation
//
// PutContext, GetContext and JoinContext return ctx.Err() when ctx ends
// first, and then have changed nothing: no item was taken or added, even when
// the cancellation raced with a hand-over (if the hand-over won, the call
// succeeds). As everywhere in syncprim, PutContext and GetContext with a
// context that is already done fail with ctx.Err() even when they could
// succeed at once, while JoinContext succeeds whatever the context when no
// task is unfinished.
//
// # Cost
//
// One mutex guards each queue; items live in a ring buffer (a stable binary
// heap for NewPriority) that grows by doubling, so a Put or Get that does
// not block allocates nothing per item. A call that must block allocates
// its waiter (about 150 bytes), which nothing keeps after it returns.
// Moving an item costs tens of nanoseconds, in the range of a buffered
// channel: less with one producer and one consumer, more with several of
// each, where all contend for the one mutex. A hand-over to a parked getter
// is the slow path, and NewPriority pays for its comparisons. Measured
// costs, beside buffered channels in the same run, are in
// the benchmarks/results/latest.md file in the repository.
//
// # Memory model
//
// A Put synchronizes before the Get that returns its item, a TaskDone
// synchronizes before the Join it releases, and a Shutdown synchronizes
// before every call that fails because of it.
package queue
