# The two commands a newcomer needs are `make run` and `make test`.
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
BIN         := bin/dharmaplans
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
MAILPIT_PKG := github.com/axllent/mailpit@v1.33.1
# Where go install puts binaries: GOBIN, else the first GOPATH entry's bin.
# Recursive (=) so that only the targets using it run go env.
GOBIN_DIR    = $(or $(shell $(GO) env GOBIN),$(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin)

.PHONY: run build tools test lint bench clean

## run: build and start the server on the embedded defaults (SQLite in ./data, :8080)
run: build
	./$(BIN) serve --demo=true

## build: build the binary into bin/
build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dharmaplans

## tools: install Mailpit, the SMTP server of the mail tests, into $(go env GOPATH)/bin
## unless it is already there, on PATH or named by $MAILPIT
tools:
	@if [ -n "$$MAILPIT" ] || command -v mailpit >/dev/null 2>&1 || [ -x "$(GOBIN_DIR)/mailpit" ]; then :; else \
		echo "installing $(MAILPIT_PKG) into $(GOBIN_DIR)"; \
		$(GO) install $(MAILPIT_PKG); \
	fi

## test: run every test with the race detector. PostgreSQL and Redis tests need
## TEST_DATABASE_URL and TEST_REDIS_URL (they skip without them, and fail under CI=true);
## mail tests start Mailpit, which tools installs
test: tools
	$(GO) test -race -count=1 -timeout 20m ./...

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: run the Go benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
