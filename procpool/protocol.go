package procpool

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// The protocol between a pool and its worker processes. The parent writes
// requests on the child's file descriptor 3 and reads replies from its file
// descriptor 4, so a task that prints to standard output cannot corrupt it.
// The child first writes the fixed handshake, then one gob stream of replies;
// the parent writes one gob stream of requests. One task runs in a child at a
// time: the parent sends the next request only after the reply to the last.
//
// Arguments and results travel as payloads inside those messages, each in a
// gob stream of its own per task name and child (codec), so that gob sends a
// type's description once per child, and so that a value gob refuses to
// encode fails its own task without desynchronizing any stream: a failed
// Encode leaves only complete type descriptions in the stream's buffer, which
// go out in front of the next payload.

// handshake is the first thing a worker writes on its reply descriptor.
const handshake = "syncprim/procpool 1\n"

// workerEnv is the variable that makes Main serve as a worker.
const workerEnv = "SYNCPRIM_PROCPOOL_WORKER"

// request is a message from the parent to a child.
type request struct {
	ID      uint64
	Cancel  bool   // cancel task ID (sent after its run request)
	Task    string // the task's registered name
	Payload []byte // the argument, in the task's argument stream
	Mem     bool   // report the peak resident set size in the reply
}

// replyKind says what a reply carries.
type replyKind uint8

const (
	replyOK       replyKind = iota // Payload: the result
	replyError                     // Payload: an errBox holding the task's error, with its type
	replyText                      // Msg, Type, Sentinels; Payload: an errBox holding a cause, if HasCause
	replyPanic                     // Msg, Type, Stack
	replyUnknown                   // the task name is not registered in the worker
	replyBadValue                  // Msg: the worker could not decode the argument or encode the result
)

// reply is a message from a child to the parent.
type reply struct {
	ID        uint64
	Kind      replyKind
	Payload   []byte
	Msg       string
	Type      string
	Stack     []byte
	Sentinels []int // indexes in sentinels of the errors the task's error matched with errors.Is
	HasCause  bool
	MaxRSS    int64 // peak resident set size in bytes, when asked for
}

// errBox carries an error whose concrete type was registered with
// gob.Register: it arrives as that type.
type errBox struct{ Err error }

// encStream is one direction of a gob stream whose messages are cut into
// payloads.
type encStream struct {
	buf bytes.Buffer
	enc *gob.Encoder
}

// encode encodes v and returns the payload, valid until the next call. On
// error the buffer keeps only whole type descriptions, which belong in front
// of the next payload.
func (s *encStream) encode(v any) (payload []byte, err error) {
	if s.enc == nil {
		s.enc = gob.NewEncoder(&s.buf)
	}
	defer func() {
		if r := recover(); r != nil { // gob panics on a nil pointer
			err = fmt.Errorf("%v", r)
		}
	}()
	if err := s.enc.Encode(v); err != nil {
		return nil, err
	}
	payload = s.buf.Bytes()
	s.buf.Reset() // the bytes stay valid until the next write
	return payload, nil
}

// decStream is the receiving end of an encStream.
type decStream struct {
	buf bytes.Buffer
	dec *gob.Decoder
}

// decode decodes one value into ptr from payload.
func (s *decStream) decode(payload []byte, ptr any) error {
	if s.dec == nil {
		s.dec = gob.NewDecoder(&s.buf)
	}
	s.buf.Write(payload)
	err := s.dec.Decode(ptr)
	if err == nil && s.buf.Len() != 0 {
		err = fmt.Errorf("%d bytes left over after the value", s.buf.Len())
	}
	return err
}
