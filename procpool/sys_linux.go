package procpool

import "syscall"

// sysProcAttr puts a worker in its own process group, so that killing it
// kills what it started too and a terminal's Ctrl-C reaches only the parent,
// which decides; and has the kernel kill it when the parent dies.
//
// Pdeathsig fires when the OS thread that started the child exits, not the
// process: Go keeps threads alive unless a goroutine locked to one
// (runtime.LockOSThread) exits, and workers are started from the pool's own
// goroutines, which never lock a thread.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
