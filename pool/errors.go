package pool

import (
	"errors"
	"fmt"
)

var (
	// ErrClosed is returned by Go, TryGo and GoContext, and is the result of
	// a future from Submit, once the pool is closed (by Close, Shutdown or a
	// failing initializer). Map and Stream report it too.
	ErrClosed = errors.New("pool: closed")
	// ErrCancelled is the result of a future that was cancelled before it
	// started, or whose task was dropped from the backlog by Shutdown.
	ErrCancelled = errors.New("pool: cancelled")
	// ErrFull is returned by TryGo and TrySubmit when the bounded backlog
	// (WithBacklog) has no room and no worker is free.
	ErrFull = errors.New("pool: backlog full")
)

// The panic messages of misuse.
const (
	msgNilContext      = "pool: nil Context"
	msgNilTask         = "pool: nil task"
	msgNilCallback     = "pool: nil callback"
	msgZero            = "pool: Pool used without New"
	msgZeroFuture      = "pool: Future used without Submit"
	msgWaitBeforeClose = "pool: Wait before Close"
	msgWaitMode        = "pool: unknown WaitMode"
	msgNegativeBacklog = "pool: negative backlog"
	msgWindow          = "pool: window must be at least 1"
)

// PanicError is what a task's panic becomes: the future's error, Map's or
// Stream's error for that item, or one of the errors Wait joins for a task
// started with Go. The worker recovers, records the panic and carries on.
//
// A task that calls runtime.Goexit (t.FailNow, say) ends with a PanicError
// whose Value is ErrGoexit; its worker goroutine is replaced.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the panicking goroutine's stack trace, from runtime/debug.Stack.
	Stack []byte
}

// ErrGoexit is the Value of the PanicError of a task that called runtime.Goexit.
var ErrGoexit = errors.New("pool: task called runtime.Goexit")

// Error returns the panic value and the stack of the goroutine that panicked.
func (e *PanicError) Error() string {
	return fmt.Sprintf("pool: task panicked: %v\n\n%s", e.Value, e.Stack)
}

// Unwrap returns the panic value when it is an error (panic(io.EOF), a
// runtime.Error, ...), so errors.Is and errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
