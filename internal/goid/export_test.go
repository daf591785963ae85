package goid

// Parse exposes parse to the tests.
var Parse = parse

// Fast reports whether Get uses the fast runtime reader.
func Fast() bool { return useFast }
