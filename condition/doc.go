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
// Wait, Notify and their variants allocate nothing in steady state (parked
// goroutines' records are pooled). A Notify with nobody waiting costs a few
// nanoseconds. A waiter parks on a channel and the list of waiters has a
// mutex of its own, so a Wait/Notify round trip costs more than sync.Cond's,
// which parks in the runtime directly: measured on a busy 2-core machine, a
// two-goroutine ping-pong round trip took about 1.4 to 1.5 times as long
// (roughly 400 against 280 ns of CPU time).
//
// # testing/synctest
//
// A Condition reuses the channels its waiters park on. Create it inside the
// synctest bubble that uses it: a channel made inside a bubble cannot be
// used outside it, so a Condition shared between a bubble and the code
// outside can fail with a fatal error.
package condition
