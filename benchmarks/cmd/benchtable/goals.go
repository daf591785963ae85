package main

// Limit caps one of our values, such as allocs/op or a custom metric.
type Limit struct {
	Unit string
	Max  float64
}

// Goal is what a paired benchmark must show: ours/anchor ≤ MaxRatio and
// each of our Limits. Anchor names the anchor the ratio is taken against:
// "*" means the fastest anchor of the pair, "" means the goal has no ratio
// (only Limits).
type Goal struct {
	Key      string
	Anchor   string
	MaxRatio float64
	Limits   []Limit
}

var zeroAllocs = Limit{Unit: "allocs/op", Max: 0}

// goals are the targets syncprim sets itself (threading primitives, queue,
// pool), keyed by benchmark name without the "Benchmark" prefix and the
// side.
var goals = []Goal{
	{Key: "Lock/Uncontended", Anchor: "sync.Mutex", MaxRatio: 1.1, Limits: []Limit{zeroAllocs}},
	{Key: "Lock/Parallel", Anchor: "sync.Mutex", MaxRatio: 1.1, Limits: []Limit{zeroAllocs}},
	{Key: "Lock/LockContext", Anchor: "sync.Mutex", MaxRatio: 1.5, Limits: []Limit{zeroAllocs}},
	{Key: "RLock/Uncontended", Anchor: "sync.Mutex", MaxRatio: 2.0, Limits: []Limit{zeroAllocs}},
	{Key: "RLock/Recursion", Limits: []Limit{{Unit: "ns/level", Max: 5}, zeroAllocs}},
	{Key: "Semaphore/Uncontended", Anchor: "xsync.Weighted", MaxRatio: 0.6, Limits: []Limit{zeroAllocs}},
	{Key: "Semaphore/Parallel", Anchor: "xsync.Weighted", MaxRatio: 1.0},
	{Key: "Condition/PingPong", Anchor: "sync.Cond", MaxRatio: 1.0},
	{Key: "Event/IsSet", Anchor: "atomic.Bool", MaxRatio: 1.5, Limits: []Limit{zeroAllocs}},
	{Key: "Event/WaitSet", Limits: []Limit{zeroAllocs}},
	{Key: "Queue/1P1C", Anchor: "chan", MaxRatio: 1.0, Limits: []Limit{zeroAllocs}},
	{Key: "Queue/4P4C", Anchor: "chan", MaxRatio: 1.5},
	{Key: "Queue/PutGetTaskDone", Anchor: "chan+WaitGroup", MaxRatio: 1.0, Limits: []Limit{zeroAllocs}},
	{Key: "Pool/Go10k", Anchor: "*", MaxRatio: 1.0},
	{Key: "Pool/Submit10k", Anchor: "pond", MaxRatio: 0.5, Limits: []Limit{{Unit: "allocs/task", Max: 1}}},
	{Key: "Pool/Map10k", Anchor: "errgroup", MaxRatio: 0.8},
	{Key: "Procpool/RoundTrip", Anchor: "python", MaxRatio: 0.3},
	// What one contention allocates at GOMAXPROCS=64, harness included
	// (the anchor's figure is the harness alone): a few hundred bytes at
	// most, and nothing that grows with GOMAXPROCS or GC cycles.
	{Key: "ContendedMemory/Lock/procs=64", Anchor: "sync.Mutex", Limits: []Limit{contentionBytes}},
	{Key: "ContendedMemory/Semaphore/procs=64", Anchor: "sync.Mutex", Limits: []Limit{contentionBytes}},
	{Key: "ContendedMemory/Queue/procs=64", Anchor: "sync.Mutex", Limits: []Limit{contentionBytes}},
	{Key: "ContendedMemory/Condition/procs=64", Anchor: "sync.Cond", Limits: []Limit{contentionBytes}},
	{Key: "ContendedMemory/ConditionContext/procs=64", Anchor: "sync.Cond", Limits: []Limit{contentionBytes}},
}

var contentionBytes = Limit{Unit: "B/contention", Max: 400}
