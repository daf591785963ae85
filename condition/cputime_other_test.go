//go:build !(linux || darwin || freebsd)

package condition_test

import "time"

// cpuTime is not available here; the benchmarks report wall time only.
func cpuTime() (time.Duration, bool) { return 0, false }
