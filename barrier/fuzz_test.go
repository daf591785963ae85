package barrier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/syncprim/syncprim/barrier"
	"github.com/syncprim/syncprim/internal/testutil"
)

// errAction is what the action returns when the model asks it to fail.
var errAction = errors.New("action failed")

// party is a goroutine waiting in the model: its result channel, its
// context's cancel, and the index the model expects it to be released with.
type party struct {
	out    <-chan result
	cancel context.CancelFunc
	index  int
}

// FuzzBarrier drives a Barrier through arrivals, arrivals with a done
// context, cancellations of a waiting party's context, Abort, Reset, and
// failing actions, two bytes per step (operation, argument), against a
// sequential model: the parties waiting and whether the barrier is broken.
// Every party's result, Waiting and Broken must be what the model says. The
// first byte chooses the number of parties, 1 to 4.
func FuzzBarrier(f *testing.F) {
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{3, 0, 0, 0, 0, 2, 1, 0, 0, 4, 0, 0, 0})
	f.Add([]byte{2, 5, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 1 {
			return
		}
		parties := 1 + int(data[0]%4)
		failNext, actions := false, 0
		b := barrier.New(parties, func() error {
			actions++
			if failNext {
				failNext = false
				return errAction
			}
			return nil
		})
		var waiting []party // the model: parties waiting, in arrival order
		broken := false

		// settle receives every waiting party's result, its index if
		// released, else ErrBroken, and empties the model's cycle.
		settle := func(step int, released bool) {
			for _, p := range waiting {
				want := result{-1, barrier.ErrBroken}
				if released {
					want = result{index: p.index}
				}
				if got := recv(t, p.out); got != want {
					t.Fatalf("step %d: party %d got %v, want %v", step, p.index, got, want)
				}
				p.cancel()
			}
			waiting = waiting[:0]
		}
		arrive := func(step int, ctx context.Context, cancel context.CancelFunc) {
			switch {
			case broken:
				i, err := b.WaitContext(ctx)
				cancel()
				if i != -1 || !errors.Is(err, barrier.ErrBroken) {
					t.Fatalf("step %d: WaitContext on a broken barrier = %d, %v", step, i, err)
				}
			case len(waiting) == parties-1: // completes the cycle
				released, want := !failNext, result{index: parties - 1}
				if !released {
					want = result{-1, errAction}
				}
				before := actions
				i, err := b.WaitContext(ctx)
				cancel()
				if actions != before+1 {
					t.Fatalf("step %d: the action ran %d times, want once", step, actions-before)
				}
				if got := (result{i, err}); got != want {
					t.Fatalf("step %d: last arrival got %v, want %v", step, got, want)
				}
				broken = !released
				settle(step, released)
			case ctx.Err() != nil:
				i, err := b.WaitContext(ctx)
				cancel()
				if i != -1 || !errors.Is(err, context.Canceled) {
					t.Fatalf("step %d: WaitContext with a done context = %d, %v", step, i, err)
				}
				broken = true
				settle(step, false)
			default:
				out := make(chan result, 1)
				go func() {
					i, err := b.WaitContext(ctx)
					out <- result{i, err}
				}()
				waiting = append(waiting, party{out, cancel, len(waiting)})
				testutil.WaitEqual(t, "the party waits", b.Waiting, len(waiting))
			}
		}

		for i := 1; i+1 < len(data); i += 2 {
			op, arg := data[i]%6, int(data[i+1])
			switch op {
			case 0: // arrive
				ctx, cancel := context.WithCancel(context.Background())
				arrive(i, ctx, cancel)
			case 1: // arrive with a done context
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				arrive(i, ctx, cancel)
			case 2: // the context of a waiting party ends
				if len(waiting) == 0 {
					continue
				}
				k := arg % len(waiting)
				p := waiting[k]
				p.cancel()
				if got := recv(t, p.out); got != (result{-1, context.Canceled}) {
					t.Fatalf("step %d: cancelled party got %v", i, got)
				}
				waiting = append(waiting[:k], waiting[k+1:]...)
				broken = true
				settle(i, false)
			case 3: // Abort
				b.Abort()
				broken = true
				settle(i, false)
			case 4: // Reset
				b.Reset()
				broken = false
				settle(i, false)
			case 5: // the next action fails
				failNext = true
			}
			wantWaiting := len(waiting)
			if broken {
				wantWaiting = 0
			}
			if b.Waiting() != wantWaiting || b.Broken() != broken {
				t.Fatalf("step %d: Waiting() = %d, Broken() = %v; want %d, %v",
					i, b.Waiting(), b.Broken(), wantWaiting, broken)
			}
		}
		b.Abort()
		settle(len(data), false)
	})
}
