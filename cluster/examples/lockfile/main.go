//go:build unix

// Command lockfile shows a cluster.Lock protecting a shared file across
// worker processes, with the lock's fencing token checked by the file
// itself. It starts an embedded NATS server, then worker processes (the
// program runs itself again) that each add to a counter in the file under
// the lock. The first worker is stopped (SIGSTOP) while it holds the lock,
// longer than the lease: another worker takes the lock, and when the
// stopped one wakes up and writes, the file refuses its stale token.
//
//	go run ./examples/lockfile
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

// The environment tells a re-executed copy that it is a worker.
const (
	envWorker = "SYNCPRIM_LOCKFILE_WORKER"
	envURL    = "SYNCPRIM_LOCKFILE_URL"
	envFile   = "SYNCPRIM_LOCKFILE_FILE"
	envRounds = "SYNCPRIM_LOCKFILE_ROUNDS"
)

// ttl is the lock's lease; the stopped worker stays stopped for pause.
const (
	ttl   = time.Second
	pause = 3 * time.Second
)

// ErrStale is the file refusing a write whose token is not above the last.
var ErrStale = errors.New("stale fencing token")

func main() {
	if os.Getenv(envWorker) != "" {
		if err := Worker(); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		return
	}
	workers := flag.Int("workers", 3, "worker processes")
	rounds := flag.Int("rounds", 5, "increments per worker")
	flag.Parse()
	if err := Run(*workers, *rounds, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lockfile:", err)
		os.Exit(1)
	}
}

// Run starts the server and the workers, stops worker 1 while it holds the
// lock, and checks the file at the end.
func Run(workers, rounds int, out io.Writer) error {
	s, err := embedded.Start()
	if err != nil {
		return err
	}
	defer s.Shutdown()
	dir, err := os.MkdirTemp("", "lockfile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "counter")
	if err := os.WriteFile(file, []byte("token=0 count=0\n"), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var mu sync.Mutex
	say := func(format string, a ...any) {
		mu.Lock()
		fmt.Fprintf(out, format+"\n", a...)
		mu.Unlock()
	}
	// The other workers start once worker 1 holds the lock and has been
	// stopped (or has exited), so that they are still at work while it is
	// paused, whatever the scheduling.
	paused := make(chan struct{})
	var pauseOnce sync.Once
	release := func() { pauseOnce.Do(func() { close(paused) }) }
	var wg sync.WaitGroup
	errs := make([]error, workers)
	refused := make([]int, workers)
	for i := range workers {
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), envWorker+"="+strconv.Itoa(i+1), envURL+"="+s.URL(),
			envFile+"="+file, envRounds+"="+strconv.Itoa(rounds))
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		wg.Go(func() {
			sc := bufio.NewScanner(stdout)
			stopped := false
			for sc.Scan() {
				line := sc.Text()
				say("worker %d: %s", i+1, line)
				if strings.Contains(line, "refused") {
					refused[i]++
				}
				if i == 0 && !stopped && strings.HasPrefix(line, "holding") {
					// The worker's process pauses (a GC, a swap storm, a VM
					// migration) while it holds the lock.
					stopped = true
					_ = cmd.Process.Signal(syscall.SIGSTOP)
					say("-- stopped worker 1 for %v, longer than its %v lease", pause, ttl)
					release()
					time.Sleep(pause)
					_ = cmd.Process.Signal(syscall.SIGCONT)
					say("-- worker 1 resumes")
				}
			}
			errs[i] = cmd.Wait()
			if i == 0 {
				release()
			}
		})
		if i == 0 {
			<-paused
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	_, count, err := readCounter(file)
	if err != nil {
		return err
	}
	stale := 0
	for _, n := range refused {
		stale += n
	}
	want := workers*rounds - stale
	say("counter is %d: %d increments, %d refused with a stale token", count, workers*rounds, stale)
	if count != want {
		return fmt.Errorf("counter is %d, want %d: an update was lost", count, want)
	}
	if stale == 0 {
		return errors.New("the stopped worker's write was not refused")
	}
	return nil
}

// Worker adds to the counter rounds times, each under the lock, passing the
// lock's fencing token to the file. Worker 1 does not look at Lost before
// writing, as a process that was paused in the middle of its work cannot.
func Worker() error {
	id, _ := strconv.Atoi(os.Getenv(envWorker))
	rounds, _ := strconv.Atoi(os.Getenv(envRounds))
	file := os.Getenv(envFile)
	conn, err := cluster.Connect(os.Getenv(envURL))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := cluster.OpenLock(ctx, conn, "counter", ttl)
	if err != nil {
		return err
	}
	defer l.Close()
	for r := range rounds {
		if err := l.LockContext(ctx); err != nil {
			return err
		}
		token := l.Token()
		fmt.Printf("holding the lock, token %d\n", token)
		time.Sleep(50 * time.Millisecond) // the work; worker 1 is stopped here once
		if id != 1 {
			select {
			case <-l.Lost():
				fmt.Println("lease lost; not writing")
				_ = l.Unlock()
				continue
			default:
			}
		}
		count, err := fencedAdd(file, token)
		switch {
		case errors.Is(err, ErrStale):
			fmt.Printf("write with token %d refused: %v\n", token, err)
		case err != nil:
			return err
		default:
			fmt.Printf("round %d: counter %d with token %d\n", r+1, count, token)
		}
		if err := l.Unlock(); errors.Is(err, cluster.ErrLeaseLost) {
			fmt.Println("unlock: the lease had been lost")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// fencedAdd adds one to the counter in file if token is above the last
// token written, checking and writing under an exclusive flock, as a
// database would check the token in the same transaction as the update.
func fencedAdd(file string, token uint64) (int, error) {
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return 0, err
	}
	last, count, err := readCounter(file)
	if err != nil {
		return 0, err
	}
	if token <= last {
		return 0, fmt.Errorf("%w: %d, the file has seen %d", ErrStale, token, last)
	}
	count++
	if err := f.Truncate(0); err != nil {
		return 0, err
	}
	if _, err := f.WriteAt(fmt.Appendf(nil, "token=%d count=%d\n", token, count), 0); err != nil {
		return 0, err
	}
	return count, f.Sync()
}

func readCounter(file string) (token uint64, count int, err error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, 0, err
	}
	_, err = fmt.Sscanf(string(b), "token=%d count=%d", &token, &count)
	return token, count, err
}
