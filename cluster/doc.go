// Package cluster is syncprim's joinable queue across processes and
// machines, on NATS JetStream: the semantics of the local queue package
// (Put/Get, TaskDone/Join, Python 3.13's Shutdown) for workers that live in
// many processes, on one machine or many. It is a module of its own, so that
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
// # Cost
//
// Each Put is one request to the server (stored and confirmed), each Get one
// pull request, each TaskDone one confirmed acknowledgement: about what a
// program written directly on nats.go's jetstream API pays for the same
// guarantees. cluster/BENCHMARKS.md has the measured figures.
package cluster
