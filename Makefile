# SPDX-License-Identifier: GPL-3.0-or-later
# The front door. Everything real lives in CMake (CMakeLists.txt).
#   make          build build/truce
#   make run      install what is missing, build, run the shipped scenario
#   make test     install what is missing, build, run every test
#   make sanitize the test suite under AddressSanitizer + UBSan (build-asan/;
#                 without MPI, whose start-up leaks by design)
#   make fuzz     every libFuzzer target (tests/fuzz/) for FUZZ_SECONDS each
#                 under ASan + UBSan, with clang (build-fuzz/)
#   make tsan     the ensemble's tests under ThreadSanitizer (build-tsan/)
#   make valgrind the CLI tests under valgrind memcheck (build/)
#   make format   rewrite the C sources with the pinned clang-format
#                 (scripts/check-format checks them; CI runs it)
#   make bench    build and run the benchmarks (bench/)
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SCENARIO ?= scenarios/ukraine-2023-11.yaml
OUT ?= out/ukraine-2023-11

FUZZ_SECONDS ?= 60

.PHONY: all deps configure build run test sanitize fuzz tsan valgrind bench clean format

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

fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRUCE_SANITIZE=ON \
	  -DTRUCE_FUZZ=ON -DTRUCE_WITH_MPI=OFF
	cmake --build build-fuzz -j $(JOBS)
	tests/fuzz/run.sh build-fuzz . $(FUZZ_SECONDS)

# LLVM's OpenMP runtime (libomp, which clang links) is not TSan-built;
# archer (libarcher.so, beside it) declares its barriers and locks to TSan
# when OMP_TOOL_LIBRARIES names it. tests/tsan.supp says what is left out.
ARCHER ?= $(shell d=$$(dirname "$$(readlink -f "$$(command -v clang)")")/../lib/libarcher.so; [ -f "$$d" ] && echo "$$d")
tsan: deps
	CC=clang cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTRUCE_TSAN=ON -DTRUCE_WITH_MPI=OFF
	cmake --build build-tsan -j $(JOBS) --target test_ensemble test_bargain
	@[ -n "$(ARCHER)" ] || { echo "make tsan: no libarcher.so beside clang (libomp-dev)"; exit 1; }
	OMP_TOOL_LIBRARIES=$(ARCHER) OMP_NUM_THREADS=2 \
	  TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --test-dir build-tsan --output-on-failure -R 'unit_(ensemble|bargain)'

valgrind: deps build
	TRUCE_VALGRIND=1 OMP_NUM_THREADS=2 ctest --test-dir $(BUILD) --output-on-failure -R '^cli' 

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-tsan out

format:
	scripts/check-format --fix
