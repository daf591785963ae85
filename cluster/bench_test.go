package cluster_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

// The benchmarks move b.N items through a queue on an in-memory embedded
// server: one Put (stored, confirmed), one Get and one confirmed TaskDone
// each, with one or four consumers on connections of their own. The Raw
// variants do the same work directly on nats.go's jetstream API (Publish,
// Consumer.Next, DoubleAck on a work-queue stream), as a program without
// this package would.

func benchServer(b *testing.B) *embedded.Server {
	s, err := embedded.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Shutdown)
	return s
}

func benchConn(b *testing.B, s *embedded.Server) *cluster.Conn {
	c, err := s.Connect()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	return c
}

func BenchmarkQueuePutGetTaskDone(b *testing.B) {
	for _, consumers := range []int{1, 4} {
		b.Run(fmt.Sprintf("consumers=%d", consumers), func(b *testing.B) {
			s := benchServer(b)
			name := fmt.Sprintf("bench%d", names.Add(1))
			ctx := context.Background()
			prod, err := cluster.Open[int](ctx, benchConn(b, s), name)
			if err != nil {
				b.Fatal(err)
			}
			qs := make([]*cluster.Queue[int], consumers)
			for i := range qs {
				if qs[i], err = cluster.Open[int](ctx, benchConn(b, s), name); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			for _, q := range qs {
				wg.Go(func() {
					for d, err := range q.All() {
						if err != nil {
							b.Error(err)
							return
						}
						if err := d.TaskDone(); err != nil {
							b.Error(err)
						}
					}
				})
			}
			for i := range b.N {
				if err := prod.Put(i); err != nil {
					b.Fatal(err)
				}
			}
			if err := prod.Join(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = prod.Shutdown(false)
			wg.Wait()
		})
	}
}

func BenchmarkRawJetStreamPutGetAck(b *testing.B) {
	for _, consumers := range []int{1, 4} {
		b.Run(fmt.Sprintf("consumers=%d", consumers), func(b *testing.B) {
			s := benchServer(b)
			ctx := context.Background()
			js := benchConn(b, s).JetStream()
			name := fmt.Sprintf("RAW%d", names.Add(1))
			st, err := js.CreateStream(ctx, jetstream.StreamConfig{
				Name: name, Subjects: []string{"raw." + name},
				Retention: jetstream.WorkQueuePolicy, Storage: jetstream.MemoryStorage,
			})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.CreateConsumer(ctx, jetstream.ConsumerConfig{
				Durable: "w", AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: -1,
			}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			var got sync.WaitGroup
			got.Add(b.N)
			stop := make(chan struct{})
			for range consumers {
				cons, err := benchConn(b, s).JetStream().Consumer(ctx, name, "w")
				if err != nil {
					b.Fatal(err)
				}
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						m, err := cons.Next(jetstream.FetchMaxWait(100 * time.Millisecond))
						if err != nil {
							continue // timeout: look at stop again
						}
						if err := m.DoubleAck(ctx); err != nil {
							b.Error(err)
						}
						got.Done()
					}
				})
			}
			for i := range b.N {
				if _, err := js.Publish(ctx, "raw."+name, fmt.Append(nil, i)); err != nil {
					b.Fatal(err)
				}
			}
			got.Wait()
			b.StopTimer()
			close(stop)
			wg.Wait()
		})
	}
}

// BenchmarkExampleShape is examples/cluster's shape: a producer puts jobs,
// three workers on connections of their own take each, put a result on a
// second queue and call TaskDone, a collector takes and finishes the
// results, and the producer's Join ends the run. It reports jobs per second
// end to end.
func BenchmarkExampleShape(b *testing.B) {
	s := benchServer(b)
	ctx := context.Background()
	name := fmt.Sprintf("shape%d", names.Add(1))
	c := benchConn(b, s)
	jobs, err := cluster.Open[int](ctx, c, name)
	if err != nil {
		b.Fatal(err)
	}
	results, err := cluster.Open[int](ctx, c, name+"-results")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 3 {
		wc := benchConn(b, s)
		wj, err := cluster.Open[int](ctx, wc, name)
		if err != nil {
			b.Fatal(err)
		}
		wr, err := cluster.Open[int](ctx, wc, name+"-results")
		if err != nil {
			b.Fatal(err)
		}
		wg.Go(func() {
			for d, err := range wj.All() {
				if err != nil {
					b.Error(err)
					return
				}
				if err := wr.Put(d.Value * d.Value); err != nil {
					b.Error(err)
				}
				if err := d.TaskDone(); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for d, err := range results.All() {
			if err != nil {
				b.Error(err)
				return
			}
			_ = d.TaskDone()
		}
	})
	for i := range b.N {
		if err := jobs.Put(i); err != nil {
			b.Fatal(err)
		}
	}
	if err := jobs.Join(); err != nil {
		b.Fatal(err)
	}
	if err := results.Join(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "jobs/s")
	b.StopTimer()
	_ = jobs.Shutdown(false)
	_ = results.Shutdown(false)
	wg.Wait()
}
