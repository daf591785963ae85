// Package benchmarks compares syncprim with the standard library and the
// popular pool libraries on identical work. It is a separate module so that
// users of syncprim never download the comparison dependencies.
package benchmarks
