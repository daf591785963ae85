// Command cluster runs the joinable queue across processes: it starts an
// embedded NATS server (or uses the one at -url), three worker processes (the
// program runs itself again), puts jobs on a queue, kills one worker in the
// middle of a job, and shows that the job was done again by another worker
// and that Join returned with every job done exactly once.
//
//	go run ./examples/cluster                          # embedded server
//	go run ./examples/cluster -url nats://host:4222    # a NATS cluster
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

// The environment tells a re-executed copy that it is a worker.
const (
	envWorker = "SYNCPRIM_CLUSTER_WORKER" // worker number
	envURL    = "SYNCPRIM_CLUSTER_URL"
	envQueue  = "SYNCPRIM_CLUSTER_QUEUE"
	envWork   = "SYNCPRIM_CLUSTER_WORK"
)

// Job is one task; Result is what workers report on the results queue.
type Job struct {
	ID int `json:"id"`
}

type Result struct {
	Job     int    `json:"job"`
	Worker  int    `json:"worker"`
	PID     int    `json:"pid"`
	Attempt int    `json:"attempt"`
	Event   string `json:"event"` // "start" or "done"
	Out     int    `json:"out"`
}

// Config is what one run does.
type Config struct {
	URL            string        // "" starts an embedded server
	Jobs           int           // jobs to put
	Workers        int           // worker processes
	Work           time.Duration // how long each job takes
	RedeliverAfter time.Duration // redelivery deadline
}

