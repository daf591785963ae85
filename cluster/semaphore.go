package cluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Semaphore is a handle on a semaphore of n permits shared by every process
// that opens the same name on the same NATS server or cluster. Each permit
// is a key of its own held by a lease, so the permit of a process that died
// comes back once its lease expires. A handle may hold several permits; any
// goroutine may release them. A Semaphore is safe for concurrent use and must
// not be copied after first use.
type Semaphore struct {
	b    *kvBucket
	name string
	n    int
	ttl  time.Duration
	keys []string // name.0 ... name.n-1

	mu   sync.Mutex
	held []*lease // this handle's permits, the latest last
	hint []uint64 // per permit: its key's latest revision as this handle last saw it
}

// OpenSemaphore returns a handle on the semaphore called name (letters,
// digits, '-' and '_') with n permits, whose holders keep each permit by a
// lease of ttl, a whole number of seconds, at least one. The first handle
// opened on a name fixes n: opening it later with another n is an error.
// Of the options, only Replicas applies (see OpenLock). A bad name, n or ttl
// is rejected before anything is created. OpenSemaphore blocks until the
// server answers or ctx is done; a nil ctx panics.
func OpenSemaphore(ctx context.Context, c *Conn, name string, n int, ttl time.Duration, opts ...Option) (*Semaphore, error) {
	if ctx == nil {
		panic(errNilCtx)
	}
	if c == nil {
		panic("cluster: OpenSemaphore with a nil *Conn")
	}
	if err := checkName("semaphore", name); err != nil {
		return nil, err
	}
	if n < 1 || n > 1000 {
		return nil, fmt.Errorf("cluster: semaphore %q: %d permits: must be from 1 to 1000", name, n)
	}
	if err := checkTTL("semaphore", name, ttl); err != nil {
		return nil, err
	}
	o := options{replicas: 1}
	for _, opt := range opts {
		opt.apply(&o)
	}
	b, err := openBucket(ctx, c, semBucket, o)
	if err != nil {
		return nil, err
	}
	// The size lives under the bare name, the permits under name.i.
	size := []byte(strconv.Itoa(n))
	if _, err := b.kv.Create(ctx, name, size); errors.Is(err, jetstream.ErrKeyExists) {
		e, gerr := b.kv.Get(ctx, name)
		if gerr != nil {
			return nil, c.closedErr(gerr)
		}
		if string(e.Value()) != string(size) {
			return nil, fmt.Errorf("cluster: semaphore %q has %s permits, not %d", name, e.Value(), n)
		}
	} else if err != nil {
		return nil, c.closedErr(err)
	}
	s := &Semaphore{b: b, name: name, n: n, ttl: ttl, keys: make([]string, n), hint: make([]uint64, n)}
	for i := range s.keys {
		s.keys[i] = name + "." + strconv.Itoa(i)
	}
	return s, nil
}

// Name returns the semaphore's name.
func (s *Semaphore) Name() string { return s.name }

// Size returns the number of permits.
func (s *Semaphore) Size() int { return s.n }

// Held returns the number of permits this handle holds.
func (s *Semaphore) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}

// Acquire takes a permit, blocking until one is free or the connection
// closes (ErrClosed). It cannot be cancelled; use AcquireContext for that.
func (s *Semaphore) Acquire() error { return s.AcquireContext(context.Background()) }

// TryAcquire takes a permit if one is free, without waiting for a holder,
// and reports whether it did. It asks the server about the permits one
// after another, from a random one on, each at most the Conn's request
// timeout.
func (s *Semaphore) TryAcquire() (bool, error) {
	t, ok, err := s.tryAll()
	if ok {
		s.hold(t)
	}
	return ok, err
}

// AcquireContext takes a permit, blocking until one is free, ctx is done or
// the connection closes. On success it returns nil. On failure it returns
// ctx.Err() (or ErrClosed, or the server's error) and holds no new permit;
// it fails when ctx is already done, even if a permit is free. If ctx ends
// just as a permit is taken, AcquireContext gives it back and fails. A nil
// ctx panics.
//
// Waiting costs no polling: the handle watches the permits' keys and tries
// a permit again when its holder releases it or its lease expires.
func (s *Semaphore) AcquireContext(ctx context.Context) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t, ok, err := s.tryAll()
	if err == nil && !ok {
		t, err = s.b.acquire(ctx, s.name+".*", s.keys, s.ttl)
	}
	if err != nil {
		return err
	}
	s.hold(t)
	if ctx.Err() != nil { // the context ended first: give the permit back
		_ = s.Release()
		return ctx.Err()
	}
	return nil
}

// tryAll tries every permit once, from a random one on, so that handles do
// not all fight over the first.
func (s *Semaphore) tryAll() (taken, bool, error) {
	start := rand.IntN(s.n)
	for j := range s.n {
		i := (start + j) % s.n
		s.mu.Lock()
		hint := s.hint[i]
		s.mu.Unlock()
		t, ok, err := s.b.tryTake(s.keys[i], hint, s.ttl)
		if ok || err != nil {
			return t, ok, err
		}
	}
	return taken{}, false, nil
}

func (s *Semaphore) index(key string) int {
	i, _ := strconv.Atoi(key[len(s.name)+1:])
	return i
}

func (s *Semaphore) hold(t taken) {
	le := startLease(s.b, t.key, s.ttl, t.rev, t.sent, nil)
	s.mu.Lock()
	s.held = append(s.held, le)
	// Never a revision this handle holds: a compare-and-set against it
	// would take the permit a second time.
	s.hint[s.index(t.key)] = 0
	s.mu.Unlock()
}

// Release gives back the permit this handle took last: it stops refreshing
// its lease and deletes its key, which wakes a waiting handle. Any goroutine
// may call it. Release panics with "cluster: semaphore released more than
// held" if this handle holds no permit, as the local bounded semaphore does;
// another handle's permit cannot be released from here.
//
// If the permit's lease was lost while held, Release returns ErrLeaseLost.
// The handle holds one permit less either way. Release waits for the
// server's answer, at most the Conn's request timeout.
func (s *Semaphore) Release() error {
	s.mu.Lock()
	if len(s.held) == 0 {
		s.mu.Unlock()
		panic("cluster: semaphore released more than held")
	}
	le := s.held[len(s.held)-1]
	s.held = s.held[:len(s.held)-1]
	s.mu.Unlock()
	rev, err := le.release()
	if rev != 0 {
		s.mu.Lock()
		s.hint[s.index(le.key)] = rev
		s.mu.Unlock()
	}
	return err
}

// Close releases every permit this handle holds, ignoring errors, so that
// no goroutine of the handle is left. The handle may not be used afterwards.
func (s *Semaphore) Close() {
	s.mu.Lock()
	held := s.held
	s.held = nil
	s.mu.Unlock()
	for _, le := range held {
		le.abandon()
	}
}
