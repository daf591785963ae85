package barrier_test

import "runtime"

var runtimeGoexit = runtime.Goexit
