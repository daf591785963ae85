package barrier

// The panic messages, for the tests to compare exactly.
const (
	MsgParties    = msgParties
	MsgZero       = msgZero
	MsgNilContext = msgNilContext
	MsgInAction   = msgInAction
)

// Queued reports how many parties are parked on the waiter list.
func (b *Barrier) Queued() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.waiters.Len()
}
