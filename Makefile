# The two commands a newcomer needs are `make run` and `make test`.
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
BIN         := bin/dharmaplans
BENCH_BIN   := bin/dharmaplans-bench
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
MAILPIT_PKG := github.com/axllent/mailpit@v1.33.1
# SeaweedFS, the S3-protocol server of the media tests, at the commit they are written
# against; the tests look for it as weed-<commit> (internal/testenv/seaweedfs.go).
SEAWEEDFS_VERSION := v0.0.0-20261109003541-7506e5f91cd6
SEAWEEDFS_BIN      = weed-$(lastword $(subst -, ,$(SEAWEEDFS_VERSION)))
# Where go install puts binaries: GOBIN, else the first GOPATH entry's bin.
# Recursive (=) so that only the targets using it run go env.
GOBIN_DIR    = $(or $(shell $(GO) env GOBIN),$(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin)

# The web app (web/) is built with npm when it is on PATH; without it, the
# binary embeds a page saying how to build the app.
NPM         := $(shell command -v npm 2>/dev/null)

.PHONY: run build web web-deps api-client tools test lint bench bench-media bench-web bench-1m clean

## run: build and start the server on the embedded defaults (SQLite in ./data, :8080)
run: build
	./$(BIN) serve --demo=true

## build: build the binary into bin/, with the web app built into it when npm is on PATH
build: $(if $(NPM),web)
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dharmaplans

## web: build the web app into web/dist, which the binary embeds (docs/web.md)
web: web-deps
	cd web && npm run build

# web-deps: install web/node_modules exactly as package-lock.json says, when
# it is missing or older than the lock file
web-deps: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

## api-client: write the API's OpenAPI document to web/src/api/openapi.json and generate
## the web app's types from it (web/src/api/schema.d.ts); tests fail until this is run
## after a change to the API
api-client: web-deps
	$(GO) run ./cmd/dharmaplans openapi --version dev > web/src/api/openapi.json.tmp || { rm -f web/src/api/openapi.json.tmp; exit 1; }
	mv web/src/api/openapi.json.tmp web/src/api/openapi.json
	cd web && npm run api-client

## tools: install Mailpit, the SMTP server of the mail tests, and build SeaweedFS, the
## S3-protocol server of the media tests, into $(go env GOPATH)/bin, each unless it is
## already there, on PATH or named by $MAILPIT or $WEED. SeaweedFS takes about 7 minutes
## and 250 MB; go install cannot build it (its go.mod has replace directives), so it is
## built in a writable copy of its module
tools:
	@if [ -n "$$MAILPIT" ] || command -v mailpit >/dev/null 2>&1 || [ -x "$(GOBIN_DIR)/mailpit" ]; then :; else \
		echo "installing $(MAILPIT_PKG) into $(GOBIN_DIR)"; \
		$(GO) install $(MAILPIT_PKG); \
	fi
	@if [ -n "$$WEED" ] || command -v weed >/dev/null 2>&1 || [ -x "$(GOBIN_DIR)/$(SEAWEEDFS_BIN)" ]; then :; else \
		set -e; \
		tmp=$$(mktemp -d); trap 'chmod -R u+w "$$tmp"; rm -rf "$$tmp"' EXIT; \
		echo "downloading github.com/seaweedfs/seaweedfs@$(SEAWEEDFS_VERSION)"; \
		(cd "$$tmp" && $(GO) mod download github.com/seaweedfs/seaweedfs@$(SEAWEEDFS_VERSION)); \
		cp -R "$$($(GO) env GOMODCACHE)/github.com/seaweedfs/seaweedfs@$(SEAWEEDFS_VERSION)" "$$tmp/seaweedfs"; \
		chmod -R u+w "$$tmp/seaweedfs"; \
		mkdir -p "$(GOBIN_DIR)"; \
		echo "building SeaweedFS into $(GOBIN_DIR)/$(SEAWEEDFS_BIN) (about 7 minutes)"; \
		(cd "$$tmp/seaweedfs" && $(GO) build -o "$(GOBIN_DIR)/$(SEAWEEDFS_BIN)" ./weed); \
	fi

## test: build the web app (type checks and its size budget; needs npm) and the binary,
## run every Go test with the race detector, then the web app's unit tests (npm test)
## and its browser tests (npm run test:e2e: the binary and Debian's Chromium). PostgreSQL
## and Redis tests need TEST_DATABASE_URL and TEST_REDIS_URL, browser tests Chromium
## (they skip without them, and fail under CI=true); mail tests start Mailpit and media
## tests SeaweedFS, which tools installs
test: tools build
	$(GO) test -race -count=1 -timeout 20m ./...
	cd web && npm test
	cd web && npm run test:e2e

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: run the Go benchmarks, then the load harness (cmd/dharmaplans-bench): the real
## server on PostgreSQL and Redis with 10,000 seeded users, against bare net/http + pgx
## baselines, search over a generated catalogue of 10,000 plans, and the server's memory while it
## streams media (docs/performance.md). It needs both servers: BENCH_DATABASE_URL and
## BENCH_REDIS_URL name them (default: postgres and redis on 127.0.0.1); BENCH_ARGS adds
## options, e.g. BENCH_ARGS='--duration 30s'
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BENCH_BIN) ./cmd/dharmaplans-bench
	./$(BENCH_BIN) --out bin/bench.json $(BENCH_ARGS)
	./$(BENCH_BIN) --media-stream --server-bin $(BIN)

## bench-media: the server's memory while it streams a 100 MB talk to 32 clients at once
## (the real binary on SQLite and the local media folder; part of bench)
bench-media: build
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BENCH_BIN) ./cmd/dharmaplans-bench
	./$(BENCH_BIN) --media-stream --server-bin $(BIN)

## bench-web: Lighthouse (mobile preset) on the reader's Discover, plan and Today pages, served
## by the real binary in Debian's Chromium: prints the scores, saves the reports under
## web/test-results/, and fails below performance 90, accessibility 95, best practices 95
bench-web: build
	cd web/bench && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	cd web && npx vitest run --config bench/vitest.config.ts

## bench-1m: the load harness at 10,000 users, then at 1,000,000, checking that today's
## p99 grows by at most 1.3x (seeding 1,000,000 users takes a while: see docs/performance.md)
bench-1m:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BENCH_BIN) ./cmd/dharmaplans-bench
	./$(BENCH_BIN) --out bin/bench-10k.json $(BENCH_ARGS)
	./$(BENCH_BIN) --users 1000000 --reference bin/bench-10k.json --out bin/bench-1m.json $(BENCH_ARGS)

clean:
	rm -rf bin
	find web/dist -mindepth 1 -maxdepth 1 ! -name .placeholder -exec rm -rf {} +
