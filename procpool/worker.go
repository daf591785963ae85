package procpool

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
)

// Main makes the program serve as its own worker process when a Pool started
// it, and returns at once otherwise. Call it first thing in main, and in
// TestMain for tests that use a Pool:
//
//	func main() {
//		procpool.Main()
//		...
//	}
//
// In a worker, Main never returns: it serves tasks until the pool closes
// its side of the protocol (or the parent dies), then exits the process
// with status 0. Tasks must have been registered by then (Register at
// package level). Main reads an environment variable that only a Pool sets,
// and removes it, so programs the tasks start do not see it.
//
// On platforms other than Linux and macOS, Main does nothing.
func Main() {
	if !IsWorker() {
		return
	}
	os.Exit(serve())
}

// IsWorker reports whether this process was started by a Pool as a worker
// process (and has not yet begun serving: Main clears the mark).
func IsWorker() bool { return supported && os.Getenv(workerEnv) == "1" }

// worker is the serving side of one child process.
type worker struct {
	mu     sync.Mutex // serializes replies and guards results
	enc    *gob.Encoder
	out    *os.File
	codecs map[string]*workerCodec // used by the request loop only

	cancel context.CancelFunc // of the running task, under mu
	cur    uint64             // its id, under mu
}

// workerCodec is a worker's pair of payload streams for one task name.
type workerCodec struct {
	args    decStream
	results encStream // under worker.mu
}

// serve runs the worker: it answers requests from fd 3 on fd 4 and returns
// the exit status.
func serve() int {
	os.Unsetenv(workerEnv)
	in, out, err := workerFiles()
	if err != nil {
		fmt.Fprintln(os.Stderr, "procpool worker:", err)
		return 2
	}
	if _, err := io.WriteString(out, handshake); err != nil {
		return 2
	}
	w := &worker{enc: gob.NewEncoder(out), out: out, codecs: map[string]*workerCodec{}}
	dec := gob.NewDecoder(bufio.NewReader(in))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0 // the pool closed our input, or died
			}
			fmt.Fprintln(os.Stderr, "procpool worker: reading a request:", err)
			return 2
		}
		if req.Cancel {
			w.mu.Lock()
			if w.cur == req.ID && w.cancel != nil {
				w.cancel()
			}
			w.mu.Unlock()
			continue
		}
		w.start(req)
	}
}

// start decodes the argument of req and runs its task in a goroutine, so
// that the loop keeps reading cancellations and notices the end of input.
func (w *worker) start(req request) {
	h := lookup(req.Task)
	if h == nil {
		w.send(reply{ID: req.ID, Kind: replyUnknown}, nil)
		return
	}
	c := w.codecs[req.Task]
	if c == nil {
		c = &workerCodec{}
		w.codecs[req.Task] = c
	}
	arg, err := h.decodeArg(&c.args, req.Payload)
	if err != nil {
		// The argument stream is lost with this value; start a new one
		// would need the parent to do the same, so give up on this process.
		fmt.Fprintf(os.Stderr, "procpool worker: decoding the argument of %q: %v\n", req.Task, err)
		os.Exit(2)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.mu.Lock()
	w.cur, w.cancel = req.ID, cancel
	w.mu.Unlock()
	go func() {
		defer cancel()
		res, p, err := run(ctx, h, arg)
		w.send(reply{ID: req.ID}, func(r *reply) { w.fill(r, c, req, res, err, p) })
	}()
}

// run calls the task, recovering a panic (or runtime.Goexit) into p.
func run(ctx context.Context, h handler, arg any) (res any, p *reply, err error) {
	normal := false
	defer func() {
		if normal {
			return
		}
		v := recover()
		p = &reply{Kind: replyPanic, Stack: debug.Stack()}
		if v == nil {
			p.Msg, p.Type = "task called runtime.Goexit", "<nil>"
		} else {
			p.Msg, p.Type = fmt.Sprint(v), fmt.Sprintf("%T", v)
		}
	}()
	res, err = h.call(ctx, arg)
	normal = true
	return res, nil, err
}

// fill completes r with the outcome of a task; it runs under w.mu.
func (w *worker) fill(r *reply, c *workerCodec, req request, res any, err error, p *reply) {
	switch {
	case p != nil:
		r.Kind, r.Msg, r.Type, r.Stack = replyPanic, p.Msg, p.Type, p.Stack
	case err == nil:
		payload, eerr := c.results.encode(res)
		if eerr != nil {
			r.Kind, r.Msg = replyBadValue, fmt.Sprintf("encoding the result: %v", eerr)
			break
		}
		r.Kind, r.Payload = replyOK, payload
	default:
		if payload, eerr := c.results.encode(errBox{err}); eerr == nil {
			r.Kind, r.Payload = replyError, payload
			break
		}
		r.Kind, r.Msg, r.Type, r.Sentinels = replyText, err.Error(), fmt.Sprintf("%T", err), sentinelsOf(err)
		for cause := errors.Unwrap(err); cause != nil; cause = errors.Unwrap(cause) {
			if payload, eerr := c.results.encode(errBox{cause}); eerr == nil {
				r.HasCause, r.Payload = true, payload
				break
			}
		}
	}
	if req.Mem {
		r.MaxRSS = maxRSS()
	}
}

// send writes a reply, completing it first with fill under the lock.
func (w *worker) send(r reply, fill func(*reply)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if fill != nil {
		fill(&r)
	}
	w.cur, w.cancel = 0, nil
	if err := w.enc.Encode(&r); err != nil {
		fmt.Fprintln(os.Stderr, "procpool worker: writing a reply:", err)
		os.Exit(2)
	}
}
