package procpool

import (
	"context"
	"fmt"
	"sync"
)

// Task is a function registered by name with Register, so that a worker
// process (the same program, started again) can find it: closures cannot
// cross a process boundary. Its argument A and result R travel with
// encoding/gob, so they must be types gob can encode (exported fields;
// interface fields need gob.Register). Create it with Register; a Task is
// immutable and safe for concurrent use.
type Task[A, R any] struct {
	name string
	fn   func(context.Context, A) (R, error)
}

// Name returns the name the task was registered under.
func (t *Task[A, R]) Name() string { return t.name }

// handler is a registered task as the worker sees it, types erased.
type handler interface {
	decodeArg(s *decStream, payload []byte) (any, error)
	call(ctx context.Context, arg any) (any, error)
}

// Values go to gob as pointers, so that an interface type (A or R of any)
// is encoded as an interface, with its concrete type.

func (t *Task[A, R]) decodeArg(s *decStream, payload []byte) (any, error) {
	a := new(A)
	err := s.decode(payload, a)
	return a, err
}

func (t *Task[A, R]) call(ctx context.Context, arg any) (any, error) {
	r, err := t.fn(ctx, *arg.(*A))
	return &r, err
}

func (t *Task[A, R]) check() {
	if t == nil || t.fn == nil {
		panic(msgZeroTask)
	}
}

var (
	registryMu sync.RWMutex
	registry   = map[string]handler{}
)

// Register registers fn under name and returns the handle that Submit and
// Map take. Call it at package level (var Square = procpool.Register(...))
// or in an init function, so that it has run in a worker process before
// Main starts serving there; a task registered later is unknown to the
// workers, and its calls fail with ErrUnknownTask.
//
// In the worker, fn runs with a context that is cancelled when the caller's
// context ends (the worker is killed if fn does not return within the
// pool's grace period, see WithGrace). A panic in fn is recovered in the
// worker and becomes a *pool.PanicError whose Value is a *RemotePanic.
//
// Register never blocks. An empty name, a name registered already and a
// nil fn panic.
func Register[A, R any](name string, fn func(ctx context.Context, arg A) (R, error)) *Task[A, R] {
	if name == "" {
		panic(msgEmptyName)
	}
	if fn == nil {
		panic(msgNilFunction)
	}
	t := &Task[A, R]{name: name, fn: fn}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf(msgRegisteredTwice, name))
	}
	registry[name] = t
	return t
}

func lookup(name string) handler {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return registry[name]
}
