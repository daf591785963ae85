package procpool

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncprim/syncprim/pool"
)

// Submit submits t with arg to run in a worker process of p and returns its
// future, the same as pool.Submit's: Result, ResultContext, Done and Cancel
// work as for any task of a pool. It never blocks.
//
// ctx is the task's context. If it ends before the task starts, the task
// ends with ctx.Err() without using a worker; if it ends while the task
// runs, the task's context in the worker is cancelled, the worker gets the
// grace period (WithGrace) to return, and is then killed and replaced;
// either way the future ends with ctx.Err(). So a hard per-task timeout is
// context.WithTimeout. Shutdown cancels running tasks the same way.
//
// The future's error is the task's own error (the same type if it was
// registered with gob.Register, else a *RemoteError), a *pool.PanicError
// whose Value is a *RemotePanic if the task panicked, a *ProcessError if its
// worker died under it (os.Exit, a fatal runtime error, a signal) or could
// not start, an error wrapping ErrUnknownTask, or an error naming the task
// when gob cannot encode arg or the result. After Close it is
// pool.ErrClosed.
//
// A nil ctx panics with "procpool: nil Context".
func Submit[A, R any](ctx context.Context, p *Pool, t *Task[A, R], arg A) *pool.Future[R] {
	if ctx == nil {
		panic(msgNilContext)
	}
	p.check()
	t.check()
	return pool.Submit(p.inner, func(pctx context.Context) (R, error) {
		return call(ctx, pctx, p, t, arg)
	})
}

// Map runs t on every item of in in p's worker processes and returns the
// results in input order, as Python's Executor.map and Pool.map, with
// pool.Map's rules: the first error stops the call, cancelling the tasks
// still running (which kills their workers after the grace period) and
// dropping those not started; when ctx ends first, Map does the same and
// returns ctx.Err(). It blocks until every task it started has ended. A
// panic in the worker is a *pool.PanicError whose Value is a *RemotePanic.
//
// A nil ctx panics with "procpool: nil Context".
func Map[A, R any](ctx context.Context, p *Pool, t *Task[A, R], in []A) ([]R, error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	p.check()
	t.check()
	return pool.Map(ctx, p.inner, in, func(ctx context.Context, a A) (R, error) {
		return call(ctx, context.Background(), p, t, a)
	})
}

// call runs one task in a worker process, on a worker goroutine of the
// inner pool. ctx is the task's context; pctx is the pool's, which
// Shutdown cancels.
func call[A, R any](ctx, pctx context.Context, p *Pool, t *Task[A, R], arg A) (R, error) {
	var res R
	x := exchange{task: t.name, arg: &arg, res: &res}
	if err := p.exchange(ctx, pctx, &x); err != nil {
		if x.panicked != nil {
			panic(x.panicked) // the pool records a panic, as for a task in a goroutine
		}
		var zero R
		return zero, err
	}
	return res, nil
}

// exchange is one task's trip to a worker.
type exchange struct {
	task     string
	arg      any // a pointer to the argument
	res      any // a pointer to the result
	panicked *RemotePanic
}

// exchange takes a worker process (starting one if need be), runs x in it
// and gives the process back, or discards it when it died, was killed or
// is due for recycling.
func (p *Pool) exchange(ctx, pctx context.Context, x *exchange) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := <-p.slots // there are as many slots as worker goroutines: never blocks
	defer func() { p.slots <- c }()
	if c != nil && c.retiring {
		c.stop(p.cfg.grace) // normally it has exited already
		c = nil
	}
	if c != nil {
		select {
		case <-c.exited: // died while idle
			p.restarts.Add(1)
			c = nil
		default:
		}
	}
	if c == nil {
		var err error
		if c, err = p.startChild(ctx, pctx, x.task); err != nil {
			return err
		}
	}
	pc := c.codec(x.task)
	payload, err := pc.args.encode(x.arg)
	if err != nil {
		return fmt.Errorf("procpool: task %q: encoding its argument: %w", x.task, err)
	}
	id := p.nextID.Add(1)
	if err := c.send(&request{ID: id, Task: x.task, Payload: payload, Mem: p.cfg.maxMemory > 0}); err != nil {
		c.kill()
		return p.died(&c, x.task)
	}
	var r reply
	select {
	case r = <-c.replies:
	case <-c.exited:
		select {
		case r = <-c.replies: // it replied, then exited
		default:
			return p.died(&c, x.task)
		}
	case <-ctx.Done():
		return p.abort(&c, id, ctx.Err())
	case <-pctx.Done():
		return p.abort(&c, id, pctx.Err())
	}
	return p.finish(&c, pc, r, x)
}

