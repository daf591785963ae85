package pool

import (
	"context"
	"errors"
	"iter"
	"sync"
)

// Awaitable is what Wait and AsCompleted wait for: something that ends
// once, closing Done, and then reports its error with Err. Every *Future[R]
// is one, whatever R. Values of other types work too (Wait watches their
// Done channel from a goroutine of its own); they must be comparable, as
// pointers are, since duplicates are told apart with ==.
type Awaitable interface {
	// Done returns a channel that is closed when the work has ended.
	Done() <-chan struct{}
	// Err returns the work's error once Done is closed, nil before.
	Err() error
}

// WaitMode says when Wait returns, as return_when does for Python's
// concurrent.futures.wait.
type WaitMode int

const (
	// AllCompleted returns when every future has ended (ALL_COMPLETED).
	AllCompleted WaitMode = iota
	// FirstCompleted returns when any future has ended (FIRST_COMPLETED).
	FirstCompleted
	// FirstError returns when a future fails, with an error or a panic,
	// or else when every future has ended (FIRST_EXCEPTION). A cancelled
	// future (ErrCancelled) has not failed.
	FirstError
)

// Wait blocks until mode is satisfied for the futures fs, or ctx is done, as
// Python's concurrent.futures.wait. It returns the futures that have ended
// (done) and the others (pending), each in the order of fs, with nil, or,
// when ctx ends first, the split at that moment with ctx.Err() (Python's
// timeout). Wait never cancels a future. A future that appears several
// times in fs appears once in the result. With no futures Wait returns at
// once; when mode is already satisfied it returns nil whatever ctx's state.
//
// Wait takes each future's pool lock briefly to register itself and to
// leave, and is woken by each future that ends, not polled: its cost grows
// with len(fs), not with the other work of the pools. Futures of other
// types than *Future cost a goroutine each while they are pending. A nil
// ctx or an unknown mode panics.
func Wait[F Awaitable](ctx context.Context, mode WaitMode, fs ...F) (done, pending []F, err error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	if mode < AllCompleted || mode > FirstError {
		panic(msgWaitMode)
	}
	w := watchAll(fs)
	ended := make([]bool, len(w.fs))
	count, failed := 0, false
	mark := func(i int) {
		ended[i] = true
		count++
		if mode == FirstError && !failed {
			if e := w.fs[i].Err(); e != nil && !errors.Is(e, ErrCancelled) {
				failed = true
			}
		}
	}
	satisfied := func() bool {
		switch {
		case count == len(w.fs):
			return true
		case mode == FirstCompleted:
			return count > 0
		case mode == FirstError:
			return failed
		}
		return false
	}
	for _, i := range w.early {
		mark(i)
	}
	for !satisfied() {
		select {
		case i := <-w.ch:
			mark(i)
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
	}
	w.close()
	for {
		select {
		case i := <-w.ch:
			mark(i)
			continue
		default:
		}
		break
	}
	done = make([]F, 0, count)
	pending = make([]F, 0, len(w.fs)-count)
	for i, f := range w.fs {
		if ended[i] {
			done = append(done, f)
		} else {
			pending = append(pending, f)
		}
	}
	return done, pending, err
}

// AsCompleted returns an iterator over the futures fs that yields each of
// them once, with a nil error, as it ends, as Python's
// concurrent.futures.as_completed: first those that have already ended, in
// the order of fs, then the others in the order they end, including those
// that end while the loop body runs. A future that appears several times in
// fs is yielded once. If ctx ends first, the iterator yields the futures
// that have ended by then, then (zero, ctx.Err()) once, and stops.
//
// Breaking out of the loop leaks nothing: the iterator stops watching the
// futures before the range statement ends. Each range costs what Wait
// does. A nil ctx panics when AsCompleted is called.
func AsCompleted[F Awaitable](ctx context.Context, fs ...F) iter.Seq2[F, error] {
	if ctx == nil {
		panic(msgNilContext)
	}
	return func(yield func(F, error) bool) {
		w := watchAll(fs)
		defer w.close()
		for _, i := range w.early {
			if !yield(w.fs[i], nil) {
				return
			}
		}
		for left := len(w.fs) - len(w.early); left > 0; left-- {
			var i int
			select {
			case i = <-w.ch:
			case <-ctx.Done():
				// Yield what ended before noticing ctx, then the error.
				for ; left > 0; left-- {
					select {
					case i = <-w.ch:
					default:
						var zero F
						yield(zero, ctx.Err())
						return
					}
					if !yield(w.fs[i], nil) {
						return
					}
				}
				return
			}
			if !yield(w.fs[i], nil) {
				return
			}
		}
	}
}

// watcher is one Wait call or AsCompleted range: it watches the distinct
// futures fs, and each that ends sends its index on ch, which has room for
// all of them so that no sender ever blocks.
type watcher[F Awaitable] struct {
	fs    []F
	early []int // indexes of the futures that had ended when watching began
	ch    chan int
	ws    []watch

	stop    chan struct{}  // ends the goroutines watching foreign futures
	foreign sync.WaitGroup // those goroutines
}

// watch links one future to a watcher. It is in the future's list of
// watches while linked, under the future's pool lock.
type watch struct {
	next, prev *watch
	c          *core
	ch         chan<- int
	i          int
	linked     bool
}

// fire sends w's index: the future has ended. Called under the pool lock;
// the channel has room.
func (w *watch) fire() {
	w.linked = false
	w.ch <- w.i
}

func (w *watch) linkLocked(c *core) {
	cw := c.waitingLocked()
	w.c, w.linked, w.prev, w.next = c, true, nil, cw.watches
	if cw.watches != nil {
		cw.watches.prev = w
	}
	cw.watches = w
}

func (w *watch) unlinkLocked() {
	if !w.linked {
		return
	}
	if w.prev == nil {
		w.c.w.watches = w.next // linked: the future has not ended, so w.c.w is there
	} else {
		w.prev.next = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	}
	w.linked, w.next, w.prev = false, nil, nil
}

// hasCore is implemented by *Future[R]: Wait watches those through their
// core, without a goroutine.
type hasCore interface{ core() *core }

func watchAll[F Awaitable](fs []F) *watcher[F] {
	w := &watcher[F]{fs: distinct(fs)}
	n := len(w.fs)
	w.ch = make(chan int, n)
	w.ws = make([]watch, n)
	var locked *Pool
	for i, f := range w.fs {
		hc, ok := any(f).(hasCore)
		if !ok {
			if locked != nil {
				// A foreign Done may itself take a pool's lock.
				locked.mu.Unlock()
				locked = nil
			}
			w.watchForeign(i, f)
			continue
		}
		c := hc.core()
		if p := c.pool(); p != locked {
			if locked != nil {
				locked.mu.Unlock()
			}
			p.mu.Lock()
			locked = p
		}
		if c.state.Load() == fDone {
			w.early = append(w.early, i)
			continue
		}
		ws := &w.ws[i]
		ws.ch, ws.i = w.ch, i
		ws.linkLocked(c)
	}
	if locked != nil {
		locked.mu.Unlock()
	}
	return w
}

func (w *watcher[F]) watchForeign(i int, f F) {
	d := f.Done()
	select {
	case <-d:
		w.early = append(w.early, i)
		return
	default:
	}
	if w.stop == nil {
		w.stop = make(chan struct{})
	}
	w.foreign.Add(1)
	go func() {
		defer w.foreign.Done()
		select {
		case <-d:
			w.ch <- i
		case <-w.stop:
		}
	}()
}

// close stops watching: after it, nothing more is sent on ch.
func (w *watcher[F]) close() {
	var locked *Pool
	for i := range w.ws {
		ws := &w.ws[i]
		if ws.c == nil {
			continue
		}
		if p := ws.c.p; p != locked {
			if locked != nil {
				locked.mu.Unlock()
			}
			p.mu.Lock()
			locked = p
		}
		ws.unlinkLocked()
	}
	if locked != nil {
		locked.mu.Unlock()
	}
	if w.stop != nil {
		close(w.stop)
		w.foreign.Wait()
	}
}

// distinct returns fs without its repeated elements, in first-seen order;
// fs itself when it has none.
func distinct[F Awaitable](fs []F) []F {
	if len(fs) < 2 {
		return fs
	}
	seen := make(map[any]struct{}, len(fs))
	var out []F
	for i, f := range fs {
		if _, dup := seen[f]; dup {
			if out == nil {
				out = append(make([]F, 0, len(fs)-1), fs[:i]...)
			}
			continue
		}
		seen[f] = struct{}{}
		if out != nil {
			out = append(out, f)
		}
	}
	if out == nil {
		return fs
	}
	return out
}
