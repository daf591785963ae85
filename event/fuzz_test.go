package event_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/event"
)

// FuzzEvent drives an Event with a sequence of operations, one per byte,
// against a sequential model: a flag and a generation number that each
// Clear of a set event advances. Channels taken from Done are kept and
// checked at every step: one taken while the event was set is closed; one
// taken while it was clear is closed once a Set of its generation happened.
func FuzzEvent(f *testing.F) {
	f.Add([]byte{0, 2, 1, 2})
	f.Add([]byte{4, 0, 4, 1, 4, 0, 1, 5})
	f.Add([]byte{3, 0, 3, 1, 3, 6, 0, 6})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var e event.Event
		set, gen := false, 0
		type taken struct {
			c   <-chan struct{}
			gen int
			set bool // set when taken
		}
		var chans []taken
		done, cancel := context.WithCancel(context.Background())
		cancel()
		for i, op := range ops {
			switch op % 7 {
			case 0:
				e.Set()
				set = true
			case 1:
				e.Clear()
				if set {
					set = false
					gen++
				}
			case 2:
				if got := e.IsSet(); got != set {
					t.Fatalf("op %d: IsSet = %v, model %v", i, got, set)
				}
			case 3: // a wait that cannot block: WaitContext on a done context
				err := e.WaitContext(done)
				if (err == nil) != set {
					t.Fatalf("op %d: WaitContext(done) = %v with the model set=%v", i, err, set)
				}
			case 4:
				if len(chans) < 64 {
					chans = append(chans, taken{e.Done(), gen, set})
				}
			case 5: // Wait only when the model says it returns at once
				if set {
					e.Wait()
				}
			case 6: // a Done on a set event is closed at once
				if set && !isClosed(e.Done()) {
					t.Fatalf("op %d: Done of a set event is open", i)
				}
			}
			for j, tc := range chans {
				want := tc.set || tc.gen < gen || set
				if got := isClosed(tc.c); got != want {
					t.Fatalf("op %d: channel %d (gen %d, set %v) closed=%v, model %v (gen %d, set %v)",
						i, j, tc.gen, tc.set, got, want, gen, set)
				}
			}
		}
	})
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
