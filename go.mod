module github.com/syncprim/syncprim

go 1.25

require (
	github.com/anishathalye/porcupine v1.3.1
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
