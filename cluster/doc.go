// Package cluster is syncprim's joinable queue, lock, semaphore and event
// across processes and machines, on NATS JetStream: the semantics of the
// local queue package (Put/Get, TaskDone/Join, Python 3.13's Shutdown) for
// workers that live in many processes, on one machine or many, and Lock,
// Semaphore and Event on JetStream's key-value store. It is a module of its own, so that
// the local primitives never pull a network client; it needs Go 1.26.
//
//	Python (multiprocessing / Celery)     syncprim/cluster
//	manager.Queue() / a broker queue      q, err := cluster.Open[Job](ctx, conn, "jobs")
//	q.put(x)                              err := q.Put(x)
//	q.put_nowait(x)                       err := q.TryPut(x)           // ErrFull
//	x = q.get()                           d, err := q.Get()            // d.Value
//	q.task_done()                         err := d.TaskDone()
//	self.retry(countdown=5)               err := d.Retry(5 * time.Second)
//	reject / discard                      err := d.Drop("reason")
//	q.join()                              err := q.Join()
//	q.shutdown(immediate=True)            err := q.Shutdown(true)
//
// # Connections
//
// A Conn is one connection to a NATS server with JetStream. Connect reaches a
// server or cluster by URL; the embedded package starts a server inside the
// process (in memory, or with files in a directory you name) and connects
// to it, and its Open returns a Conn whose Close stops that server too.
// Close stops only what the Conn started. Conn.JetStream gives the
// jetstream.JetStream for anything else a program keeps on the same
// server.
//
// # Queues
//
// Every process that opens the same name on the same server or cluster
// shares one queue, kept in a JetStream work-queue stream with one durable
// consumer. The names and errors are the local queue's (ErrEmpty, ErrFull,
// ErrShutdown) and every blocking call comes in three forms: X blocks, TryX
// does not wait, XContext gives up when its context is done and then has
// changed nothing. A nil context panics with "cluster: nil Context". Calls
// that only ask the server (TryPut, TryGet, Len, Unfinished, TaskDone,
// Shutdown) wait at most the Conn's request timeout. When the connection
// closes, every call, blocked or not, returns ErrClosed.
//
// What changes across machines:
//
//   - Get returns a *Delivery. The item stays unfinished until the delivery
//     is settled: TaskDone (done), Retry (deliver again after a delay) or
//     Drop (give up; counts as done).
//   - MaxSize bounds unfinished items (waiting or held by workers), not
//     only waiting ones: the server enforces it, so it holds even when a
//     worker dies and its item comes back.
//   - Items come out in the order they were put, but an item coming back
//     is served before newer ones, so order is a hint, not a promise, once
//     anything fails.
//   - Len, Unfinished and IsShutdown ask the server or report what this
//     process has heard; they may be stale at once.
//
// # At least once
//
// An item taken by a worker that dies, hangs or loses its connection before
// settling it is delivered again once the redelivery deadline (RedeliverAfter,
// 30 seconds by default) has passed since its delivery or its last
// InProgress. So each item is processed at least once, and more than once if
// a worker dies after doing the work but before TaskDone, or takes longer
// than the deadline. Make tasks idempotent: key their effects by an id that
// travels in the item (an upsert, not an insert; "set status=done where
// id=..."), or record the ids already done where the effect is kept and
// check it first. Delivery.Attempt tells a first delivery from a repeat.
//
// An item the codec cannot decode would fail the same way on every
// delivery: Get drops it (it counts as done) and returns a *DecodeError
// (errors.Is(err, ErrUndecodable)), the one error after which a Get has
// changed something. Items never get a delivery limit.
//
// # Join
//
// Join is exact. An item is removed from the stream only when the server
// records its TaskDone or Drop, and Join asks the server how many items the
// stream holds, so it returns only at a moment when every item put, by any
// process, was settled. It does not use the consumer's ack-pending count,
// which lags until the next pull, and since items have no delivery limit,
// none can stay in the stream forever. Between questions Join waits for a
// notice that an item was settled, or half a second.
//
// # Shutdown
//
// Shutdown has Python 3.13's meaning, for every process. The server itself
// refuses later Puts (the stream stops listening on the queue's subject), the
// state is kept with the stream so that processes opening the queue later
// see it, and a notice wakes blocked calls in every connected process.
// Shutdown(true) discards the waiting items, each counting as done; items
// held by workers still need their TaskDone, as in Python.
//
// # Lock, Semaphore and Event
//
//	Python (multiprocessing.managers)     syncprim/cluster
//	lock = manager.Lock()                 l, err := cluster.OpenLock(ctx, conn, "migrate", 10*time.Second)
//	lock.acquire() / lock.release()       err := l.Lock() / err := l.Unlock()
//	lock.acquire(blocking=False)          ok, err := l.TryLock()
//	lock.acquire(timeout=5)               err := l.LockContext(ctx)
//	manager.Semaphore(4)                  s, err := cluster.OpenSemaphore(ctx, conn, "api", 4, ttl)
//	manager.Event(); e.set(); e.wait()    e, err := cluster.OpenEvent(ctx, conn, "go"); e.Set(); e.Wait()
//
// Each kind lives in one key-value bucket (syncprim_locks,
// syncprim_semaphores, syncprim_events) created by the first Open. A lock
// is one key; a semaphore of n permits is n keys; an event is one key.
//
// Leases. A handle that takes a lock or a permit writes its key with a
// compare-and-set and a per-message TTL (the lease, a whole number of
// seconds), and one goroutine rewrites it every third of the TTL, again by
// compare-and-set. The server deletes the key when the TTL passes without a
// rewrite, and writes a marker that wakes the waiters, so a process that
// dies or loses its connection gives up its lock or permit within one TTL
// (plus up to a second for the server's expiry sweep). Unlock and Release
// stop the goroutine and delete the key; no goroutine survives them, nor
// Close, nor the Conn's closing.
//
// Waiting. Lock and Acquire that must wait watch the keys and try again when
// a key is deleted or expires; they never poll in a loop (a safety check
// runs once per TTL without news). There is no queue of waiters: when a key
// frees, every waiting handle tries it and the server's compare-and-set
// picks one. So there is no FIFO and no bound on how often one waiter may
// lose the race; in practice the waiter nearest the server wins most often.
// TryLock and TryAcquire may take a free key ahead of waiting handles.
//
// Fencing tokens. Lock.Token is the revision of the write that acquired the
// lock, a sequence number of the bucket's stream: it is larger for every
// acquisition than for every earlier acquisition of any lock of the bucket.
// A lease alone cannot stop a holder that was paused (a GC, a stopped VM, a
// swap storm) longer than the TTL: it wakes up believing it holds the lock
// while another process holds it. Pass the token to the storage the lock
// protects and have the storage refuse, in the same transaction as the
// write, any token lower than the highest it has seen; that, and only that,
// makes the lock safe against pauses and slow networks. examples/lockfile
// does it for a file.
//
// Losing a lease. Lock.Lost returns a channel that is closed when the
// handle's lease is lost: a refresh found the key gone or taken, no refresh
// got through for nine tenths of the TTL counted from the sending of the
// last good one, or the connection closed. Because the holder's count
// starts before the server's, the holder's channel closes before the server
// can let anyone else in, unless the holder's process itself is paused or
// its clock runs slow; then only the fencing token protects. Unlock and
// Release return ErrLeaseLost when the lease had been lost.
//
// What is linearizable: each acquisition, refresh and release is one
// compare-and-set on one key of a JetStream stream, which the server (or a
// replicated stream's leader, with Replicas) orders totally; at most one
// handle's write can succeed against a given revision. What is not: Lost,
// Token after a loss, IsSet and Held describe what this process last
// heard; a semaphore's n keys are independent, so there is no atomic
// snapshot of all of them; and mutual exclusion in time depends on clocks
// and pauses as said above.
//
// Server restarts and partitions. On a server restarted on the same
// directory (file storage), the keys and their TTLs come back: a lock held
// before the restart is still held, its holder's refreshes resume once its
// client reconnects, and tokens keep growing. With memory storage (an
// embedded server without Dir) a restart forgets every lock and starts the
// tokens again from 1. A holder cut off from the server (or from a
// replicated stream's majority) cannot refresh: its Lost channel closes
// within the TTL and, on the other side, the key expires and another handle
// may take it. Deleting the bucket also restarts the tokens.
//
// Events. Set writes the key, Clear rewrites it naming the Set it cleared,
// and Wait watches it, so every process waiting at a Set wakes, even if a
// Clear follows at once.
//
// Misuse panics as in the local packages: Unlock of a handle that does not
// hold the lock ("cluster: unlock of unlocked Lock"), Release of a handle
// that holds no permit ("cluster: semaphore released more than held"), a nil
// context ("cluster: nil Context"). A bad name, TTL or permit count is an
// error from Open, before anything is created.
//
// # Cost
//
// Each Put is one request to the server (stored and confirmed), each Get one
// pull request, each TaskDone one confirmed acknowledgement: about what a
// program written directly on nats.go's jetstream API pays for the same
// guarantees. cluster/BENCHMARKS.md has the measured figures.
package cluster
