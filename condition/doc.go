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
// nanoseconds. A Wait without a context (Wait, WaitFor) on any lock but a
// *lock.Lock or a custom sync.Locker parks in the runtime's notify list,
// as sync.Cond does, and a Notify wakes it without taking the Condition's
// own mutex; the waits that can be cancelled park on a channel in a list
// guarded by that mutex. Measured on a busy 2-core machine, a
// two-goroutine ping-pong round trip over a sync.Mutex took about 1.1 to
// 1.25 times as long as sync.Cond's (roughly 310-350 against 270-290 ns).
//
// # testing/synctest
//
// A Condition reuses the channels its cancellable waiters park on, and its
// other waiters park in the runtime's notify list. Create it inside the
// synctest bubble that uses it: a channel made inside a bubble cannot be
// used outside it, nor can a goroutine of a bubble be woken from outside,
// so a Condition shared between a bubble and the code outside can fail
// with a fatal error.
package condition
