package cluster

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors with the same meaning as the local queue package's, testable with
// errors.Is.
var (
	// ErrEmpty is returned by TryGet when no item is waiting to be taken.
	ErrEmpty = errors.New("cluster: queue empty")
	// ErrFull is returned by TryPut when a bounded queue has MaxSize
	// unfinished items.
	ErrFull = errors.New("cluster: queue full")
	// ErrShutdown is returned by every Put after Shutdown, and by every Get
	// once a shut-down queue has no item left to hand out.
	ErrShutdown = errors.New("cluster: queue shut down")
	// ErrUndecodable is matched (errors.Is) by the DecodeError a Get returns
	// for an item the codec cannot decode.
	ErrUndecodable = errors.New("cluster: undecodable item")
)

// DecodeError is returned by Get, TryGet and GetContext, and yielded by All,
// for an item whose payload the queue's codec cannot decode. The item has
// been dropped (it counts as done and is never delivered again): it is the
// one error after which a Get has changed something.
type DecodeError struct {
	Queue string // queue name
	Seq   uint64 // the item's sequence number in the queue's stream
	Err   error  // the codec's error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("cluster: queue %q: item %d cannot be decoded and was dropped: %v", e.Queue, e.Seq, e.Err)
}

// Unwrap returns ErrUndecodable and the codec's error.
func (e *DecodeError) Unwrap() []error { return []error{ErrUndecodable, e.Err} }

const (
	errNilCtx   = "cluster: nil Context"
	metaKey     = "syncprim.shutdown" // stream metadata: "", "graceful" or "immediate"
	consumerKey = "workers"           // the queue's one durable consumer
)

// mode is the shut-down state of a queue; it only ever grows.
type mode uint8

const (
	open mode = iota
	shutGraceful
	shutImmediate
)

var modeNames = [...]string{open: "", shutGraceful: "graceful", shutImmediate: "immediate"}

func parseMode(s string) mode {
	switch s {
	case "graceful":
		return shutGraceful
	case "immediate":
		return shutImmediate
	}
	return open
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// Queue is a handle on a queue shared by every process that opens the same
// name on the same NATS server or cluster. It is safe for concurrent use; a
// process needs only one handle per queue. Close it when done. A Queue must
// not be copied after first use.
type Queue[T any] struct {
	c     *Conn
	name  string
	codec Codec
	st    jetstream.Stream
	cons  jetstream.Consumer

	subject  string // where Put publishes while the queue is open
	closed   string // the stream's subject once shut down (nobody publishes there)
	doneSubj string // core NATS: "an item was settled", for Join and full Puts
	shutSubj string // core NATS: "the queue was shut down", for blocked calls
	nextSubj string // the consumer's pull API subject

	shutMsgs chan *nats.Msg // shutSubj messages, read by whichever call is running
	shutSub  *nats.Subscription

	mu    sync.Mutex
	mode  mode
	shut  chan struct{} // closed when mode leaves open
	close sync.Once
}

// Open opens the queue called name (letters, digits, '-' and '_'), creating
// it on the server if no process has yet, and returns a handle on it. The
// first Open creates the queue with its options; later Opens use the queue
// as it is (except RedeliverAfter, which each Open that passes it sets; an Open
// without it keeps the queue's deadline). It
// blocks until the server answers or ctx is done. A nil ctx panics.
func Open[T any](ctx context.Context, c *Conn, name string, opts ...Option) (*Queue[T], error) {
	if ctx == nil {
		panic(errNilCtx)
	}
	if c == nil {
		panic("cluster: Open with a nil *Conn")
	}
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("cluster: invalid queue name %q: use letters, digits, '-' and '_'", name)
	}
	o := options{codec: JSON{}, redeliverAfter: DefaultRedeliverAfter, replicas: 1}
	for _, opt := range opts {
		opt.apply(&o)
	}
	q := &Queue[T]{
		c:        c,
		name:     name,
		codec:    o.codec,
		subject:  "syncprim.queue." + name,
		closed:   "syncprim.closed." + name,
		doneSubj: "syncprim.done." + name,
		shutSubj: "syncprim.shut." + name,
		shutMsgs: make(chan *nats.Msg, 16),
		shut:     make(chan struct{}),
	}
	stream := "SYNCPRIM_QUEUE_" + name
	q.nextSubj = fmt.Sprintf("$JS.API.CONSUMER.MSG.NEXT.%s.%s", stream, consumerKey)

	// Listen before reading the state, so no shutdown falls in between.
	sub, err := c.nc.ChanSubscribe(q.shutSubj, q.shutMsgs)
	if err != nil {
		return nil, c.closedErr(fmt.Errorf("cluster: open %q: %w", name, err))
	}
	q.shutSub = sub
	if err := q.bind(ctx, stream, o); err != nil {
		_ = sub.Unsubscribe()
		return nil, c.closedErr(fmt.Errorf("cluster: open %q: %w", name, err))
	}
	return q, nil
}

