//go:build !linux

package main

import (
	"fmt"
	"io"
	"runtime"
)

// Run only explains itself: the example needs Linux process groups and kill(2).
func Run(w io.Writer, cfg Config) error {
	fmt.Fprintf(w, "signals: this example needs Linux process groups; skipping on %s\n", runtime.GOOS)
	return nil
}

// ChildMain is never used off Linux.
func ChildMain(w io.Writer, i int) int { return 0 }
