package goid_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/goid"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestGetMatchesStack(t *testing.T) {
	require.True(t, goid.Fast(), "the fast reader should agree with runtime.Stack on this platform")
	require.Equal(t, goid.Slow(), goid.Get())
	require.NotZero(t, goid.Get())
}

func TestDistinctGoroutinesHaveDistinctIDs(t *testing.T) {
	const n = 100
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = goid.Get()
			if ids[i] != goid.Slow() {
				ids[i] = -1
			}
		}()
	}
	wg.Wait()
	seen := map[int64]bool{goid.Get(): true}
	for _, id := range ids {
		require.Positive(t, id)
		require.False(t, seen[id], "id %d seen twice", id)
		seen[id] = true
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		give string
		want int64
	}{
		{"goroutine 18 [running]:\nmain.main()", 18},
		{"goroutine 1 [running]:", 1},
		{"goroutine 123456789012", 123456789012},
		{"gorout", 0},
		{"goroutine x [running]", 0},
		{"goroutine -4 [running]", 0},
		{"", 0},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, goid.Parse([]byte(tt.give)), tt.give)
	}
}

func BenchmarkGet(b *testing.B) {
	for b.Loop() {
		goid.Get()
	}
}

func BenchmarkSlow(b *testing.B) {
	for b.Loop() {
		goid.Slow()
	}
}

func TestFastGetAgreesWithGet(t *testing.T) {
	type result struct {
		id, get int64
		ok      bool
	}
	read := func() result {
		id, ok := goid.FastGet()
		return result{id: id, get: goid.Get(), ok: ok}
	}
	here := read()
	ch := make(chan result)
	go func() { ch <- read() }()
	there := <-ch
	for _, r := range []result{here, there} {
		require.Equal(t, goid.Fast(), r.ok)
		if r.ok {
			require.Equal(t, r.get, r.id)
		} else {
			require.Zero(t, r.id)
		}
	}
	require.NotEqual(t, here.get, there.get)
}