func (q *Queue[T]) bind(ctx context.Context, stream string, o options) error {
	js := q.c.js
	st, err := js.Stream(ctx, stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		maxMsgs := int64(-1)
		if o.maxsize > 0 {
			maxMsgs = int64(o.maxsize)
		}
		st, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name:      stream,
			Subjects:  []string{q.subject},
			Retention: jetstream.WorkQueuePolicy, // an item lives until settled
			MaxMsgs:   maxMsgs,
			Discard:   jetstream.DiscardNew, // a full queue refuses, never drops
			Storage:   q.c.storage,
			Replicas:  o.replicas,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			st, err = js.Stream(ctx, stream) // another process won the race
		}
	}
	if err != nil {
		return err
	}
	q.st = st
	q.setMode(parseMode(st.CachedInfo().Config.Metadata[metaKey]))
	// No MaxDeliver: an item that reached it would stay in the stream
	// forever, unfinished for Join. Poison items are dropped by Get instead.
	ccfg := jetstream.ConsumerConfig{
		Durable:       consumerKey,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       o.redeliverAfter,
		MaxDeliver:    -1,
		MaxAckPending: -1,
		MaxWaiting:    4096,
	}
	if o.redeliverSet {
		q.cons, err = st.CreateOrUpdateConsumer(ctx, ccfg)
		return err
	}
	// Without RedeliverAfter, use the deadline the queue already has.
	q.cons, err = st.Consumer(ctx, consumerKey)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		q.cons, err = st.CreateConsumer(ctx, ccfg)
		if errors.Is(err, jetstream.ErrConsumerExists) {
			q.cons, err = st.Consumer(ctx, consumerKey)
		}
	}
	return err
}

// Name returns the queue's name.
func (q *Queue[T]) Name() string { return q.name }

// Close releases the handle: calls blocked on it in this process keep
// waiting on the connection, but the handle no longer hears of a Shutdown by
// another process until its next call. The queue and its items stay on the
// server. Close may be called more than once.
func (q *Queue[T]) Close() {
	q.close.Do(func() { _ = q.shutSub.Unsubscribe() })
}

// setMode raises the shut-down state to m.
func (q *Queue[T]) setMode(m mode) {
	q.mu.Lock()
	if m > q.mode {
		if q.mode == open {
			close(q.shut)
		}
		q.mode = m
	}
	q.mu.Unlock()
}

// note applies a shutdown notice from shutSubj.
func (q *Queue[T]) note(m *nats.Msg) { q.setMode(parseMode(string(m.Data))) }

// state returns the shut-down state as this process knows it, after applying
// any notice not yet read.
func (q *Queue[T]) state() mode {
	for {
		select {
		case m := <-q.shutMsgs:
			q.note(m)
			continue
		default:
		}
		break
	}
	q.mu.Lock()
	m := q.mode
	q.mu.Unlock()
	return m
}

// refresh reads the shut-down state from the server, for a process that may
// have missed the notice.
func (q *Queue[T]) refresh(ctx context.Context) (mode, error) {
	info, err := q.st.Info(ctx)
	if err != nil {
		return q.state(), q.c.closedErr(err)
	}
	q.setMode(parseMode(info.Config.Metadata[metaKey]))
	return q.state(), nil
}

// reqCtx bounds a server request of a call without a context.
func (q *Queue[T]) reqCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), q.c.timeout)
}

// IsShutdown reports whether Shutdown has been called on the queue, by any
// process, as far as this handle has heard; it does not block.
func (q *Queue[T]) IsShutdown() bool { return q.state() != open }

// Len returns the number of items waiting to be taken (Python's qsize): put
// and not yet handed to any Get. Items held by workers, and items waiting
// out a Retry delay or a redelivery deadline, are not counted. Like the local
// queue's, it is a snapshot that may be stale at once, and the server counts
// a new item a moment after its Put returns. It asks the server,
// blocking for at most the Conn's request timeout.
func (q *Queue[T]) Len() (int, error) {
	ctx, cancel := q.reqCtx()
	defer cancel()
	info, err := q.cons.Info(ctx)
	if err != nil {
		return 0, q.c.closedErr(fmt.Errorf("cluster: len %q: %w", q.name, err))
	}
	return int(info.NumPending), nil
}

// Unfinished returns the number of items put and not yet accounted for by
// TaskDone or Drop, by any process (Python's unfinished_tasks); Join waits
// for it to reach zero. It is exact at the moment the server answers: an
// item counts from the moment its Put succeeded until the server has
// recorded its TaskDone or Drop. It blocks for at most the Conn's request
// timeout.
func (q *Queue[T]) Unfinished() (int, error) {
	ctx, cancel := q.reqCtx()
	defer cancel()
	return q.unfinished(ctx)
}

func (q *Queue[T]) unfinished(ctx context.Context) (int, error) {
	info, err := q.st.Info(ctx)
	if err != nil {
		return 0, q.c.closedErr(fmt.Errorf("cluster: %q: %w", q.name, err))
	}
	q.setMode(parseMode(info.Config.Metadata[metaKey]))
	return int(info.State.Msgs), nil
}

// Delete removes the queue and its items from the server for every process,
// and closes the handle; other handles on it then get errors. It blocks
// until the server answers or ctx is done. A nil ctx panics.
func (q *Queue[T]) Delete(ctx context.Context) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	q.Close()
	if err := q.c.js.DeleteStream(ctx, q.st.CachedInfo().Config.Name); err != nil {
		return q.c.closedErr(fmt.Errorf("cluster: delete %q: %w", q.name, err))
	}
	return nil
}
