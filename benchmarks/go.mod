module github.com/syncprim/syncprim/benchmarks

go 1.26.0

replace github.com/syncprim/syncprim => ../

require (
	github.com/alitto/pond/v2 v2.7.1 // indirect
	github.com/panjf2000/ants/v2 v2.12.1 // indirect
	github.com/sourcegraph/conc v0.3.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
