# The two commands: `make demo` and `make test`. Both install what is missing, build, then run.
BUILD      ?= build
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
JOBS       ?= $(shell nproc)

PREFIX     ?= /usr/local

.PHONY: all deps build test demo install dist fuzz bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Builds only the binary (not the test suite) before the demo.
demo: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target leakhound
	@bash scripts/demo.sh $(BUILD)/leakhound

# The binary, its man page, shell completions and licenses under PREFIX (make install PREFIX=$$HOME/.local).
install: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target leakhound leakhound_share
	cmake --install $(BUILD) --prefix $(PREFIX) --strip

# dist/leakhound-VERSION-linux-amd64.tar.gz and dist/leakhound_VERSION_amd64.deb (CPack): the same files as install.
dist: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target leakhound leakhound_share
	cd $(BUILD) && cpack -B $(CURDIR)/dist
	@rm -rf dist/_CPack_Packages

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLEAKHOUND_BUILD_FUZZERS=ON -DLEAKHOUND_BUILD_TESTS=OFF

# Builds every libFuzzer target and runs each for FUZZ_SECONDS on its seed corpus.
fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	@bash bench/run.sh $(BUILD)/leakhound

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) dist
