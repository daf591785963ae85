package procpool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"
)

var (
	// ErrUnknownTask is wrapped by the error of a task whose name the worker
	// process does not know: its Register call did not run in the worker
	// (it ran after Main, or the worker is another program).
	ErrUnknownTask = errors.New("procpool: task not registered in the worker process")
	// ErrHandshake is wrapped by the *ProcessError of a worker that did not
	// start talking the protocol within the start timeout (WithStartTimeout):
	// a program that does not call Main first, or not a procpool program.
	ErrHandshake = errors.New("procpool: worker process failed the handshake")
	// ErrProtocol is wrapped by the *ProcessError of a worker that wrote
	// something that is not a reply on its protocol descriptor; it is killed.
	ErrProtocol = errors.New("procpool: worker process broke the protocol")
)

// The panic messages of misuse.
const (
	msgNilContext          = "procpool: nil Context"
	msgZero                = "procpool: Pool used without New"
	msgZeroTask            = "procpool: Task used without Register"
	msgWaitBeforeClose     = "procpool: Wait before Close"
	msgEmptyName           = "procpool: Register with an empty name"
	msgNilFunction         = "procpool: Register of a nil function"
	msgRegisteredTwice     = "procpool: task %q registered twice" // a format: the task's name
	msgNilError            = "procpool: RegisterErrors of a nil error"
	msgNegativeGrace       = "procpool: negative grace period"
	msgNegativeMaxTasks    = "procpool: negative max tasks"
	msgNegativeMemory      = "procpool: negative memory limit"
	msgStartTimeout        = "procpool: start timeout must be positive"
	msgNegativeStderrLines = "procpool: negative stderr lines"
)

// ProcessError is the error of a task whose worker process ended under it:
// it exited (os.Exit, a fatal runtime error such as concurrent map writes,
// a stack overflow), was killed by a signal, broke the protocol, or could not
// be started. Only that task fails; the pool starts a new process for the
// next one.
type ProcessError struct {
	// Task is the name of the task that was running, or being started for.
	Task string
	// Pid is the process id, 0 if it did not start.
	Pid int
	// State is how the process ended, nil if it did not start.
	State *os.ProcessState
	// Err is the cause when it was not the process's own doing: ErrHandshake,
	// ErrProtocol (wrapping the decoding error), or the error starting it.
	Err error
	// Stderr holds the last lines the process wrote to its standard error
	// (WithStderrLines sets how many), oldest first.
	Stderr []string
	// Headline is the last stderr line that starts with "fatal error:",
	// "panic:" or "runtime:", the usual reason a Go process died, or "".
	Headline string
}

// Error says which process ended how, with the headline and the last
// lines of its standard error.
func (e *ProcessError) Error() string {
	var b strings.Builder
	b.WriteString("procpool: worker process")
	if e.Pid != 0 {
		fmt.Fprintf(&b, " %d", e.Pid)
	}
	if e.Task != "" {
		fmt.Fprintf(&b, " running %q", e.Task)
	}
	switch {
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
		if e.State != nil {
			fmt.Fprintf(&b, " (%v)", e.State)
		}
	case e.State != nil:
		fmt.Fprintf(&b, " ended: %v", e.State)
	default:
		b.WriteString(" ended")
	}
	if e.Headline != "" {
		fmt.Fprintf(&b, ": %s", e.Headline)
	}
	if len(e.Stderr) > 0 {
		b.WriteString("\nlast lines of its standard error:")
		for _, l := range e.Stderr {
			b.WriteString("\n\t")
			b.WriteString(l)
		}
	}
	return b.String()
}

// Unwrap returns Err.
func (e *ProcessError) Unwrap() error { return e.Err }

// ExitCode is the process's exit status, or -1 if it was killed by a
// signal or did not start.
func (e *ProcessError) ExitCode() int {
	if e.State == nil {
		return -1
	}
	return e.State.ExitCode()
}

// Signal is the signal that killed the process, or 0.
func (e *ProcessError) Signal() syscall.Signal {
	if e.State == nil {
		return 0
	}
	if ws, ok := e.State.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

// RemoteError is a task's error whose concrete type cannot cross the process
// boundary (it was not registered with gob.Register, or gob cannot encode
// it): its text and type name, the first error of its chain that could
// cross (Cause), and the registered sentinel errors it matched with
// errors.Is in the worker, which errors.Is matches again here.
type RemoteError struct {
	// Type is the concrete type of the task's error, as %T prints it.
	Type string
	// Msg is the task's error text.
	Msg string
	// Cause is the first error in its Unwrap chain whose type could cross, or nil.
	Cause error
	// Sentinels are the registered sentinel errors (RegisterErrors) it wraps.
	Sentinels []error
}

// Error returns the task's error text.
func (e *RemoteError) Error() string { return e.Msg }

// Unwrap returns Cause and Sentinels, for errors.Is and errors.As.
func (e *RemoteError) Unwrap() []error {
	if e.Cause == nil {
		return e.Sentinels
	}
	return append([]error{e.Cause}, e.Sentinels...)
}

// RemotePanic is the Value of the *pool.PanicError of a task that panicked
// in its worker process. The worker recovered and keeps serving; the stack
// is the worker goroutine's. Unwrapping the *pool.PanicError gives this
// value (errors.As finds it).
type RemotePanic struct {
	Task  string // the task's name
	Value string // the panic value, as %v prints it
	Type  string // the panic value's type, as %T prints it
	Stack []byte // the stack of the goroutine that panicked, in the worker
}

// Error returns the panic value and the worker's stack.
func (e *RemotePanic) Error() string {
	return fmt.Sprintf("procpool: task %q panicked in its worker process: %s\n\n%s", e.Task, e.Value, e.Stack)
}

var sentinelMu sync.RWMutex

// sentinels are the errors whose identity crosses the boundary: a task's
// error that matches one with errors.Is in the worker matches it in the
// parent. Indexes must agree between parent and worker: they are the same
// program and register in the same order.
var sentinels = []error{
	context.Canceled, context.DeadlineExceeded, io.EOF, io.ErrUnexpectedEOF,
	fs.ErrNotExist, fs.ErrExist, fs.ErrPermission, errors.ErrUnsupported,
}

// RegisterErrors adds sentinel errors (values compared with errors.Is, like
// io.EOF) whose identity survives the process boundary: a task's error that
// wraps one arrives as a *RemoteError that errors.Is matches with it. The
// context errors, io.EOF, io.ErrUnexpectedEOF, the fs errors and
// errors.ErrUnsupported are registered already.
//
// Like Register, call it at package level or in an init function, so that
// it runs in the same order in the worker processes. It never blocks.
// Registering a nil error panics.
func RegisterErrors(errs ...error) {
	sentinelMu.Lock()
	defer sentinelMu.Unlock()
	for _, err := range errs {
		if err == nil {
			panic(msgNilError)
		}
		sentinels = append(sentinels, err)
	}
}

// sentinelsOf returns the indexes of the registered sentinels err matches.
func sentinelsOf(err error) []int {
	sentinelMu.RLock()
	defer sentinelMu.RUnlock()
	var out []int
	for i, s := range sentinels {
		if errors.Is(err, s) {
			out = append(out, i)
		}
	}
	return out
}

// sentinelsAt returns the sentinels at the given indexes.
func sentinelsAt(idx []int) []error {
	sentinelMu.RLock()
	defer sentinelMu.RUnlock()
	var out []error
	for _, i := range idx {
		if i >= 0 && i < len(sentinels) {
			out = append(out, sentinels[i])
		}
	}
	return out
}
