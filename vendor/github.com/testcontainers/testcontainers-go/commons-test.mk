ROOT_DIR:=$(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))
GOBIN= $(GOPATH)/bin
TEST_RERUN_FAILS ?= 5
TEST_REPORT ?= TEST-unit.xml
TEST_COVERAGE ?= coverage.out
GO_TEST_FLAGS ?=

define go_install
    go install $(1)
endef

$(GOBIN)/golangci-lint:
	$(call go_install,github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.14.0)

$(GOBIN)/gotestsum:
	$(call go_install,gotest.tools/gotestsum@latest)

$(GOBIN)/mockery:
	$(call go_install,github.com/vektra/mockery/v2@v2.53.4)

$(GOBIN)/gci:
	$(call go_install,github.com/daixiang0/gci@v0.14.0)

.PHONY: install
install: $(GOBIN)/golangci-lint $(GOBIN)/gotestsum $(GOBIN)/mockery

.PHONY: clean
clean:
	rm $(GOBIN)/golangci-lint
	rm $(GOBIN)/gotestsum
	rm $(GOBIN)/mockery

.PHONY: dependencies-scan
dependencies-scan:
	@echo ">> Scanning dependencies in $(CURDIR)..."
	go list -json -m all | docker run --rm -i sonatypecommunity/nancy:latest sleuth --skip-update-check

.PHONY: lint
lint: $(GOBIN)/golangci-lint
	golangci-lint run -c $(ROOT_DIR)/.golangci.yml --fix

.PHONY: generate
generate: $(GOBIN)/gci
generate: $(GOBIN)/mockery
	go generate ./...

.PHONY: test-%
test-%: $(GOBIN)/gotestsum
	@echo "Running $* tests..."
	gotestsum \
		--format short-verbose \
		--rerun-fails=$(TEST_RERUN_FAILS) \
		--packages="./..." \
		--junitfile $(TEST_REPORT) \
		-- \
		-v \
		-coverprofile=$(TEST_COVERAGE) \
		-timeout=30m \
		-race $(GO_TEST_FLAGS)

.PHONY: tools
tools:
	go mod download

.PHONY: test-tools
test-tools: $(GOBIN)/gotestsum

.PHONY: tidy
tidy:
	go mod tidy

.PHONY: pre-commit
pre-commit: generate tidy lint
