package ring_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/ring"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFIFOAcrossGrowth(t *testing.T) {
	var b ring.Buffer[int]
	for i := range 100 {
		b.PushBack(i)
		if i%3 == 0 {
			require.Equal(t, i/3, b.PopFront())
		}
	}
	require.Equal(t, 66, b.Len())
	for i := 34; i < 100; i++ {
		require.Equal(t, i, b.PopFront())
	}
	require.Zero(t, b.Len())
	require.Panics(t, func() { b.PopFront() })
	require.Panics(t, func() { b.PopBack() })
}

func TestDequeOperationsMatchASlice(t *testing.T) {
	var b ring.Buffer[int]
	var model []int
	for i := range 1000 {
		switch i % 7 {
		case 0, 1, 2:
			b.PushBack(i)
			model = append(model, i)
		case 3:
			b.PushFront(i)
			model = append([]int{i}, model...)
		case 4:
			if len(model) > 0 {
				require.Equal(t, model[0], b.PopFront())
				model = model[1:]
			}
		case 5:
			if len(model) > 0 {
				require.Equal(t, model[len(model)-1], b.PopBack())
				model = model[:len(model)-1]
			}
		case 6:
			if len(model) > 0 {
				b.Set(0, -i)
				model[0] = -i
			}
		}
		require.Equal(t, len(model), b.Len())
		for j := range model {
			require.Equal(t, model[j], b.At(j))
		}
	}
	b.Clear()
	require.Zero(t, b.Len())
	require.Panics(t, func() { b.At(0) })
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	var b ring.Buffer[int]
	for i := range 64 {
		b.PushBack(i)
	}
	allocs := testing.AllocsPerRun(100, func() {
		b.PushBack(1)
		b.PopFront()
	})
	require.Zero(t, allocs)
}
