// Countdown mirrors the countdown threads of a slide deck introducing Python threads:
// threading.Thread(target=countdown, args=(10,)), t.start(), t.join(), t.isAlive() and
// t.setDaemon(True).
//
// In Go a thread is a goroutine started with the go statement. What Python gives every
// Thread object — join and isAlive — is written here as a tiny Thread handle over an
// event.Event. Go has no daemon flag: every goroutine behaves like a daemon thread, because
// the program exits as soon as main returns, whatever other goroutines are doing. Work you
// want finished must be joined; work you want stopped must be asked, through a context.
//
//	go run ./examples/countdown
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/syncprim/syncprim/event"
)

func main() {
	if err := Run(os.Stdout, 200*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// A goroutine nobody joins is a daemon thread: it dies with the process. This one
	// would count down from 10, but main returns first, so you see at most its first line.
	go countdown(os.Stdout, "daemon", 10, 200*time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	fmt.Println("main returns now: the daemon goroutine is cut off mid-countdown, like Python's daemon=True")
}

// Thread is the smallest Go equivalent of a threading.Thread handle: a goroutine plus an
// event that is set when the goroutine returns.
type Thread struct {
	Name string
	done event.Event
}

// Start runs f in a new goroutine, like t = Thread(target=f); t.start().
func Start(name string, f func()) *Thread {
	t := &Thread{Name: name}
	go func() {
		defer t.done.Set()
		f()
	}()
	return t
}

// Join blocks until the goroutine has returned, like t.join().
func (t *Thread) Join() { t.done.Wait() }

// IsAlive reports whether the goroutine is still running, like t.is_alive().
func (t *Thread) IsAlive() bool { return !t.done.IsSet() }

// countdown is the talk's countdown function: print, decrement, sleep.
func countdown(w io.Writer, name string, count int, tick time.Duration) {
	for count > 0 {
		fmt.Fprintf(w, "%s: counting down %d\n", name, count)
		count--
		time.Sleep(tick)
	}
}

// Run starts two countdowns, joins them, then shows how a background ("daemon") goroutine
// is stopped: it is asked through its context and then joined. tick is the pause between
// two numbers (the talk sleeps 5 s).
func Run(w io.Writer, tick time.Duration) error {
	out := &lockedWriter{w: w}

	fmt.Fprintln(out, "== two countdowns, each in its own goroutine, then joined")
	t1 := Start("t1", func() { countdown(out, "t1", 5, tick) })
	t2 := Start("t2", func() { countdown(out, "t2", 3, tick) })
	t1.Join() // like t1.join(): main waits here until t1 returns
	t2.Join()
	fmt.Fprintf(out, "joined t1 and t2: alive %v %v\n", t1.IsAlive(), t2.IsAlive())

	fmt.Fprintln(out, "== a background goroutine (Python's daemon thread) and how to stop it")
	ctx, cancel := context.WithCancel(context.Background())
	heartbeat := Start("heartbeat", func() {
		ticker := time.NewTicker(tick)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done(): // asked to stop: let it return
				return
			case <-ticker.C:
				// one unit of background work would go here
			}
		}
	})
	// The heartbeat cannot return before cancel, so this always prints true.
	fmt.Fprintf(out, "heartbeat alive before cancel: %v\n", heartbeat.IsAlive())
	cancel() // a goroutine cannot be killed, only asked
	heartbeat.Join()
	fmt.Fprintf(out, "heartbeat alive after cancel and join: %v\n", heartbeat.IsAlive())
	fmt.Fprintln(out, "nothing is left running: Run returns with no goroutine behind it")
	return nil
}

// lockedWriter serialises writes from several goroutines so lines never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
