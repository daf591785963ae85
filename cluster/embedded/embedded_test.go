package embedded_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestServerListensOnLoopbackAndOutlivesItsConns(t *testing.T) {
	s, err := embedded.Start()
	require.NoError(t, err)
	defer s.Shutdown()
	require.Regexp(t, `^nats://127\.0\.0\.1:\d+$`, s.URL())

	byURL, err := cluster.Connect(s.URL())
	require.NoError(t, err)
	inProc, err := s.Connect()
	require.NoError(t, err)
	require.Equal(t, jetstream.MemoryStorage, inProc.Storage())
	require.Equal(t, jetstream.FileStorage, byURL.Storage())

	_, err = inProc.JetStream().CreateStream(ctx(t), jetstream.StreamConfig{
		Name: "S", Subjects: []string{"s"}, Storage: jetstream.MemoryStorage,
	})
	require.NoError(t, err)
	inProc.Close()
	inProc.Close() // harmless
	select {
	case <-inProc.Done():
	default:
		t.Fatal("Done not closed after Close")
	}

	// The server is still there for the other connection.
	_, err = byURL.JetStream().Publish(ctx(t), "s", []byte("x"))
	require.NoError(t, err)
	byURL.Close()
}

func TestOpenOwnsItsServer(t *testing.T) {
	dir := t.TempDir()
	c, err := embedded.Open(embedded.Dir(dir))
	require.NoError(t, err)
	require.Equal(t, jetstream.FileStorage, c.Storage())
	_, err = c.JetStream().CreateStream(ctx(t), jetstream.StreamConfig{Name: "S", Subjects: []string{"s"}})
	require.NoError(t, err)
	_, err = c.JetStream().Publish(ctx(t), "s", []byte("kept"))
	require.NoError(t, err)
	c.Close() // stops the server too: goleak would see its goroutines otherwise

	// A new server on the same directory finds the message.
	c, err = embedded.Open(embedded.Dir(dir))
	require.NoError(t, err)
	defer c.Close()
	st, err := c.JetStream().Stream(ctx(t), "S")
	require.NoError(t, err)
	require.Equal(t, uint64(1), st.CachedInfo().State.Msgs)
}
