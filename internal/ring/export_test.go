package ring

// At and Set reach inside a Buffer for the tests, which check its layout;
// the module itself only pushes and pops.

// At returns the i-th item from the front (0 <= i < Len()).
func (b *Buffer[T]) At(i int) T {
	if i < 0 || i >= b.n {
		panic(msgIndex)
	}
	return b.buf[(b.head+i)&(len(b.buf)-1)]
}

// Set replaces the i-th item from the front (0 <= i < Len()).
func (b *Buffer[T]) Set(i int, v T) {
	if i < 0 || i >= b.n {
		panic(msgIndex)
	}
	b.buf[(b.head+i)&(len(b.buf)-1)] = v
}

const msgIndex = "ring: index out of range"
