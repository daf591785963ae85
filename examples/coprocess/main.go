// Coprocess mirrors the finale of a slide deck introducing Python threads (countdown
// threads, locks, queues, coroutines and coprocesses): one consumer object with send() and
// close() — the Countdown that prints "T-minus n" and "Kaboom!" — run as a plain object, as
// a thread behind a Queue (ConsumerThread), and as a coprocess fed over a pipe with pickle
// (Coprocess, CoprocessSender). "The same consumer object can run as a thread, a coroutine,
// or a coprocess": here the same Countdown code runs inline, in a goroutine behind a
// queue.Queue, and in a child process — this very binary, started again — that reads the
// items from its standard input with encoding/gob.
//
//	go run ./examples/coprocess
package main

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/syncprim/syncprim/queue"
)

// ChildEnv, set to "1", makes the program run as the coprocess: it reads gob-encoded items
// from standard input and hands them to a Countdown writing to standard output.
const ChildEnv = "SYNCPRIM_COPROCESS_CHILD"

func main() {
	var err error
	if os.Getenv(ChildEnv) == "1" {
		err = Serve(os.Stdin, &Countdown{W: os.Stdout})
	} else {
		err = Run(os.Stdout, 5)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Consumer is the one interface every way of running a consumer implements: items go in
// with Send, and Close says there are no more.
type Consumer interface {
	Send(item int) error
	Close() error
}

// Countdown is the talk's consumer.
type Countdown struct{ W io.Writer }

// Send prints the item.
func (c *Countdown) Send(item int) error {
	_, err := fmt.Fprintf(c.W, "T-minus %d\n", item)
	return err
}

// Close prints the end of the countdown.
func (c *Countdown) Close() error {
	_, err := fmt.Fprintln(c.W, "Kaboom!")
	return err
}

// InGoroutine runs a consumer in its own goroutine behind a queue, like the talk's
// ConsumerThread: Send puts the item and returns at once; Close shuts the queue down (no
// sentinel needed), waits until the goroutine has handed every item on and closed the
// consumer, and returns the first error the consumer returned.
type InGoroutine struct {
	q    *queue.Queue[int]
	done chan struct{}
	err  error // written by the goroutine, read after done is closed
}

// StartGoroutine starts the goroutine that feeds c.
func StartGoroutine(c Consumer) *InGoroutine {
	g := &InGoroutine{q: queue.New[int](0), done: make(chan struct{})}
	go func() {
		defer close(g.done)
		for {
			item, err := g.q.Get()
			if err != nil { // queue.ErrShutdown: Close was called and the queue is drained
				break
			}
			if err := c.Send(item); err != nil && g.err == nil {
				g.err = err
			}
		}
		if err := c.Close(); err != nil && g.err == nil {
			g.err = err
		}
	}()
	return g
}

// Send queues item for the goroutine; after Close it returns queue.ErrShutdown.
func (g *InGoroutine) Send(item int) error { return g.q.Put(item) }

// Close stops the goroutine after it has consumed everything sent before.
func (g *InGoroutine) Close() error {
	g.q.Shutdown(false)
	<-g.done
	return g.err
}

// InChild runs the consumer in a child process, like the talk's CoprocessSender: Send
// gob-encodes the item onto the child's standard input; Close closes that pipe (the
// child sees end of file, closes its consumer and exits) and waits for the child.
type InChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	enc   *gob.Encoder
}

// StartChild starts this program's own executable again as a coprocess whose standard
// output goes to w.
func StartChild(w io.Writer) (*InChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), ChildEnv+"=1")
	cmd.Stdout = w
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &InChild{cmd: cmd, stdin: stdin, enc: gob.NewEncoder(stdin)}, nil
}

// Pid is the child's process id.
func (c *InChild) Pid() int { return c.cmd.Process.Pid }

// Send writes item to the child (pickle.dump(item, f) in the talk).
func (c *InChild) Send(item int) error { return c.enc.Encode(item) }

// Close ends the child's input and waits for it to exit.
func (c *InChild) Close() error {
	return errors.Join(c.stdin.Close(), c.cmd.Wait())
}

// Serve is the coprocess side (the talk's Coprocess.run): it decodes items from r until
// end of file, sends each to c, then closes c.
func Serve(r io.Reader, c Consumer) error {
	dec := gob.NewDecoder(r)
	for {
		var item int
		err := dec.Decode(&item)
		if errors.Is(err, io.EOF) {
			return c.Close()
		}
		if err != nil {
			return err
		}
		if err := c.Send(item); err != nil {
			return err
		}
	}
}

// countdown sends from, from-1, ..., 1 to c and closes it: the producer's side, identical
// for every way of running the consumer.
func countdown(c Consumer, from int) error {
	for n := from; n > 0; n-- {
		if err := c.Send(n); err != nil {
			return err
		}
	}
	return c.Close()
}

// Run sends the same countdown to the same consumer code run three ways.
func Run(w io.Writer, from int) error {
	fmt.Fprintln(w, "== inline: the producer calls the consumer's methods itself")
	if err := countdown(&Countdown{W: w}, from); err != nil {
		return err
	}

	fmt.Fprintln(w, "== in a goroutine behind a queue (the talk's ConsumerThread)")
	if err := countdown(StartGoroutine(&Countdown{W: w}), from); err != nil {
		return err
	}

	// The child writes to w from now on: print nothing ourselves until it has exited.
	fmt.Fprintln(w, "== in a child process, fed over a pipe with encoding/gob")
	child, err := StartChild(w)
	if err != nil {
		return err
	}
	if err := countdown(child, from); err != nil {
		return err
	}
	fmt.Fprintf(w, "(the coprocess was pid %d; this process is pid %d)\n", child.Pid(), os.Getpid())
	return nil
}
