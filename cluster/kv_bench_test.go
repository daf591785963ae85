package cluster_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/syncprim/syncprim/cluster"
)

// The lock benchmarks run on an in-memory embedded server with in-process
// connections and a one-second lease. The Raw variants do the same work
// directly on nats.go's jetstream API: KVCreateDelete as a program would
// write it with the key-value calls (Create with a key TTL, Delete against
// the revision), PublishCAS with the fewest requests the engine allows (a
// publish expecting the key's last revision, with a TTL header, and a
// delete marker published the same way), which is what the Lock does.

const benchTTL = time.Second

func BenchmarkLockUncontended(b *testing.B) {
	c := benchConn(b, benchServer(b))
	l, err := cluster.OpenLock(context.Background(), c, "bench", benchTTL)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Lock(); err != nil {
			b.Fatal(err)
		}
		if err := l.Unlock(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSemaphoreUncontended(b *testing.B) {
	c := benchConn(b, benchServer(b))
	s, err := cluster.OpenSemaphore(context.Background(), c, "bench", 4, benchTTL)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Acquire(); err != nil {
			b.Fatal(err)
		}
		if err := s.Release(); err != nil {
			b.Fatal(err)
		}
	}
}

func rawBucket(b *testing.B) jetstream.KeyValue {
	ctx := context.Background()
	js := benchConn(b, benchServer(b)).JetStream()
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: "raw", Storage: jetstream.MemoryStorage, LimitMarkerTTL: time.Minute,
	})
	if err != nil {
		b.Fatal(err)
	}
	return kv
}

func BenchmarkRawKVCreateDelete(b *testing.B) {
	ctx := context.Background()
	kv := rawBucket(b)
	b.ReportAllocs()
	for b.Loop() {
		rev, err := kv.Create(ctx, "k", nil, jetstream.KeyTTL(benchTTL))
		if err != nil {
			b.Fatal(err)
		}
		if err := kv.Delete(ctx, "k", jetstream.LastRevision(rev)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRawPublishCAS(b *testing.B) {
	ctx := context.Background()
	js := benchConn(b, benchServer(b)).JetStream()
	if _, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: "raw", Storage: jetstream.MemoryStorage, LimitMarkerTTL: time.Minute,
	}); err != nil {
		b.Fatal(err)
	}
	var last uint64
	b.ReportAllocs()
	for b.Loop() {
		ack, err := js.PublishMsg(ctx, &nats.Msg{Subject: "$KV.raw.k"},
			jetstream.WithExpectLastSequencePerSubject(last), jetstream.WithMsgTTL(benchTTL))
		if err != nil {
			b.Fatal(err)
		}
		del := &nats.Msg{Subject: "$KV.raw.k", Header: nats.Header{"KV-Operation": []string{"DEL"}}}
		if ack, err = js.PublishMsg(ctx, del, jetstream.WithExpectLastSequencePerSubject(ack.Sequence)); err != nil {
			b.Fatal(err)
		}
		last = ack.Sequence
	}
}

// BenchmarkLockHandover measures, per iteration, the time from one handle's
// Unlock to the return of another handle's Lock that was waiting for it
// (watching the key), and reports its median and 99th percentile.
func BenchmarkLockHandover(b *testing.B) {
	s := benchServer(b)
	ctx := context.Background()
	name := fmt.Sprintf("handover%d", names.Add(1))
	a, err := cluster.OpenLock(ctx, benchConn(b, s), name, benchTTL)
	if err != nil {
		b.Fatal(err)
	}
	w, err := cluster.OpenLock(ctx, benchConn(b, s), name, benchTTL)
	if err != nil {
		b.Fatal(err)
	}
	watching := make(chan struct{}, 1)
	cluster.OnWatching(func() { watching <- struct{}{} })
	b.Cleanup(func() { cluster.OnWatching(nil) })
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Lock(); err != nil {
			b.Fatal(err)
		}
		got := make(chan time.Time, 1)
		go func() {
			if err := w.Lock(); err != nil {
				b.Error(err)
			}
			got <- time.Now()
		}()
		<-watching
		start := time.Now()
		if err := a.Unlock(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, (<-got).Sub(start))
		if err := w.Unlock(); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
