package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Buckets of the key-value store, one per kind of primitive. A lock is one
// key, a semaphore one key per permit plus one holding its size, an event
// one key.
const (
	lockBucket  = "syncprim_locks"
	semBucket   = "syncprim_semaphores"
	eventBucket = "syncprim_events"

	// markerTTL is how long the server keeps the marker it writes when a
	// lease expires, so that watchers see it.
	markerTTL = time.Minute

	kvOpHeader = "KV-Operation" // nats.go's key-value delete and purge markers
	kvOpDel    = "DEL"
)

// ErrLeaseLost is returned by Unlock and Release when the lease of the lock
// or permit lapsed, or was taken over, before it was given back: for some
// time the holder held nothing, and another process may have held it.
var ErrLeaseLost = errors.New("cluster: lease lost")

// kvBucket is a key-value bucket and the stream behind it.
type kvBucket struct {
	c    *Conn
	kv   jetstream.KeyValue
	st   jetstream.Stream
	pre  string // subject prefix of its keys: $KV.<bucket>.
	name string
}

// openBucket opens the bucket, creating it if no process has yet.
func openBucket(ctx context.Context, c *Conn, name string, o options) (*kvBucket, error) {
	cfg := jetstream.KeyValueConfig{
		Bucket:         name,
		Storage:        c.storage,
		Replicas:       o.replicas,
		LimitMarkerTTL: markerTTL,
	}
	kv, err := c.js.KeyValue(ctx, name)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = c.js.CreateKeyValue(ctx, cfg)
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = c.js.KeyValue(ctx, name) // another process won the race
		}
	}
	if err != nil {
		return nil, c.closedErr(err)
	}
	st, err := c.js.Stream(ctx, "KV_"+name)
	if err != nil {
		return nil, c.closedErr(err)
	}
	return &kvBucket{c: c, kv: kv, st: st, pre: "$KV." + name + ".", name: name}, nil
}

// checkTTL rejects a lease TTL the server cannot keep: it counts whole
// seconds, from one.
func checkTTL(kind, name string, ttl time.Duration) error {
	if ttl < time.Second || ttl%time.Second != 0 {
		return fmt.Errorf("cluster: %s %q: lease TTL %v: must be a whole number of seconds, at least 1s", kind, name, ttl)
	}
	return nil
}

func checkName(kind, name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("cluster: invalid %s name %q: use 1 to 200 letters, digits, '-' and '_'", kind, name)
	}
	return nil
}

// isWrongLastSeq reports whether err is the server refusing a
// compare-and-set: the key's latest revision is not the one expected.
func isWrongLastSeq(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) &&
		(apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// write stores value under key if the key's latest revision is expect (0:
// the key was never written), with a TTL if ttl > 0, and returns the new
// revision. ok is false when the revision did not match.
func (b *kvBucket) write(ctx context.Context, key string, value []byte, expect uint64, ttl time.Duration) (rev uint64, ok bool, err error) {
	opts := []jetstream.PublishOpt{jetstream.WithExpectLastSequencePerSubject(expect)}
	if ttl > 0 {
		opts = append(opts, jetstream.WithMsgTTL(ttl))
	}
	ack, err := b.c.js.PublishMsg(ctx, &nats.Msg{Subject: b.pre + key, Data: value}, opts...)
	if isWrongLastSeq(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, b.c.closedErr(err)
	}
	return ack.Sequence, true, nil
}

// remove writes a delete marker on key if its latest revision is expect,
// and returns the marker's revision. ok is false when the revision did not
// match.
func (b *kvBucket) remove(ctx context.Context, key string, expect uint64) (rev uint64, ok bool, err error) {
	m := &nats.Msg{Subject: b.pre + key, Header: nats.Header{kvOpHeader: []string{kvOpDel}}}
	ack, err := b.c.js.PublishMsg(ctx, m, jetstream.WithExpectLastSequencePerSubject(expect))
	if isWrongLastSeq(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, b.c.closedErr(err)
	}
	return ack.Sequence, true, nil
}

// latest returns the key's latest revision and whether the key is free:
// never written, deleted, or expired (the server's marker).
func (b *kvBucket) latest(ctx context.Context, key string) (rev uint64, free bool, err error) {
	m, err := b.st.GetLastMsgForSubject(ctx, b.pre+key)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, b.c.closedErr(err)
	}
	return m.Sequence, isMarker(m.Header), nil
}

// isMarker reports whether a message with these headers marks its key as
// deleted, purged or expired.
func isMarker(h nats.Header) bool {
	return h.Get(kvOpHeader) != "" || h.Get(jetstream.MarkerReasonHeader) != ""
}

// take tries once to make key a lease of this process: a compare-and-set
// against hint, the revision the caller believes is the latest, and if that
// fails, one look at the key and a second compare-and-set if it is free. It
// returns the revision of the acquiring write, or ok false if the key is
// held.
func (b *kvBucket) take(ctx context.Context, key string, hint uint64, ttl time.Duration) (rev uint64, ok bool, err error) {
	if rev, ok, err = b.write(ctx, key, nil, hint, ttl); ok || err != nil {
		return rev, ok, err
	}
	latest, free, err := b.latest(ctx, key)
	if err != nil || !free {
		return 0, false, err
	}
	return b.write(ctx, key, nil, latest, ttl)
}
