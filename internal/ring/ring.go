// Package ring is a growable double-ended ring buffer: the item store of
// queue and of pool's backlog. It grows by doubling and never allocates per
// item once grown, so a Put or Get that does not block allocates nothing.
package ring

// The panic messages.
const (
	msgPopFrontEmpty = "ring: PopFront of an empty buffer"
	msgPopBackEmpty  = "ring: PopBack of an empty buffer"
)

// Buffer is a double-ended queue of T. The zero value is empty and ready to
// use. A Buffer is not safe for concurrent use.
type Buffer[T any] struct {
	buf  []T // len(buf) is zero or a power of two
	head int // index of the first item
	n    int // number of items
}

// Len returns the number of items.
func (b *Buffer[T]) Len() int { return b.n }

// PushBack appends v after the last item.
func (b *Buffer[T]) PushBack(v T) {
	b.grow()
	b.buf[(b.head+b.n)&(len(b.buf)-1)] = v
	b.n++
}

// PushFront inserts v before the first item.
func (b *Buffer[T]) PushFront(v T) {
	b.grow()
	b.head = (b.head - 1) & (len(b.buf) - 1)
	b.buf[b.head] = v
	b.n++
}

// PopFront removes and returns the first item. It panics if b is empty.
func (b *Buffer[T]) PopFront() T {
	if b.n == 0 {
		panic(msgPopFrontEmpty)
	}
	var zero T
	v := b.buf[b.head]
	b.buf[b.head] = zero // let the garbage collector have it
	b.head = (b.head + 1) & (len(b.buf) - 1)
	b.n--
	return v
}

// PopBack removes and returns the last item. It panics if b is empty.
func (b *Buffer[T]) PopBack() T {
	if b.n == 0 {
		panic(msgPopBackEmpty)
	}
	var zero T
	i := (b.head + b.n - 1) & (len(b.buf) - 1)
	v := b.buf[i]
	b.buf[i] = zero
	b.n--
	return v
}

// Clear removes every item, keeping the storage.
func (b *Buffer[T]) Clear() {
	var zero T
	for i := 0; i < b.n; i++ {
		b.buf[(b.head+i)&(len(b.buf)-1)] = zero
	}
	b.head, b.n = 0, 0
}

// grow makes room for one more item, doubling the storage when full.
func (b *Buffer[T]) grow() {
	if b.n < len(b.buf) {
		return
	}
	size := max(2*len(b.buf), 8)
	buf := make([]T, size)
	for i := 0; i < b.n; i++ {
		buf[i] = b.buf[(b.head+i)&(len(b.buf)-1)]
	}
	b.buf, b.head = buf, 0
}
