# SPDX-License-Identifier: GPL-3.0-or-later
# The front door. Everything real lives in CMake (CMakeLists.txt).
#   make          build build/truce
#   make run      install what is missing, build, run the shipped scenario
#   make test     install what is missing, build, run every test
#   make sanitize the test suite under AddressSanitizer + UBSan (build-asan/;
#                 without MPI, whose start-up leaks by design)
#   make bench    build and run the benchmarks (bench/)
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SCENARIO ?= scenarios/ukraine-2023-11.yaml
OUT ?= out/ukraine-2023-11

.PHONY: all deps configure build run test sanitize bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: deps build
	$(BUILD)/truce run $(SCENARIO) --runs 1000 --out $(OUT)

test: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTRUCE_SANITIZE=ON -DTRUCE_WERROR=ON -DTRUCE_WITH_MPI=OFF
	cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) build-asan out
