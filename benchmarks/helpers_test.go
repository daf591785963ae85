package benchmarks_test

// Every benchmark here is a pair: b.Run("ours", ...) and one or more
// b.Run("anchor=NAME", ...) doing identical work, so that cmd/benchtable can
// pair them by name. Names must not end in -digits (go test appends
// -GOMAXPROCS) and anchor names must not contain '/'.

// Sinks keep the compiler from discarding results.
var (
	sinkBool bool
	sinkInt  int
)
