package procpool

import (
	"io"
	"os"
	"time"
)

// An Option configures a Pool in New.
type Option interface {
	apply(*config)
}

type config struct {
	grace        time.Duration
	maxTasks     int
	maxMemory    int64
	path         string
	args         []string
	startTimeout time.Duration
	stdout       io.Writer
	stderr       io.Writer
	stderrLines  int
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults.
const (
	defaultGrace        = 500 * time.Millisecond
	defaultStartTimeout = 10 * time.Second
	defaultStderrLines  = 20
)

// WithGrace sets how long a worker may take to return from a task whose
// context ended (its own context in the worker is cancelled at once) before
// the worker is killed and replaced. The future ends with the context's
// error either way. The default is half a second; 0 kills at once. A
// negative d panics.
func WithGrace(d time.Duration) Option {
	if d < 0 {
		panic(msgNegativeGrace)
	}
	return optionFunc(func(c *config) { c.grace = d })
}

// WithMaxTasks replaces a worker process after it has run n tasks, as
// Python's max_tasks_per_child (maxtasksperchild): the process exits after
// its n-th reply and a new one starts when next needed. The default, 0,
// keeps workers for the pool's life. A negative n panics.
func WithMaxTasks(n int) Option {
	if n < 0 {
		panic(msgNegativeMaxTasks)
	}
	return optionFunc(func(c *config) { c.maxTasks = n })
}

// WithMaxMemory replaces a worker process after a task that left its peak
// resident set size (getrusage's ru_maxrss, measured by the worker after
// each task with one system call) above bytes. The peak never goes down,
// so this bounds leaks, not one large task: the task that crossed the line
// succeeds, and its worker is replaced. The default, 0, sets no limit. A
// negative limit panics.
func WithMaxMemory(bytes int64) Option {
	if bytes < 0 {
		panic(msgNegativeMemory)
	}
	return optionFunc(func(c *config) { c.maxMemory = bytes })
}

// WithCommand starts path with args as the worker program instead of
// os.Executable() without arguments. The program must call Main and
// register the same tasks, in the same order of RegisterErrors: in
// practice, the same program built for another purpose, or a wrapper that
// execs it. A program that does not answer the handshake within the start
// timeout fails its task with a *ProcessError wrapping ErrHandshake.
func WithCommand(path string, args ...string) Option {
	return optionFunc(func(c *config) { c.path, c.args = path, args })
}

// WithStartTimeout sets how long a new worker process has to start and
// answer the handshake; the default is 10 seconds. d <= 0 panics.
func WithStartTimeout(d time.Duration) Option {
	if d <= 0 {
		panic(msgStartTimeout)
	}
	return optionFunc(func(c *config) { c.startTimeout = d })
}

// WithStdout sets where the workers' standard output goes; the default is
// this process's standard output, as Python's workers inherit it. nil
// discards it. Task output never mixes with the protocol, which has
// descriptors of its own.
func WithStdout(w io.Writer) Option {
	return optionFunc(func(c *config) { c.stdout = w })
}

// WithStderr sets where the workers' standard error is copied; the default
// is this process's standard error, and nil discards it. Either way the
// last lines are kept for the *ProcessError of a worker that dies.
func WithStderr(w io.Writer) Option {
	return optionFunc(func(c *config) { c.stderr = w })
}

// WithStderrLines sets how many of a worker's last standard-error lines a
// *ProcessError carries; the default is 20. A negative n panics.
func WithStderrLines(n int) Option {
	if n < 0 {
		panic(msgNegativeStderrLines)
	}
	return optionFunc(func(c *config) { c.stderrLines = n })
}

func defaultConfig() config {
	return config{
		grace:        defaultGrace,
		startTimeout: defaultStartTimeout,
		stdout:       os.Stdout,
		stderr:       os.Stderr,
		stderrLines:  defaultStderrLines,
	}
}
