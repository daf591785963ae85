package queue

// heap is a stable binary min-heap: items that are equal under less come out
// in insertion order, because each carries a sequence number that breaks
// ties. It grows its slice by append (doubling), so it allocates nothing in
// steady state.
type heap[T any] struct {
	less  func(a, b T) bool
	items []entry[T]
	seq   uint64
}

type entry[T any] struct {
	v   T
	seq uint64
}

func (h *heap[T]) len() int { return len(h.items) }

// before is the heap order: less, then insertion order.
func (h *heap[T]) before(a, b *entry[T]) bool {
	if h.less(a.v, b.v) {
		return true
	}
	if h.less(b.v, a.v) {
		return false
	}
	return a.seq < b.seq
}

func (h *heap[T]) push(v T) {
	h.items = append(h.items, entry[T]{v: v, seq: h.seq})
	h.seq++
	// Sift up.
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.before(&h.items[i], &h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

// pop removes and returns the least item; the heap must not be empty.
func (h *heap[T]) pop() T {
	n := len(h.items) - 1
	v := h.items[0].v
	h.items[0] = h.items[n]
	h.items[n] = entry[T]{} // let the garbage collector have it
	h.items = h.items[:n]
	// Sift down.
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h.before(&h.items[r], &h.items[l]) {
			c = r
		}
		if !h.before(&h.items[c], &h.items[i]) {
			break
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
	return v
}

// clear removes every item, keeping the storage.
func (h *heap[T]) clear() {
	clear(h.items)
	h.items = h.items[:0]
}
