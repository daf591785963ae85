package queue_test

// Linearizability: concurrent histories of Put, TryPut, Get, TryGet and
// Shutdown, recorded from real goroutines, must each be explainable by some
// sequential order of the operations consistent with real time, checked with
// porcupine against a sequential model of the queue.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/queue"
)

type opKind int

const (
	opPut opKind = iota
	opTryPut
	opGet
	opTryGet
	opShutdown
)

type linInput struct {
	op opKind
	v  int // the item put; for opShutdown, 1 if immediate
}

type linOutput struct {
	v   int
	err error
}

// linState is comparable, so porcupine's default == works: the items in
// queue order as a string of runes, and whether the queue is shut down.
type linState struct {
	items string
	shut  bool
}

// linOrder selects the model's order.
type linOrder int

const (
	linFIFO linOrder = iota
	linLIFO
	linPriority // least v%3 first, ties in insertion order
)

// priorityKey is the priority the linearizability priority queue orders by:
// few distinct keys, so that ties (and the stability promise) are common.
func priorityKey(v int) int { return v % 3 }

// queueModel is the sequential specification of a FIFO, LIFO or priority
// queue with capacity maxsize (<= 0: unbounded). A blocking call is linearized at the
// moment it succeeds, so the model refuses a Put into a full queue and a Get
// from an empty, open one.
func queueModel(order linOrder, maxsize int) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return linState{} },
		Step: func(state, input, output any) (bool, any) {
			s, in, out := state.(linState), input.(linInput), output.(linOutput)
			items := []rune(s.items)
			full := maxsize > 0 && len(items) >= maxsize
			switch in.op {
			case opPut, opTryPut:
				switch {
				case s.shut:
					return errors.Is(out.err, queue.ErrShutdown), s
				case full && in.op == opTryPut:
					return errors.Is(out.err, queue.ErrFull), s
				case full:
					return false, s
				}
				return out.err == nil, linState{s.items + string(rune(in.v)), false}
			case opGet, opTryGet:
				if len(items) == 0 {
					switch {
					case s.shut:
						return errors.Is(out.err, queue.ErrShutdown), s
					case in.op == opTryGet:
						return errors.Is(out.err, queue.ErrEmpty), s
					}
					return false, s
				}
				i := 0
				switch order {
				case linLIFO:
					i = len(items) - 1
				case linPriority:
					for j, it := range items {
						if priorityKey(int(it)) < priorityKey(int(items[i])) {
							i = j
						}
					}
				}
				if out.err != nil || out.v != int(items[i]) {
					return false, s
				}
				return true, linState{string(append(items[:i:i], items[i+1:]...)), s.shut}
			case opShutdown:
				if in.v == 1 {
					return true, linState{"", true}
				}
				return true, linState{s.items, true}
			}
			return false, s
		},
		DescribeOperation: func(input, output any) string {
			in, out := input.(linInput), output.(linOutput)
			name := [...]string{"Put", "TryPut", "Get", "TryGet", "Shutdown"}[in.op]
			return fmt.Sprintf("%s(%d) -> %d, %v", name, in.v, out.v, out.err)
		},
	}
}

// recorder collects a history, with a logical clock that orders every call
// and return event.
type recorder struct {
	clock atomic.Int64
	mu    sync.Mutex
	ops   []porcupine.Operation
}

func (r *recorder) do(client int, in linInput, f func() linOutput) linOutput {
	call := r.clock.Add(1)
	out := f()
	ret := r.clock.Add(1)
	r.mu.Lock()
	r.ops = append(r.ops, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
	r.mu.Unlock()
	return out
}

// recordHistory runs producers that Put or TryPut distinct items, consumers
// that Get or TryGet until the queue reports ErrShutdown, and a goroutine
// that shuts the queue down once the producers are done.
func recordHistory(q *queue.Queue[int], seed uint64, immediate bool) []porcupine.Operation {
	const producers, consumers, perProducer = 3, 3, 10
	r := &recorder{}
	var prod, all sync.WaitGroup
	for p := range producers {
		prod.Add(1)
		all.Go(func() {
			defer prod.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(p)))
			for j := range perProducer {
				v := 1 + p*perProducer + j
				for {
					if rng.IntN(2) == 0 {
						r.do(p, linInput{opPut, v}, func() linOutput { return linOutput{0, q.Put(v)} })
						break
					}
					out := r.do(p, linInput{opTryPut, v}, func() linOutput { return linOutput{0, q.TryPut(v)} })
					if out.err == nil {
						break
					}
				}
			}
		})
	}
	for c := range consumers {
		client := producers + c
		all.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(client)))
			for {
				op, get := opGet, q.Get
				if rng.IntN(2) == 0 {
					op, get = opTryGet, q.TryGet
				}
				out := r.do(client, linInput{op, 0}, func() linOutput {
					v, err := get()
					return linOutput{v, err}
				})
				if errors.Is(out.err, queue.ErrShutdown) {
					return
				}
			}
		})
	}
	all.Go(func() {
		prod.Wait()
		in := linInput{opShutdown, 0}
		if immediate {
			in.v = 1
		}
		r.do(producers+consumers, in, func() linOutput { q.Shutdown(immediate); return linOutput{} })
	})
	all.Wait()
	return r.ops
}

