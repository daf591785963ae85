//go:build linux

package procpool_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
)

// orphanParentEnv makes TestOrphanParent act as a parent that dies.
const orphanParentEnv = "SYNCPRIM_TEST_ORPHAN_PARENT"

// TestOrphanParent is a helper, not a test of its own: run as a separate
// process by TestWorkersDieWithTheParent, it starts a worker, prints the
// worker's pid and waits to be killed. Run normally, it returns at once.
func TestOrphanParent(t *testing.T) {
	if os.Getenv(orphanParentEnv) == "" {
		return
	}
	p := newPool(t, 1)
	pid := pidOf(t, p)
	fmt.Printf("worker-pid %d\n", pid)
	time.Sleep(time.Minute) // killed long before
	finish(t, p)
}

// TestWorkersDieWithTheParent kills a process that has a worker running,
// with SIGKILL (no Close, no deferred clean-up), and checks that the worker
// dies too instead of living on as an orphan. Two mechanisms see to it on
// Linux: the kernel's parent-death signal, and the worker's own exit when
// its request pipe reaches end-of-file; the test fails only if both fail.
func TestWorkersDieWithTheParent(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestOrphanParent$", "-test.count=1")
	cmd.Env = append(os.Environ(), orphanParentEnv+"=1")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	pids := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var pid int
			if _, err := fmt.Sscanf(strings.TrimSpace(sc.Text()), "worker-pid %d", &pid); err == nil {
				pids <- pid
			}
		}
	}()
	worker := testutil.Recv(t, pids, "the orphan parent's worker pid")
	require.True(t, alive(worker), "the worker runs while its parent does")
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	testutil.WaitUntil(t, "the worker dies with its parent", func() bool { return !alive(worker) })
}

// alive reports whether pid is a running process: not gone, and not a
// zombie waiting for a reaper (in a container, nobody may reap orphans).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name: "pid (comm) S ...".
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}
