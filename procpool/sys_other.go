//go:build !linux && !darwin

package procpool

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Worker processes need Linux or macOS: elsewhere every task fails with an
// error wrapping errors.ErrUnsupported, and Main does nothing.
const supported = false

var errUnsupported = fmt.Errorf("procpool: worker processes need Linux or macOS: %w", errors.ErrUnsupported)

func workerFiles() (in, out *os.File, err error) { return nil, nil, errUnsupported }

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func maxRSS() int64 { return 0 }

func sysProcAttr() *syscall.SysProcAttr { return nil }
