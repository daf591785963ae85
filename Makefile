# syncprim — make demo runs the tour, make test runs everything CI runs.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 10s

.PHONY: demo test vet race bench-check bench lint fuzz cover tidy cluster-test bench-cluster cluster-demo

demo:
	$(GO) run ./examples/tour

test: vet race bench-check cluster-test

vet:
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

# The comparison module must keep building and its table tool's tests must
# pass; the benchmarks themselves run only with make bench (no -bench here).
bench-check:
	cd benchmarks && $(GO) vet ./... && $(GO) test -count=1 ./...

bench: bench-cluster
	cd benchmarks && $(GO) run ./cmd/benchtable $(BENCHFLAGS)

# cluster/ is a module of its own (NATS JetStream); its tests start embedded
# servers on loopback only.
cluster-test:
	cd cluster && $(GO) vet ./... && $(GO) test -race -count=1 ./...

bench-cluster:
	cd cluster && $(GO) test -run '^$$' -bench . -benchmem -count 1 .

# The multi-process example: embedded server, producer, three workers.
cluster-demo:
	cd cluster && $(GO) run ./examples/cluster

lint: vet
	$(GO) run $(STATICCHECK) ./...
	cd benchmarks && $(GO) run $(STATICCHECK) ./...
	cd cluster && $(GO) run $(STATICCHECK) ./...

# Runs every fuzz target for FUZZTIME each.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

cover:
	$(GO) test -count=1 -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1

tidy:
	$(GO) mod tidy
	cd benchmarks && $(GO) mod tidy
	cd cluster && $(GO) mod tidy
