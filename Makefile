# The two commands a newcomer needs are `make run` and `make test`.
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
BIN         := bin/dharmaplans
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test lint bench clean

## run: build and start the server on the embedded defaults (SQLite in ./data, :8080)
run: build
	./$(BIN) serve

## build: build the binary into bin/
build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dharmaplans

## test: run every test with the race detector. PostgreSQL and Redis tests need
## TEST_DATABASE_URL and TEST_REDIS_URL (they skip without them, and fail under CI=true)
test:
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
