// Package goid returns the identity of the calling goroutine.
//
// Get uses github.com/petermattis/goid, which reads the id from the runtime's
// goroutine structure in a few nanoseconds without allocating. At start-up the
// package checks that reading against the id parsed from runtime.Stack, the
// documented (if slow) source of truth; on any disagreement, and on platforms
// the fast reader does not support, Get falls back to the pure-Go parse.
//
// Goroutine ids are never reused while a program runs, so two calls return the
// same id exactly when they run on the same goroutine. Compare ids only for
// equality: their size carries no meaning.
package goid

import (
	"bytes"
	"runtime"
	"strconv"

	fast "github.com/petermattis/goid"
)

// useFast reports whether the fast reader agreed with runtime.Stack at start-up.
var useFast = verifyFast()

// Get returns the id of the calling goroutine. It never returns 0.
func Get() int64 {
	if useFast {
		return fast.Get()
	}
	return Slow()
}

// FastGet is Get split for hot paths: when Get uses the fast runtime
// reader, FastGet returns the id and true, and it is small enough for the
// compiler to inline, which saves a function call per use.
// Otherwise it returns 0 and false, and the caller must call Get.
func FastGet() (id int64, ok bool) {
	if !useFast {
		return 0, false
	}
	return fast.Get(), true
}

// Slow returns the id of the calling goroutine parsed from the header line of
// runtime.Stack ("goroutine 18 [running]:"). It costs about a microsecond.
func Slow() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	return parse(buf[:n])
}

// parse extracts the id from a stack header; it returns 0 when b is not one.
func parse(b []byte) int64 {
	b, ok := bytes.CutPrefix(b, []byte("goroutine "))
	if !ok {
		return 0
	}
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		b = b[:i]
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// verifyFast compares the fast reader with the parsed id on this goroutine
// and on a fresh one, so that a reader that returns a constant is caught too.
func verifyFast() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	agree := func() bool {
		s := Slow()
		return s != 0 && fast.Get() == s
	}
	if !agree() {
		return false
	}
	outer := Slow()
	done := make(chan bool)
	go func() { done <- agree() && Slow() != outer }()
	return <-done
}
