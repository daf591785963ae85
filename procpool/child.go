package procpool

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// child is the pool's side of one worker process. It is owned by one task
// at a time (the one that took it from the pool's slots), except for the
// reader goroutine, which only decodes replies and reaps the process.
type child struct {
	cmd    *exec.Cmd
	pid    int
	req    *os.File // our end of the worker's fd 3
	rep    *os.File // our end of the worker's fd 4
	enc    *gob.Encoder
	stderr *tail

	replies chan reply    // at most one: one task at a time
	exited  chan struct{} // closed once the process is reaped
	readErr error         // why the reader stopped; read after exited
	waitErr error         // cmd.Wait's error; read after exited

	codecs   map[string]*parentCodec
	tasks    int  // tasks run
	retiring bool // its input is closed: it is exiting
	p        *Pool
}

// parentCodec is a child's pair of payload streams for one task name.
type parentCodec struct {
	args    encStream
	results decStream
}

// startChild starts a worker process and waits for its handshake, giving up
// when the start timeout passes or ctx or pctx ends. It returns a
// *ProcessError, or ctx's or pctx's error.
func (p *Pool) startChild(ctx, pctx context.Context, task string) (*child, error) {
	fail := func(err error) (*child, error) {
		return nil, &ProcessError{Task: task, Err: err}
	}
	if !supported {
		_, _, err := workerFiles()
		return fail(err)
	}
	if os.Getenv(workerEnv) == "1" {
		// This process was started as a worker but runs as a program: it
		// did not call Main first. Starting workers would start it again.
		return fail(errors.New("procpool: this process was started as a worker process but did not call procpool.Main first"))
	}
	if p.pathErr != nil {
		return fail(p.pathErr)
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return fail(err)
	}
	cmd := exec.Command(p.path, p.cfg.args...)
	cmd.Env = p.env
	cmd.ExtraFiles = []*os.File{reqR, repW} // fds 3 and 4
	cmd.Stdout = p.cfg.stdout
	c := &child{
		cmd:     cmd,
		req:     reqW,
		rep:     repR,
		enc:     gob.NewEncoder(reqW),
		stderr:  newTail(p.cfg.stderrLines, p.cfg.stderr),
		replies: make(chan reply, 1),
		exited:  make(chan struct{}),
		codecs:  map[string]*parentCodec{},
		p:       p,
	}
	cmd.Stderr = c.stderr
	cmd.SysProcAttr = sysProcAttr()
	// A grandchild holding the worker's stderr open must not hold up the
	// reaping (the process group is killed, but a grandchild may have left it).
	cmd.WaitDelay = time.Second
	err = cmd.Start()
	reqR.Close()
	repW.Close()
	if err != nil {
		reqW.Close()
		repR.Close()
		return fail(err)
	}
	c.pid = cmd.Process.Pid
	p.procs.Add(1)

	if err := c.handshake(ctx, pctx, p.cfg.startTimeout); err != nil {
		c.kill()
		c.reap()
		<-c.exited
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if cerr := pctx.Err(); cerr != nil {
			return nil, cerr
		}
		c.readErr = err
		return nil, c.processError(task)
	}
	go c.read()
	return c, nil
}

// handshake reads the worker's greeting within timeout, or until ctx or
// pctx ends.
func (c *child) handshake(ctx, pctx context.Context, timeout time.Duration) error {
	if err := c.rep.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	expire := func() { _ = c.rep.SetReadDeadline(time.Unix(1, 0)) }
	stop1 := context.AfterFunc(ctx, expire)
	stop2 := context.AfterFunc(pctx, expire)
	buf := make([]byte, len(handshake))
	n, err := io.ReadFull(c.rep, buf)
	stop1()
	stop2()
	if err == nil && string(buf) != handshake {
		return fmt.Errorf("%w: it wrote %q, not a procpool worker's greeting (does it call procpool.Main first?)", ErrHandshake, buf[:n])
	}
	if err != nil {
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			err = fmt.Errorf("%w: no greeting within the start timeout, got %q (does the program call procpool.Main first?)", ErrHandshake, buf[:n])
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			err = fmt.Errorf("%w: it exited or closed the protocol descriptor after %q (does it call procpool.Main first?)", ErrHandshake, buf[:n])
		default:
			err = fmt.Errorf("%w: %w", ErrHandshake, err)
		}
		return err
	}
	return c.rep.SetReadDeadline(time.Time{})
}

// read decodes replies until the worker closes its end, then reaps it. A
// reply that is not one (garbage on the descriptor, a reply nobody asked
// for) kills the worker.
func (c *child) read() {
	dec := gob.NewDecoder(c.rep)
	for {
		var r reply
		if err := dec.Decode(&r); err != nil {
			if !errors.Is(err, io.EOF) {
				c.readErr = fmt.Errorf("%w: %w", ErrProtocol, err)
				c.kill()
			}
			break
		}
		select {
		case c.replies <- r:
		default:
			c.readErr = fmt.Errorf("%w: a reply nobody asked for (id %d)", ErrProtocol, r.ID)
			c.kill()
		}
	}
	c.reap()
}

// reap waits for the process, releases the descriptors and closes exited.
func (c *child) reap() {
	c.waitErr = c.cmd.Wait()
	c.rep.Close()
	c.req.Close() // closing twice is harmless
	c.p.procs.Add(-1)
	close(c.exited)
}

// kill kills the worker's process group.
func (c *child) kill() { killGroup(c.pid) }

// close asks the worker to exit: it sees the end of its requests.
func (c *child) close() { c.req.Close() }

// processError describes how the worker ended; call it after exited.
func (c *child) processError(task string) *ProcessError {
	lines, headline := c.stderr.snapshot()
	e := &ProcessError{Task: task, Pid: c.pid, State: c.cmd.ProcessState, Err: c.readErr, Stderr: lines, Headline: headline}
	if e.State == nil && e.Err == nil {
		e.Err = c.waitErr
	}
	return e
}

// codec returns the payload streams for a task name.
func (c *child) codec(task string) *parentCodec {
	pc := c.codecs[task]
	if pc == nil {
		pc = &parentCodec{}
		c.codecs[task] = pc
	}
	return pc
}

// send writes a request. An error means the worker is gone or stuck.
func (c *child) send(r *request) error {
	if err := c.enc.Encode(r); err != nil {
		return fmt.Errorf("procpool: writing to the worker process: %w", err)
	}
	return nil
}

// stop closes the worker's input and waits up to grace for it to exit,
// then kills it. It waits until the process is reaped.
func (c *child) stop(grace time.Duration) {
	c.close()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.exited:
	case <-t.C:
		c.kill()
		<-c.exited
	}
}

// childEnv is the environment of worker processes: ours, marked, and with
// the race detector's exit delay off (a worker's exit must not cost a
// second; its races are still reported when they happen).
func childEnv() []string {
	env := os.Environ()
	for i, kv := range env {
		if strings.HasPrefix(kv, "GORACE=") {
			env[i] = kv + " atexit_sleep_ms=0"
			return append(env, workerEnv+"=1")
		}
	}
	return append(env, "GORACE=atexit_sleep_ms=0", workerEnv+"=1")
}
