// Broadcast mirrors the producer that dispatches every item to a set of consumers in the
// slides introducing Python threads (the deck behind the countdown, race and coprocess
// examples): a Producer with register/unregister and for cons in self.consumers:
// cons.send(item), where "consumers could be threads or coroutines".
//
// Here the same Consumer (Send, Close) runs three ways: called inline (what a coroutine
// is to the talk: the producer's send runs the consumer's code), in a goroutine fed by an
// unbuffered channel, and in a goroutine behind a queue.Queue (the talk's ConsumerThread).
//
//	go run ./examples/broadcast
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/syncprim/syncprim/queue"
)

func main() {
	if err := Run(os.Stdout, 10); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Consumer is anything items can be sent to. Close is called once, after the last Send.
type Consumer interface {
	Send(item int)
	Close()
}

// Producer dispatches each item to every registered consumer, in registration order.
type Producer struct {
	mu        sync.Mutex
	consumers []Consumer
}

// Register adds c to the consumers that receive later items.
func (p *Producer) Register(c Consumer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.consumers = append(p.consumers, c)
}

// Unregister removes c: it receives no later items.
func (p *Producer) Unregister(c Consumer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.consumers = slices.DeleteFunc(p.consumers, func(x Consumer) bool { return x == c })
}

// Broadcast sends item to every registered consumer.
func (p *Producer) Broadcast(item int) {
	p.mu.Lock()
	consumers := slices.Clone(p.consumers)
	p.mu.Unlock()
	for _, c := range consumers {
		c.Send(item)
	}
}

// collector is the plain consumer: it records what it got and reports on Close. It has no
// lock of its own; each wrapper below makes sure only one goroutine ever calls it.
type collector struct {
	name  string
	w     io.Writer
	items []int
}

func (c *collector) Send(item int) { c.items = append(c.items, item) }

func (c *collector) Close() {
	fmt.Fprintf(c.w, "%-9s got %v in order: %v\n", c.name, c.items, slices.IsSorted(c.items))
}

// chanConsumer runs a consumer in its own goroutine fed by an unbuffered channel: Send
// returns once the goroutine has taken the item, like a coroutine's send.
type chanConsumer struct {
	ch   chan int
	done chan struct{}
}

func runOnChannel(c Consumer) *chanConsumer {
	cc := &chanConsumer{ch: make(chan int), done: make(chan struct{})}
	go func() {
		defer close(cc.done)
		for item := range cc.ch {
			c.Send(item)
		}
		c.Close()
	}()
	return cc
}

func (cc *chanConsumer) Send(item int) { cc.ch <- item }
func (cc *chanConsumer) Close()        { close(cc.ch); <-cc.done }

// queueConsumer is the talk's ConsumerThread: Send puts the item on a queue and returns at
// once; the goroutine takes items off the queue and hands them to the consumer. Close
// shuts the queue down: the goroutine drains what is left, closes the consumer and ends.
type queueConsumer struct {
	q    *queue.Queue[int]
	done chan struct{}
}

func runOnQueue(c Consumer) *queueConsumer {
	qc := &queueConsumer{q: queue.New[int](0), done: make(chan struct{})}
	go func() {
		defer close(qc.done)
		for {
			item, err := qc.q.Get()
			if errors.Is(err, queue.ErrShutdown) {
				c.Close()
				return
			}
			c.Send(item)
		}
	}()
	return qc
}

func (qc *queueConsumer) Send(item int) {
	if err := qc.q.Put(item); err != nil {
		panic("broadcast: Send after Close")
	}
}

func (qc *queueConsumer) Close() { qc.q.Shutdown(false); <-qc.done }

// Run broadcasts the items 1..n. Halfway through, one consumer leaves and another joins.
func Run(w io.Writer, n int) error {
	fmt.Fprintf(w, "== one producer, items 1..%d, several consumers\n", n)
	inline := &collector{name: "inline", w: w}
	channel := runOnChannel(&collector{name: "channel", w: w})
	queued := runOnQueue(&collector{name: "queue", w: w})
	early := runOnQueue(&collector{name: "early", w: w})
	late := runOnQueue(&collector{name: "late", w: w})

	var p Producer
	for _, c := range []Consumer{inline, channel, queued, early} {
		p.Register(c)
	}
	for item := 1; item <= n; item++ {
		if item == n/2+1 {
			p.Unregister(early)
			p.Register(late)
			fmt.Fprintf(w, "before item %d: unregistered early, registered late\n", item)
		}
		p.Broadcast(item)
	}
	fmt.Fprintln(w, "== producer done: closing every consumer (each reports what it got)")
	for _, c := range []Consumer{inline, channel, queued, early, late} {
		c.Close()
	}
	return nil
}
