// Signals mirrors "broadcast signal to sub-thread" and "broadcast signal to sub-process"
// from the talk "Concurrency in Python" by Mosky Liu (Taipei.py 2015): set a flag when a
// signal arrives and let each thread read it before each task ("you can't kill a
// non-daemonic thread"), and forward the signal to the child processes with killpg(pgid,
// signum).
//
// In Go the flag is a context: signal.NotifyContext cancels it on SIGINT or SIGTERM and
// every goroutine checks it before its next task. A goroutine cannot be killed either; it
// can only be asked, and a context is how you ask. Child processes are started in a
// process group of their own, so the parent broadcasts to all of them with one
// kill(-pgid, sig). Process groups are a Unix feature: on other systems the program says
// so and does nothing.
//
//	go run ./examples/signals        # press Ctrl-C, or wait and it signals itself
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// ChildEnv, set to a child's number, makes the program run as that child process.
const ChildEnv = "SYNCPRIM_SIGNALS_CHILD"

func main() {
	if n := os.Getenv(ChildEnv); n != "" {
		i, _ := strconv.Atoi(n)
		os.Exit(ChildMain(os.Stdout, i))
	}
	cfg := Config{Workers: 3, Children: 3, Patience: 3 * time.Second}
	if err := Run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Config sizes the example.
type Config struct {
	Workers  int           // goroutines stopped by the first signal
	Children int           // child processes stopped by the second
	Patience time.Duration // how long to wait for a real Ctrl-C before signalling ourselves
}
