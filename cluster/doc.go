// Package cluster is syncprim's joinable queue across processes and
// machines, on NATS JetStream.
package cluster
