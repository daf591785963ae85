// Package condition provides Condition, Python's threading.Condition for Go:
// a condition variable bound to a lock, with context-aware waiting.
//
// Compared with sync.Cond, a Condition
//
//   - waits with a deadline or cancellation (WaitContext, WaitForContext),
//     which sync.Cond cannot do (golang/go#16620);
//   - wakes waiters strictly first-in first-out: Notify wakes the goroutine
//     that has waited longest, NotifyN the n longest;
//   - never wakes spuriously: a Wait returns only when a Notify picked it or
//     its context ended;
//   - works over a reentrant *rlock.RLock (the default, as in Python), whose
//     every recursion level Wait releases and restores;
//   - panics when Wait or Notify is called without holding the lock, wherever
//     the lock can tell (see New).
//
// A Notify never loses a wake-up to a cancellation: when a waiter's context
// ends at the moment a Notify picks it, either the Notify wins and the waiter
// returns nil (it counts as notified), or the cancellation wins, the waiter
// is gone from the queue, and the Notify wakes the next waiter instead.
//
// As in Python, and as with sync.Cond, a woken waiter must re-acquire the
// lock before Wait returns and competes for it with every other goroutine,
// so the condition it waited for may be false again: wait in a loop, or use
// WaitFor.
//
// # Costs
//
// A Notify with nobody waiting costs a few nanoseconds and allocates
// nothing. A Wait without a context (Wait, WaitFor) on any lock but a
// *lock.Lock or a custom sync.Locker parks in the runtime's notify list,
// as sync.Cond does, allocating nothing, and a Notify wakes it without
// taking the Condition's own mutex. The waits that can be cancelled, and
// every wait over a *lock.Lock or a custom sync.Locker, park on the
// module's waiting layer instead: each allocates its waiter (about 150
// bytes), which nothing keeps after it returns. A wake-up round trip
// between two goroutines costs somewhat more than sync.Cond's, a fraction
// of a microsecond either way; measured costs are in the benchmarks/results/latest.md file in the repository.
//
// # testing/synctest
//
// A Condition keeps nothing of a wait after it returns, so one Condition
// may be used in bubble after bubble and outside bubbles in between. A
// goroutine parked in any of its waits is durably blocked.
package condition
