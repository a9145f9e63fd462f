# kefu — the two commands a user needs: `make run` and `make test`.
# Everything they need is installed by scripts/install-deps.sh (Debian 12, root).

SHELL := /bin/bash
RELEASE_DIR := build/release
TEST_DIR := build/asan
DATA ?= data
LISTEN ?= 127.0.0.1:8080
WERROR := $(if $(CI),ON,OFF)
CMAKE_COMMON := -G Ninja -DKEFU_WERROR=$(WERROR)

.PHONY: run test build web deps bench clean unit-test web-test

deps:
	@scripts/install-deps.sh --browser

build: deps
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DKEFU_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) --target kefu

web: deps
	@scripts/build-web.sh

run: build web
	@mkdir -p $(DATA)
	@$(RELEASE_DIR)/kefu demo seed --data $(DATA) --if-empty
	@echo ""
	@echo "  kefu is starting on http://$(LISTEN)/"
	@echo "  log in as admin / kefu-admin-2026 (demo agents: see docs/demo.md, password kefu-demo-2026)"
	@echo ""
	@exec $(RELEASE_DIR)/kefu serve --data $(DATA) --listen $(LISTEN) --web web/dist

# Build with AddressSanitizer + UndefinedBehaviorSanitizer and run every test:
# unit tests, API tests against a real server, web unit tests, browser tests.
test: deps web
	@cmake -S . -B $(TEST_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DKEFU_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR)
	@cd $(TEST_DIR) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j2 --timeout 600

bench:
	@scripts/install-deps.sh --bench
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DKEFU_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR)
	@python3 bench/run.py --kefu $(RELEASE_DIR)/kefu --micro $(RELEASE_DIR)/bench/kefu_micro_bench

clean:
	rm -rf build
