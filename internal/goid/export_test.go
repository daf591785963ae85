package goid

// Parse exposes parse to the tests.
var Parse = parse
