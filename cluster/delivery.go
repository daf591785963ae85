package cluster

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

const errSettled = "cluster: delivery settled twice (TaskDone, Retry or Drop)"

// Delivery is one item handed out by Get, with what the worker does once it
// has finished with it: TaskDone (done), Retry (deliver again later) or Drop
// (give up). Exactly one of them settles a delivery; until then the item
// stays unfinished, and if nothing settles it before the queue's redelivery
// deadline (RedeliverAfter) the server delivers it again, to this or another
// process. A Delivery must not be copied.
type Delivery[T any] struct {
	// Value is the decoded item.
	Value T

	q       *Queue[T]
	msg     *nats.Msg
	settled atomic.Bool
}

// TaskDone reports that the item has been processed (Python's task_done), and
// waits for the server to record it, at most the Conn's request timeout.
// After it returns nil the item is gone for good and no longer counts for
// Join. If it returns an error (connection lost, deadline already passed and
// the item handed to another worker) the item may be delivered again, and
// TaskDone may be called again. Calling it, Retry or Drop on a delivery
// already settled panics.
func (d *Delivery[T]) TaskDone() error {
	return d.settle([]byte("+ACK"), true)
}

// Retry puts the item back to be delivered again after delay (at once if
// delay <= 0), to this or another process. It stays unfinished for Join. It
// waits for the server to record it, at most the Conn's request timeout; on
// error the delivery is not settled and the item comes back after the
// redelivery deadline anyway.
func (d *Delivery[T]) Retry(delay time.Duration) error {
	body := []byte("-NAK")
	if delay > 0 {
		body = fmt.Appendf(nil, `-NAK {"delay": %d}`, delay.Nanoseconds())
	}
	return d.settle(body, false)
}

// Drop gives up on the item for good: it is removed from the queue and counts
// as done for Join, as after TaskDone, and the server publishes reason in its
// delivery-terminated advisory. It waits for the server, at most the Conn's
// request timeout.
func (d *Delivery[T]) Drop(reason string) error {
	return d.settle([]byte("+TERM "+reason), true)
}

// InProgress tells the server the item is still being worked on, restarting
// its redelivery deadline. Long tasks call it more often than RedeliverAfter.
// It does not settle the delivery.
func (d *Delivery[T]) InProgress() error {
	if d.settled.Load() {
		panic("cluster: InProgress on a settled delivery")
	}
	_, err := d.q.c.nc.Request(d.msg.Reply, []byte("+WPI"), d.q.c.timeout)
	return d.q.c.closedErr(err)
}

// Attempt returns how many times the item has been delivered, this delivery
// included: 1 the first time, more after a worker died, a deadline passed
// or Retry.
func (d *Delivery[T]) Attempt() int {
	md, err := d.msg.Metadata()
	if err != nil {
		return 1
	}
	return int(md.NumDelivered)
}

// settle sends an acknowledgement and waits for the server's reply; finish
// says the item leaves the queue, so Joins and full Puts are told.
func (d *Delivery[T]) settle(body []byte, finish bool) error {
	if !d.settled.CompareAndSwap(false, true) {
		panic(errSettled)
	}
	if err := d.q.ack(d.msg, body, finish); err != nil {
		d.settled.Store(false)
		return err
	}
	return nil
}

// ack sends body as the acknowledgement of m and waits for the server's
// reply; with finish, it then tells Joins and full Puts an item left.
func (q *Queue[T]) ack(m *nats.Msg, body []byte, finish bool) error {
	if _, err := q.c.nc.Request(m.Reply, body, q.c.timeout); err != nil {
		return q.c.closedErr(fmt.Errorf("cluster: queue %q: %w", q.name, err))
	}
	if finish {
		// The server has removed the item; the notice only saves the
		// waiters a poll, so a lost one costs latency, not correctness.
		_ = q.c.nc.Publish(q.doneSubj, nil)
	}
	return nil
}
