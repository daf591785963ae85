// Package embedded runs a NATS server with JetStream inside the current
// process, for demos, tests and programs that fit on one machine. It is a
// package of its own so that a program that only connects to a server by URL
// (cluster.Connect) does not link a NATS server into its binary.
//
// The server listens on the loopback interface only (127.0.0.1, on a port
// the system picks unless Port says otherwise), so that other processes on
// the same machine can connect with cluster.Connect(s.URL()); connections
// made with Server.Connect go through memory instead of TCP.
//
//	conn, err := embedded.Open(embedded.Dir("/var/lib/myapp/queues"))
//	if err != nil { ... }
//	defer conn.Close() // closes the connection, then stops the server
//	q, err := cluster.Open[Job](ctx, conn, "jobs")
package embedded

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/syncprim/syncprim/cluster"
)

// Option configures Start and Open.
type Option interface{ apply(*config) }

type config struct {
	dir  string
	port int
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Dir makes the server keep JetStream data (queued items, queue state) in
// files under dir, created if needed, so that they survive a restart of the
// server on the same directory. Without Dir the server keeps everything in
// memory, and queues created through its connections use memory storage.
func Dir(dir string) Option { return optionFunc(func(c *config) { c.dir = dir }) }

// Port makes the server listen on 127.0.0.1:port instead of a port the
// system picks.
func Port(port int) Option { return optionFunc(func(c *config) { c.port = port }) }

// Server is a running in-process NATS server with JetStream.
type Server struct {
	ns      *server.Server
	memory  bool
	tempDir string // removed by Shutdown; memory servers only
}

// Start starts a server and returns once it accepts connections (or fails
// after ten seconds). Stop it with Shutdown.
func Start(opts ...Option) (*Server, error) {
	var cfg config
	cfg.port = server.RANDOM_PORT
	for _, o := range opts {
		o.apply(&cfg)
	}
	s := &Server{memory: cfg.dir == ""}
	storeDir := cfg.dir
	if s.memory {
		// JetStream wants a store directory even when every stream is in
		// memory; give it a private one rather than the shared default.
		d, err := os.MkdirTemp("", "syncprim-embedded-")
		if err != nil {
			return nil, fmt.Errorf("embedded: %w", err)
		}
		s.tempDir, storeDir = d, d
	} else if err := os.MkdirAll(storeDir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	ns, err := server.NewServer(&server.Options{
		Host:      "127.0.0.1",
		Port:      cfg.port,
		JetStream: true,
		StoreDir:  storeDir,
		NoLog:     true,
		NoSigs:    true,
		// No HTTP monitoring, cluster, gateway or leaf node listeners.
	})
	if err != nil {
		s.removeTemp()
		return nil, fmt.Errorf("embedded: %w", err)
	}
	s.ns = ns
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, errors.New("embedded: server not ready after 10s")
	}
	return s, nil
}

// URL returns the server's client URL, nats://127.0.0.1:port, for
// cluster.Connect in this or another process on the same machine.
func (s *Server) URL() string { return s.ns.ClientURL() }

// Connect returns a Conn to the server that goes through memory, not TCP.
// Closing the Conn leaves the server running. The nats options are passed on
// to nats.Connect.
func (s *Server) Connect(opts ...nats.Option) (*cluster.Conn, error) {
	nc, err := nats.Connect("", append([]nats.Option{nats.InProcessServer(s.ns)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("embedded: connect: %w", err)
	}
	var copts []cluster.ConnOption
	if s.memory {
		copts = append(copts, cluster.MemoryStorage())
	}
	c, err := cluster.NewConn(nc, copts...)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// Shutdown stops the server and waits until it has stopped: its connections
// close, and a memory server's data is gone. A server started with Dir keeps
// its data on disk for the next Start on the same directory.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
	s.removeTemp()
}

func (s *Server) removeTemp() {
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
}

// Open starts a server and returns a Conn to it that owns it: closing the
// Conn stops the server too.
func Open(opts ...Option) (*cluster.Conn, error) {
	s, err := Start(opts...)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect("", nats.InProcessServer(s.ns))
	if err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("embedded: connect: %w", err)
	}
	copts := []cluster.ConnOption{cluster.OnClose(s.Shutdown)}
	if s.memory {
		copts = append(copts, cluster.MemoryStorage())
	}
	c, err := cluster.NewConn(nc, copts...)
	if err != nil {
		nc.Close()
		s.Shutdown()
		return nil, err
	}
	return c, nil
}
