package cluster

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrClosed is returned by calls on a Conn, or on a Queue opened on it, after
// the connection was closed (by Close, or by the NATS client giving up on
// reconnecting). Calls blocked at that moment return it too.
var ErrClosed = errors.New("cluster: connection closed")

// DefaultTimeout bounds each request a Conn makes to the server on behalf of
// a call that has no context of its own (TryPut, TaskDone, Len, ...).
const DefaultTimeout = 5 * time.Second

// Conn is a connection to a NATS server with JetStream, shared by every
// Queue opened on it and safe for concurrent use. Create one with Connect
// (a server or cluster at a URL) or with the embedded package (a server in
// this process); NewConn wraps a *nats.Conn made by other means. A Conn
// must not be copied after first use.
type Conn struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	storage jetstream.StorageType
	timeout time.Duration

	closeOnce      sync.Once     // guards done
	closeOnceClose sync.Once     // guards Close
	done           chan struct{} // closed once the connection is closed
	also           []func()      // run by Close after the connection closes
}

// ConnOption configures NewConn.
type ConnOption interface{ applyConn(*Conn) }

type connOptionFunc func(*Conn)

func (f connOptionFunc) applyConn(c *Conn) { f(c) }

// OnClose makes Close call stop after it has closed the NATS connection; the
// embedded package uses it to stop the server it started with the Conn.
func OnClose(stop func()) ConnOption {
	return connOptionFunc(func(c *Conn) { c.also = append(c.also, stop) })
}

// MemoryStorage makes the queues this Conn creates keep their items in the
// server's memory instead of on disk. Items then survive neither a restart
// of the server nor, on a cluster, the loss of the server that holds them.
func MemoryStorage() ConnOption {
	return connOptionFunc(func(c *Conn) { c.storage = jetstream.MemoryStorage })
}

// Timeout sets how long each server request of a call without a context
// may take (DefaultTimeout if unset or d <= 0).
func Timeout(d time.Duration) ConnOption {
	return connOptionFunc(func(c *Conn) {
		if d > 0 {
			c.timeout = d
		}
	})
}

// Connect connects to the NATS server or cluster at url (for example
// "nats://127.0.0.1:4222", or several URLs separated by commas), with
// JetStream enabled on the server. The nats options are passed on to
// nats.Connect; the client reconnects after a network failure as nats.go
// does by default. Close closes the connection.
func Connect(url string, opts ...nats.Option) (*Conn, error) {
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("cluster: connect to %s: %w", url, err)
	}
	c, err := NewConn(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// NewConn wraps nc, an open connection to a JetStream-enabled server. The
// Conn takes nc over: Conn.Close closes it, and NewConn installs its own
// closed handler, chained before the one nc had.
func NewConn(nc *nats.Conn, opts ...ConnOption) (*Conn, error) {
	if nc == nil {
		panic("cluster: NewConn with a nil *nats.Conn")
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Conn{
		nc:      nc,
		js:      js,
		storage: jetstream.FileStorage,
		timeout: DefaultTimeout,
		done:    make(chan struct{}),
	}
	for _, o := range opts {
		o.applyConn(c)
	}
	prev := nc.Opts.ClosedCB
	nc.SetClosedHandler(func(nc *nats.Conn) {
		c.markClosed()
		if prev != nil {
			prev(nc)
		}
	})
	if nc.IsClosed() {
		c.markClosed()
	}
	return c, nil
}

func (c *Conn) markClosed() { c.closeOnce.Do(func() { close(c.done) }) }

// NATS returns the underlying NATS connection, for subjects of the
// application's own. Closing it closes the Conn.
func (c *Conn) NATS() *nats.Conn { return c.nc }

// JetStream returns the JetStream context the Conn uses, for streams and
// key-value buckets of the application's own.
func (c *Conn) JetStream() jetstream.JetStream { return c.js }

// Storage returns where queues created through this Conn keep their items:
// on disk (jetstream.FileStorage, the default) or in memory.
func (c *Conn) Storage() jetstream.StorageType { return c.storage }

// RequestTimeout returns the bound on each server request of a call that has
// no context (see Timeout).
func (c *Conn) RequestTimeout() time.Duration { return c.timeout }

// Done returns a channel that is closed once the connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Close closes the NATS connection, waking every call blocked on it with
// ErrClosed, and then stops what was started along with the Conn (the
// embedded server of embedded.Open), and nothing else: a server reached by
// URL keeps running, and queues keep their items. Close may be called more
// than once; only the first call does anything.
func (c *Conn) Close() {
	first := false
	c.closeOnceClose.Do(func() { first = true })
	if !first {
		return
	}
	c.nc.Close()
	c.markClosed()
	for _, stop := range c.also {
		stop()
	}
}

// closedErr maps an error of the NATS client to ErrClosed when the connection
// is closed, so that callers test one sentinel.
func (c *Conn) closedErr(err error) error {
	if err == nil {
		return nil
	}
	select {
	case <-c.done:
		return fmt.Errorf("%w (%v)", ErrClosed, err)
	default:
	}
	if errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("%w (%v)", ErrClosed, err)
	}
	return err
}