func main() {
	if os.Getenv(envWorker) != "" {
		if err := Worker(); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		return
	}
	var cfg Config
	flag.StringVar(&cfg.URL, "url", "", "NATS URL (default: start an embedded server)")
	flag.IntVar(&cfg.Jobs, "jobs", 12, "number of jobs")
	flag.IntVar(&cfg.Workers, "workers", 3, "number of worker processes")
	flag.DurationVar(&cfg.Work, "work", 300*time.Millisecond, "time each job takes")
	flag.DurationVar(&cfg.RedeliverAfter, "redeliver", 2*time.Second, "redelivery deadline")
	flag.Parse()
	if err := Run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

// Run is the producer: it starts the workers, puts the jobs, kills worker 1
// in the middle of its first job, waits with Join and checks the results.
func Run(cfg Config, w io.Writer) error {
	out := &lockedWriter{w: w} // written by workers' output, the collector and Run
	ctx := context.Background()
	url := cfg.URL
	if url == "" {
		srv, err := embedded.Start()
		if err != nil {
			return err
		}
		defer srv.Shutdown()
		url = srv.URL()
		fmt.Fprintf(out, "embedded NATS server at %s\n", url)
	}
	conn, err := cluster.Connect(url)
	if err != nil {
		return err
	}
	defer conn.Close()
	name := fmt.Sprintf("jobs-%d", os.Getpid())
	jobs, err := cluster.Open[Job](ctx, conn, name, cluster.RedeliverAfter(cfg.RedeliverAfter))
	if err != nil {
		return err
	}
	defer func() { _ = jobs.Delete(context.Background()) }()
	results, err := cluster.Open[Result](ctx, conn, name+"-results")
	if err != nil {
		return err
	}
	defer func() { _ = results.Delete(context.Background()) }()

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	procs := make([]*exec.Cmd, cfg.Workers)
	for i := range procs {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(),
			envWorker+"="+strconv.Itoa(i+1), envURL+"="+url, envQueue+"="+name,
			envWork+"="+cfg.Work.String())
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		if err := cmd.Start(); err != nil {
			return err
		}
		procs[i] = cmd
	}
	waited := make([]error, len(procs))
	defer func() {
		for i, p := range procs {
			if p.ProcessState == nil {
				_ = p.Process.Kill()
				waited[i] = p.Wait()
			}
		}
	}()
	fmt.Fprintf(out, "started %d worker processes\n", len(procs))

	// Collect results; kill worker 1 as soon as it starts a job.
	var (
		mu     sync.Mutex
		done   = map[int][]Result{}
		killed = -1
	)
	collected := make(chan error, 1)
	go func() {
		for d, err := range results.All() {
			if err != nil {
				collected <- err
				return
			}
			r := d.Value
			mu.Lock()
			switch {
			case r.Event == "start" && r.Worker == 1 && killed < 0:
				killed = r.Job
				_ = procs[0].Process.Kill()
				fmt.Fprintf(out, "killed worker 1 (pid %d) in the middle of job %d\n", r.PID, r.Job)
			case r.Event == "done":
				done[r.Job] = append(done[r.Job], r)
			}
			mu.Unlock()
			_ = d.TaskDone()
		}
		collected <- nil
	}()

	start := time.Now()
	for i := range cfg.Jobs {
		if err := jobs.Put(Job{ID: i}); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "put %d jobs; waiting with Join\n", cfg.Jobs)
	if err := jobs.Join(); err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "Join returned after %v\n", elapsed.Round(time.Millisecond))

	// No more jobs: the workers' loops end, then no more results.
	if err := jobs.Shutdown(false); err != nil {
		return err
	}
	for i, p := range procs {
		waited[i] = p.Wait()
	}
	if err := results.Join(); err != nil {
		return err
	}
	if err := results.Shutdown(false); err != nil {
		return err
	}
	if err := <-collected; err != nil {
		return err
	}

	mu.Lock()
	defer mu.Unlock()
	ids := make([]int, 0, len(done))
	for id := range done {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var problems []error
	for _, id := range ids {
		rs := done[id]
		r := rs[len(rs)-1]
		note := ""
		if id == killed {
			note = "  <- redone after worker 1 died"
		}
		fmt.Fprintf(out, "job %2d: done by worker %d on attempt %d, result %d%s\n", id, r.Worker, r.Attempt, r.Out, note)
		if len(rs) != 1 {
			problems = append(problems, fmt.Errorf("job %d done %d times", id, len(rs)))
		}
	}
	if len(done) != cfg.Jobs {
		problems = append(problems, fmt.Errorf("%d of %d jobs done", len(done), cfg.Jobs))
	}
	switch {
	case killed < 0:
		problems = append(problems, errors.New("worker 1 never started a job"))
	case len(done[killed]) == 1 && done[killed][0].Worker == 1:
		problems = append(problems, fmt.Errorf("job %d was finished by the killed worker", killed))
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	fmt.Fprintf(out, "every job done exactly once (%d jobs, %.0f jobs/s with one worker lost)\n",
		cfg.Jobs, float64(cfg.Jobs)/elapsed.Seconds())
	return nil
}

// Worker is a worker process: it takes jobs until the queue is shut down,
// reporting "start" and "done" on the results queue.
func Worker() error {
	id, _ := strconv.Atoi(os.Getenv(envWorker))
	work, err := time.ParseDuration(os.Getenv(envWork))
	if err != nil {
		return err
	}
	conn, err := cluster.Connect(os.Getenv(envURL))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx := context.Background()
	name := os.Getenv(envQueue)
	jobs, err := cluster.Open[Job](ctx, conn, name)
	if err != nil {
		return err
	}
	defer jobs.Close()
	results, err := cluster.Open[Result](ctx, conn, name+"-results")
	if err != nil {
		return err
	}
	defer results.Close()
	for d, err := range jobs.All() {
		if err != nil {
			return err
		}
		r := Result{Job: d.Value.ID, Worker: id, PID: os.Getpid(), Attempt: d.Attempt()}
		r.Event = "start"
		if err := results.Put(r); err != nil {
			return err
		}
		time.Sleep(work) // the job's work
		r.Event, r.Out = "done", d.Value.ID*d.Value.ID
		// Idempotent by job id: if this process dies between the two
		// calls, the job runs again and the producer keeps one result.
		if err := results.Put(r); err != nil {
			return err
		}
		if err := d.TaskDone(); err != nil {
			return err
		}
	}
	return nil
}

// lockedWriter serializes writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