// checkTimeout bounds the checker's search per history; maxUndecided is
// how many of a case's 50 histories may hit it.
const (
	checkTimeout = 2 * time.Second
	maxUndecided = 5
)

func TestLinearizable(t *testing.T) {
	cases := []struct {
		name    string
		order   linOrder
		maxsize int
	}{
		{"fifo/unbounded", linFIFO, 0},
		{"fifo/maxsize=2", linFIFO, 2},
		{"lifo/maxsize=3", linLIFO, 3},
		{"priority/maxsize=3", linPriority, 3},
	}
	for _, c := range cases {
		for _, immediate := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/immediate=%v", c.name, immediate), func(t *testing.T) {
				model := queueModel(c.order, c.maxsize)
				unknown := 0
				for seed := range uint64(50) {
					mk := map[linOrder]func(int) *queue.Queue[int]{
						linFIFO: queue.New[int],
						linLIFO: queue.NewLifo[int],
						linPriority: func(n int) *queue.Queue[int] {
							return queue.NewPriority(n, func(a, b int) bool { return priorityKey(a) < priorityKey(b) })
						},
					}[c.order]
					ops := recordHistory(mk(c.maxsize), seed, immediate)
					// The search is exponential in the worst case: a rare
					// history took minutes under -race on a loaded machine.
					// A history the checker cannot decide in time is counted,
					// not passed; an illegal one always fails the test.
					switch porcupine.CheckOperationsTimeout(model, ops, checkTimeout) {
					case porcupine.Illegal:
						t.Fatalf("history %d of %d operations is not linearizable", seed, len(ops))
					case porcupine.Unknown:
						unknown++
					}
				}
				require.LessOrEqual(t, unknown, maxUndecided, "too many histories left undecided")
			})
		}
	}
}

// TestLinearizabilityCheckCanFail: the model and checker reject histories a
// correct queue could not produce, so TestLinearizable can fail.
func TestLinearizabilityCheckCanFail(t *testing.T) {
	seq := func(steps ...porcupine.Operation) []porcupine.Operation {
		for i := range steps {
			steps[i].Call, steps[i].Return = int64(2*i), int64(2*i+1)
		}
		return steps
	}
	op := func(in linInput, out linOutput) porcupine.Operation {
		return porcupine.Operation{Input: in, Output: out}
	}
	put := func(v int) porcupine.Operation { return op(linInput{opPut, v}, linOutput{}) }
	got := func(v int) porcupine.Operation { return op(linInput{opGet, 0}, linOutput{v, nil}) }
	fifo, lifo, bounded := queueModel(linFIFO, 0), queueModel(linLIFO, 0), queueModel(linFIFO, 1)
	prio := queueModel(linPriority, 0)

	require.True(t, porcupine.CheckOperations(fifo, seq(put(1), put(2), got(1), got(2))))
	require.False(t, porcupine.CheckOperations(fifo, seq(put(1), put(2), got(2))), "FIFO out of order")
	require.True(t, porcupine.CheckOperations(lifo, seq(put(1), put(2), got(2), got(1))))
	require.False(t, porcupine.CheckOperations(lifo, seq(put(1), put(2), got(1))), "LIFO out of order")
	require.False(t, porcupine.CheckOperations(fifo, seq(put(1), got(1), got(1))), "duplicated item")
	require.True(t, porcupine.CheckOperations(prio, seq(put(4), put(3), put(1), got(3), got(4), got(1))))
	require.False(t, porcupine.CheckOperations(prio, seq(put(4), put(1), got(1))), "tie out of insertion order")
	require.False(t, porcupine.CheckOperations(bounded, seq(put(1), put(2))), "Put into a full queue")
	require.False(t, porcupine.CheckOperations(fifo,
		seq(put(1), op(linInput{opTryGet, 0}, linOutput{0, queue.ErrEmpty}))), "lost item")
	require.False(t, porcupine.CheckOperations(fifo,
		seq(put(1), op(linInput{opShutdown, 0}, linOutput{}), op(linInput{opGet, 0}, linOutput{0, queue.ErrShutdown}))),
		"graceful shutdown dropped an item")
	require.True(t, porcupine.CheckOperations(fifo,
		seq(put(1), op(linInput{opShutdown, 1}, linOutput{}), op(linInput{opGet, 0}, linOutput{0, queue.ErrShutdown}))))
	require.False(t, porcupine.CheckOperations(fifo,
		seq(op(linInput{opShutdown, 0}, linOutput{}), put(1))), "Put accepted after shutdown")
}
