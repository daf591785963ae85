module github.com/syncprim/syncprim/benchmarks

go 1.26.0

replace github.com/syncprim/syncprim => ../

require github.com/syncprim/syncprim v0.0.0-00010101000000-000000000000

require github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261 // indirect
