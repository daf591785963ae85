package pool

import "context"

// An Option configures a Pool in New.
type Option interface {
	apply(*config)
}

type config struct {
	backlog int // < 0: unbounded
	window  int // 0: 2 * workers
	init    func(context.Context) error
	ctx     context.Context
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithBacklog bounds the backlog of submitted tasks that wait for a free
// worker to n. When it is full, Go, Submit and Map block until there is room
// (or their context ends, for GoContext, SubmitContext, Map and the streams),
// and TryGo and TrySubmit return ErrFull. With n == 0 there is no backlog:
// a submission waits until a worker takes it. Blocked submitters are served
// first-in first-out, and a Try call fails while others wait.
//
// Submissions from inside a task (a task calling Go, Submit, Map or a
// stream on its own pool) never block on the bound: they go over it, because
// waiting for room that only the pool's busy workers can make would deadlock.
// Only the worker goroutine itself is recognized: a goroutine that a task
// starts, and waits for, blocks on a full backlog like any submitter.
//
// The default is an unbounded backlog: Go and Submit never block. A
// negative n panics.
func WithBacklog(n int) Option {
	if n < 0 {
		panic(msgNegativeBacklog)
	}
	return optionFunc(func(c *config) { c.backlog = n })
}

// WithInitializer runs init in every worker goroutine when it starts, before
// it takes its first task, as Python's initializer does. ctx is the pool's
// context (see WithContext).
//
// If init returns an error or panics, the pool is broken, as Python's
// BrokenThreadPool: it closes itself (later submissions get ErrClosed),
// drops its queued tasks as Shutdown does (their futures end with
// ErrCancelled), lets running tasks finish, and Wait returns init's error
// (a *PanicError if it panicked).
func WithInitializer(init func(ctx context.Context) error) Option {
	return optionFunc(func(c *config) { c.init = init })
}

// WithContext sets the pool's base context: the context of tasks started
// with Go and Submit, and a parent of the contexts that Map and the streams
// give their tasks. When ctx ends, tasks see their context done, but the
// pool keeps accepting and running work: closing it is Close's and
// Shutdown's business. The default is context.Background().
func WithContext(ctx context.Context) Option {
	if ctx == nil {
		panic(msgNilContext)
	}
	return optionFunc(func(c *config) { c.ctx = ctx })
}

// WithWindow sets how far Stream and StreamUnordered may run ahead of their
// consumer: at most n items are submitted and not yet received by the range
// loop. The default is twice the number of workers, and at least 16.
// n < 1 panics.
func WithWindow(n int) Option {
	if n < 1 {
		panic(msgWindow)
	}
	return optionFunc(func(c *config) { c.window = n })
}
