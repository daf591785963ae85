package procpool

import "syscall"

// sysProcAttr puts a worker in its own process group, so that killing it
// kills what it started too. macOS has no parent-death signal: a worker
// whose parent dies sees the end of its request descriptor (read by a
// goroutine of its own even while a task runs) and exits.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
