package procpool

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// tail is a worker's standard error: it keeps the last lines in a bounded
// ring (and the last line that says why a Go program died) and copies
// everything to an optional writer.
type tail struct {
	mu       sync.Mutex
	copyTo   io.Writer
	lines    []string // ring of at most cap(lines) lines
	next     int      // where the next line goes once the ring is full
	partial  []byte   // an unfinished last line, bounded
	headline string
}

// maxLine bounds one kept line; longer lines are cut.
const maxLine = 512

func newTail(n int, copyTo io.Writer) *tail {
	return &tail{copyTo: copyTo, lines: make([]string, 0, n)}
}

// Write keeps the lines of p. It never fails: a worker's stderr must not
// block on a failing copy.
func (t *tail) Write(p []byte) (int, error) {
	n := len(p)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.copyTo != nil {
		_, _ = t.copyTo.Write(p)
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.partial = appendBounded(t.partial, p)
			break
		}
		t.partial = appendBounded(t.partial, p[:i])
		t.addLocked(string(t.partial))
		t.partial = t.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

func appendBounded(b, p []byte) []byte {
	if room := maxLine - len(b); len(p) > room {
		p = p[:max(room, 0)]
	}
	return append(b, p...)
}

func (t *tail) addLocked(l string) {
	for _, h := range []string{"fatal error:", "panic:", "runtime:"} {
		if strings.HasPrefix(l, h) {
			t.headline = l
		}
	}
	if cap(t.lines) == 0 {
		return
	}
	if len(t.lines) < cap(t.lines) {
		t.lines = append(t.lines, l)
		return
	}
	t.lines[t.next] = l
	t.next = (t.next + 1) % len(t.lines)
}

// snapshot returns the kept lines, oldest first, and the headline.
func (t *tail) snapshot() ([]string, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.lines)+1)
	out = append(out, t.lines[t.next:]...)
	out = append(out, t.lines[:t.next]...)
	if len(t.partial) > 0 {
		out = append(out, string(t.partial))
	}
	return out, t.headline
}
