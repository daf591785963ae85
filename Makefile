# syncprim — make demo runs the tour, make test runs everything CI runs.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 10s

.PHONY: demo test vet race bench-check bench lint fuzz cover tidy

demo:
	$(GO) run ./examples/tour

test: vet race bench-check

vet:
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

# The comparison module must keep building and its table tool's tests must
# pass; the benchmarks themselves run only with make bench (no -bench here).
bench-check:
	cd benchmarks && $(GO) vet ./... && $(GO) test -count=1 ./...

bench:
	cd benchmarks && $(GO) run ./cmd/benchtable $(BENCHFLAGS)

lint: vet
	$(GO) run $(STATICCHECK) ./...
	cd benchmarks && $(GO) run $(STATICCHECK) ./...

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