// died reaps *c, which died or was killed under task, and returns its
// *ProcessError; the slot gets a new process when next needed.
func (p *Pool) died(c **child, task string) error {
	<-(*c).exited
	err := (*c).processError(task)
	*c = nil
	p.restarts.Add(1)
	return err
}

// abort cancels task id in *c after its context ended with cause: the
// worker gets the grace period to reply, then is killed and reaped.
func (p *Pool) abort(c **child, id uint64, cause error) error {
	ch := *c
	_ = ch.send(&request{ID: id, Cancel: true})
	var t <-chan time.Time
	if p.cfg.grace > 0 {
		timer := time.NewTimer(p.cfg.grace)
		defer timer.Stop()
		t = timer.C
	} else {
		ch.kill()
	}
	select {
	case <-ch.replies: // it returned in time: keep it
		ch.tasks++
		p.recycle(c)
		return cause
	case <-ch.exited:
	case <-t:
		ch.kill()
		<-ch.exited
	}
	*c = nil
	p.restarts.Add(1)
	return cause
}

// recycle retires *c if it has run its share of tasks: it exits once it
// sees the end of its input, and whoever takes the slot next reaps it.
func (p *Pool) recycle(c **child) {
	if p.cfg.maxTasks > 0 && (*c).tasks >= p.cfg.maxTasks {
		p.retire(*c)
	}
}

// retire closes c's input: the worker exits once it sees that, and whoever
// takes the slot next (or Wait) reaps it; a new one replaces it.
func (p *Pool) retire(c *child) {
	c.close()
	c.retiring = true
	p.restarts.Add(1)
}

// finish decodes the reply r to x.
func (p *Pool) finish(c **child, pc *parentCodec, r reply, x *exchange) error {
	ch := *c
	ch.tasks++
	var err error
	switch r.Kind {
	case replyOK:
		if derr := pc.results.decode(r.Payload, x.res); derr != nil {
			err = p.broken(c, x.task, "decoding its result", derr)
		}
	case replyError:
		var box errBox
		if derr := pc.results.decode(r.Payload, &box); derr != nil {
			err = p.broken(c, x.task, "decoding its error", derr)
		} else {
			err = box.Err
		}
	case replyText:
		re := &RemoteError{Type: r.Type, Msg: r.Msg, Sentinels: sentinelsAt(r.Sentinels)}
		if r.HasCause {
			var box errBox
			if derr := pc.results.decode(r.Payload, &box); derr != nil {
				err = p.broken(c, x.task, "decoding its error", derr)
				break
			}
			re.Cause = box.Err
		}
		err = re
	case replyPanic:
		x.panicked = &RemotePanic{Task: x.task, Value: r.Msg, Type: r.Type, Stack: r.Stack}
		err = x.panicked
	case replyUnknown:
		err = fmt.Errorf("procpool: task %q: %w (register tasks at package level, before procpool.Main runs)", x.task, ErrUnknownTask)
	case replyBadValue:
		err = fmt.Errorf("procpool: task %q: %s", x.task, r.Msg)
	default:
		err = p.broken(c, x.task, "reading its reply", fmt.Errorf("unknown reply kind %d", r.Kind))
	}
	if *c == nil {
		return err
	}
	if p.cfg.maxMemory > 0 && r.MaxRSS > p.cfg.maxMemory && !(p.cfg.maxTasks > 0 && ch.tasks >= p.cfg.maxTasks) {
		p.retire(ch)
		return err
	}
	p.recycle(c)
	return err
}

// broken kills *c, whose payload stream for task can no longer be trusted,
// and returns an error saying what failed.
func (p *Pool) broken(c **child, task, what string, err error) error {
	(*c).kill()
	<-(*c).exited
	*c = nil
	p.restarts.Add(1)
	return fmt.Errorf("procpool: task %q: %s: %w", task, what, errors.Join(ErrProtocol, err))
}
