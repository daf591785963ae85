//go:build linux || darwin

package procpool

import (
	"os"
	"runtime"
	"syscall"
)

const supported = true

// workerFiles returns a worker's request and reply descriptors, marked
// close-on-exec so that programs a task starts do not inherit them (an
// inherited reply descriptor would hide the worker's death from the pool),
// and non-blocking so that reading them parks a goroutine in the runtime's
// poller instead of holding a thread in a system call, which would delay
// the task goroutine the read just started.
func workerFiles() (in, out *os.File, err error) {
	for _, fd := range []int{3, 4} {
		syscall.CloseOnExec(fd)
		if err := syscall.SetNonblock(fd, true); err != nil {
			return nil, nil, err
		}
	}
	return os.NewFile(3, "procpool-requests"), os.NewFile(4, "procpool-replies"), nil
}

// killGroup kills the worker and everything it started: it leads its own
// process group (Setpgid).
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// maxRSS returns the process's peak resident set size in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) // bytes on macOS
	}
	return int64(ru.Maxrss) * 1024 // kilobytes on Linux
}
