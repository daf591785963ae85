package semaphore_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/semaphore"
)

// catch runs f and returns what it panicked with, or nil.
func catch(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// FuzzSemaphore drives a Semaphore with operations that never block, two
// bytes each (operation, signed count), against a sequential model: a count
// and, for a bounded semaphore, its bound. Every panic must be the one the
// model expects, with its exact message, and must change nothing. The first
// two bytes choose bounded or not and the initial value.
func FuzzSemaphore(f *testing.F) {
	f.Add([]byte{1, 3, 0, 2, 1, 1, 1, 2, 2, 0})
	f.Add([]byte{0, 0, 1, 5, 0, 5, 3, 1, 4, 0})
	f.Add([]byte{1, 2, 3, 3, 4, 3, 5, 1, 1, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		bounded, initial := data[0]&1 == 1, int(data[1]%8)
		var s *semaphore.Semaphore
		if bounded {
			s = semaphore.NewBounded(initial)
		} else {
			s = semaphore.New(initial)
		}
		value := initial
		done, cancel := context.WithCancel(context.Background())
		cancel()
		bg := context.Background()

		// expect is the panic the model predicts for taking k, or nil.
		takePanic := func(k int, blocking bool) any {
			switch {
			case k < 0:
				return msgNegativeCount
			case blocking && bounded && k > initial:
				return msgAboveBound
			}
			return nil
		}
		releasePanic := func(k int) any {
			switch {
			case k < 0:
				return msgNegativeCount
			case bounded && value+k > initial:
				return msgReleasedMore
			}
			return nil
		}
		for i := 2; i+1 < len(data); i += 2 {
			op, k := data[i]%6, int(int8(data[i+1]))%10
			var want, got any
			switch op {
			case 0: // TryAcquireN
				want = takePanic(k, false)
				var ok bool
				got = catch(func() { ok = s.TryAcquireN(k) })
				if want == nil {
					if ok != (value >= k) {
						t.Fatalf("step %d: TryAcquireN(%d) = %v with value %d", i, k, ok, value)
					}
					if ok {
						value -= k
					}
				}
			case 1: // ReleaseN
				want = releasePanic(k)
				got = catch(func() { s.ReleaseN(k) })
				if want == nil {
					value += k
				}
			case 2: // Value, checked below
			case 3: // AcquireN with a done context: fails unless k is 0
				want = takePanic(k, true)
				var err error
				got = catch(func() { err = s.AcquireN(done, k) })
				if want == nil && (err == nil) != (k == 0) {
					t.Fatalf("step %d: AcquireN(done, %d) = %v", i, k, err)
				}
			case 4: // AcquireN that the model says does not block
				want = takePanic(k, true)
				if want == nil && k > value {
					continue
				}
				var err error
				got = catch(func() { err = s.AcquireN(bg, k) })
				if want == nil {
					if err != nil {
						t.Fatalf("step %d: AcquireN(%d) = %v", i, k, err)
					}
					value -= k
				}
			case 5: // the one-permit forms
				switch abs(k) % 3 {
				case 0:
					ok := s.TryAcquire()
					if ok != (value >= 1) {
						t.Fatalf("step %d: TryAcquire = %v with value %d", i, ok, value)
					}
					if ok {
						value--
					}
				case 1:
					want = releasePanic(1)
					got = catch(s.Release)
					if want == nil {
						value++
					}
				case 2:
					want = takePanic(1, true)
					if want == nil && value < 1 {
						continue
					}
					got = catch(s.Acquire)
					if want == nil {
						value--
					}
				}
			}
			if got != want {
				t.Fatalf("step %d (op %d, k %d): panic %v, want %v", i, op, k, got, want)
			}
			if v := s.Value(); v != value {
				t.Fatalf("step %d (op %d, k %d): Value = %d, model %d", i, op, k, v, value)
			}
		}
	})
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}
