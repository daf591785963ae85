package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// pullExpiry is how long a blocking pull request waits on the server before
// it is renewed; a request lost with a server restart is renewed after
// pullExpiry plus pullGrace.
const (
	pullExpiry = 10 * time.Second
	pullGrace  = 2 * time.Second
)

// errWoken reports that a blocking pull was abandoned because the queue was
// shut down; the caller looks at the new state and decides.
var errWoken = errors.New("cluster: woken by shutdown")

// pull takes one message from the queue's consumer. With wait false it asks
// for what is available now and returns ErrEmpty if nothing is. With wait
// true it blocks until a message arrives, ctx is done, the connection closes
// or the queue is shut down (errWoken).
//
// It speaks the pull protocol itself, rather than through jetstream's Fetch,
// so that a call abandoned by ctx gives back a message that was already on
// its way (see abandon) instead of leaving it to the redelivery deadline.
func (q *Queue[T]) pull(ctx context.Context, wait bool) (*nats.Msg, error) {
	nc := q.c.nc
	msgs := make(chan *nats.Msg, 4)
	sub, err := nc.ChanSubscribe(nc.NewInbox(), msgs)
	if err != nil {
		return nil, q.c.closedErr(err)
	}
	var timer *time.Timer
	var timeout <-chan time.Time
	var shut <-chan struct{} // a pull that does not wait ignores shutdowns
	if wait {
		shut = q.shut
	}
	for {
		req := []byte(`{"batch":1,"no_wait":true}`)
		if wait {
			req = fmt.Appendf(nil, `{"batch":1,"expires":%d}`, pullExpiry.Nanoseconds())
			if timer == nil {
				timer = time.NewTimer(pullExpiry + pullGrace)
				defer timer.Stop()
			} else {
				timer.Reset(pullExpiry + pullGrace)
			}
			timeout = timer.C
		}
		if err := nc.PublishRequest(q.nextSubj, sub.Subject, req); err != nil {
			_ = sub.Unsubscribe()
			return nil, q.c.closedErr(err)
		}
	await:
		for {
			select {
			case m := <-msgs:
				status := ""
				if len(m.Data) == 0 && m.Header != nil {
					status = m.Header.Get("Status")
				}
				switch status {
				case "":
					_ = sub.Unsubscribe()
					return m, nil
				case "100": // idle heartbeat
					continue
				case "404", "408":
					if !wait {
						_ = sub.Unsubscribe()
						return nil, ErrEmpty
					}
					break await // expired: renew
				default:
					_ = sub.Unsubscribe()
					return nil, fmt.Errorf("cluster: queue %q: pull: %s %s", q.name, status, m.Header.Get("Description"))
				}
			case <-timeout:
				break await // request lost (server restart?): renew
			case m := <-q.shutMsgs:
				q.note(m)
			case <-shut:
				q.abandon(sub, msgs)
				return nil, errWoken
			case <-ctx.Done():
				q.abandon(sub, msgs)
				return nil, ctx.Err()
			case <-q.c.done:
				_ = sub.Unsubscribe()
				return nil, ErrClosed
			}
		}
	}
}

// abandon ends a pull nobody will take a message from any more. The server
// only serves a pull request while its inbox has a subscriber, so draining
// the subscription (unsubscribe, then a round trip during which messages
// already sent still arrive) leaves no message in flight; any message that
// did arrive goes back to the queue at once, ahead of newer items.
func (q *Queue[T]) abandon(sub *nats.Subscription, msgs chan *nats.Msg) {
	closed := sub.StatusChanged(nats.SubscriptionClosed)
	if err := sub.Drain(); err != nil {
		_ = sub.Unsubscribe()
	} else {
		select {
		case <-closed:
		case <-q.c.done:
		case <-time.After(q.c.timeout):
			_ = sub.Unsubscribe()
		}
	}
	for {
		select {
		case m := <-msgs:
			if len(m.Data) == 0 && m.Header != nil && m.Header.Get("Status") != "" {
				continue
			}
			_ = q.c.nc.Publish(m.Reply, []byte("-NAK"))
		default:
			return
		}
	}
}
