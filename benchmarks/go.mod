module github.com/syncprim/syncprim/benchmarks

go 1.26.0

replace github.com/syncprim/syncprim => ../

require github.com/syncprim/syncprim v0.0.0-00010101000000-000000000000
