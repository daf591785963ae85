module github.com/syncprim/syncprim/benchmarks

go 1.26

replace github.com/syncprim/syncprim => ../
