package cluster

import (
	"encoding/json"
	"time"
)

// DefaultRedeliverAfter is how long an item taken by Get may go without
// TaskDone, Retry, Drop or InProgress before the server hands it to another
// Get, unless RedeliverAfter says otherwise.
const DefaultRedeliverAfter = 30 * time.Second

// Option configures Open.
type Option interface{ apply(*options) }

type options struct {
	maxsize        int
	codec          Codec
	redeliverAfter time.Duration
	redeliverSet   bool
	replicas       int
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// MaxSize bounds the queue: at most n items may be unfinished (put and not
// yet accounted for by TaskDone or Drop) at once; n <= 0 means unbounded, the
// default. Unlike the local queue, whose maxsize counts only the items
// waiting to be taken, the bound also counts items that workers hold, so it
// holds even when a worker dies and its item comes back. The bound belongs
// to the queue and is set by the Open that creates it.
func MaxSize(n int) Option { return optionFunc(func(o *options) { o.maxsize = n }) }

// UseCodec makes the queue encode and decode values with c instead of JSON.
// Every process using a queue must use the same codec.
func UseCodec(c Codec) Option {
	if c == nil {
		panic("cluster: UseCodec with a nil Codec")
	}
	return optionFunc(func(o *options) { o.codec = c })
}

// RedeliverAfter sets the redelivery deadline: an item taken by Get and not
// settled (TaskDone, Retry, Drop) within d of its delivery, or of its last
// InProgress, is delivered again to another Get. Choose d longer than a task
// takes, or call InProgress from long tasks. It applies to the whole queue,
// for every process; the latest Open that passes it sets it, and an Open
// without it keeps the deadline the queue has.
func RedeliverAfter(d time.Duration) Option {
	if d <= 0 {
		panic("cluster: RedeliverAfter with a non-positive duration")
	}
	return optionFunc(func(o *options) { o.redeliverAfter, o.redeliverSet = d, true })
}

// Replicas makes the queue keep n copies of its items on a NATS cluster of at
// least n servers (1 by default), so that it survives the loss of n-1 of
// them. It is set by the Open that creates the queue.
func Replicas(n int) Option { return optionFunc(func(o *options) { o.replicas = n }) }

// Codec turns values into message payloads and back.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSON is the default Codec: encoding/json.
type JSON struct{}

// Marshal returns json.Marshal(v).
func (JSON) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal is json.Unmarshal.
func (JSON) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
