# GoTracer: the one build entry.
#   make            dependencies check, vmlinux.h, BPF objects, skeletons, gotracer, web bundle
#   make run        build, then start on the default-route interface (IFACE=... to choose)
#   make test       build, then every test (tests/run.sh)
#   make bench      benchmarks against tcpdump, tshark, nmap, ... (scripts/bench/)
#   make fuzz       longer libFuzzer runs (FUZZ_SECONDS=...)
#   make vmlinux    regenerate vmlinux/vmlinux.h from this kernel's BTF
# Outputs go to $(O) (default build/). Quiet unless V=1.

O ?= build
V ?= 0
ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2);
endif

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

PKGS := libbpf libxdp libwebsockets libcjson libnl-3.0 libnl-genl-3.0 libnl-route-3.0 libpcap libndpi libfixbuf openssl libpcre2-8
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARNINGS := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
CFLAGS ?= -O2 -g
CFLAGS += $(WARNINGS) -std=gnu11 -D_GNU_SOURCE -I$(O) -Ibpf -Iuser $(PKG_CFLAGS) \
	-DGT_WEB_ROOT='"$(CURDIR)/web/dist"' -DGT_SOURCE_ROOT='"$(CURDIR)"' -MMD -MP
LDLIBS += $(PKG_LIBS) -lelf -lz -lm -lpthread

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Ivmlinux -Ibpf -I/usr/include/$(shell uname -m)-linux-gnu

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(O)/%.skel.h,$(BPF_SRCS))

USER_SRCS := $(shell find user -name '*.c' | sort)
USER_OBJS := $(patsubst %.c,$(O)/%.o,$(USER_SRCS))
MAIN_OBJ := $(O)/user/cli/main.o
LIB := $(O)/libgotracer.a
BIN := $(O)/gotracer

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BIN := $(O)/tests/unit-tests
BPFTEST_SRCS := $(wildcard tests/bpf/*.c)
BPFTEST_BIN := $(O)/tests/bpf-tests
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB_OBJS := $(patsubst %.c,$(O)/fuzz/obj/%.o,$(filter-out user/cli/main.c,$(USER_SRCS)))
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -std=gnu11 -I$(O) -Ibpf -Iuser $(PKG_CFLAGS) -DGT_WEB_ROOT='""' -DGT_SOURCE_ROOT='""' -MMD -MP

WEB_SRCS := $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print 2>/dev/null)

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps deps-test deps-bench run test bench fuzz vmlinux clean web tests

all: $(BIN) web tests

deps:
	$(Q)scripts/install-deps.sh build
deps-test:
	$(Q)scripts/install-deps.sh test
deps-bench:
	$(Q)scripts/install-deps.sh bench

vmlinux:
	$(call msg,GEN,vmlinux/vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux/vmlinux.h | deps
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(O)/user/%.o: user/%.c $(SKELS) | deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(filter-out $(MAIN_OBJ),$(USER_OBJS))
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# The web bundle, served by gotracer serve. Built only where web/ has a package.json.
web: $(if $(wildcard web/package.json),web/dist/index.html)
web/node_modules/.package-lock.json: web/package.json web/package-lock.json | deps
	$(call msg,NPM,web)
	$(Q)cd web && npm ci --no-audit --no-fund --loglevel=error
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRCS)
	$(call msg,VITE,web/dist)
	$(Q)cd web && npm run --silent build

# Node clients of the server and browser tests (ws, playwright-core), from tests/node's lockfile.
NODE_TEST_DEPS := $(if $(wildcard tests/node/package.json),tests/node/node_modules/.package-lock.json)
tests/node/node_modules/.package-lock.json: tests/node/package.json tests/node/package-lock.json | deps
	$(call msg,NPM,tests/node)
	$(Q)cd tests/node && npm ci --no-audit --no-fund --loglevel=error

# Test binaries: the plain C runner in tests/lib prints "N passed, N failed".
tests: $(UNIT_BIN) $(BPFTEST_BIN)
$(O)/tests/%.o: tests/%.c $(SKELS) | deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests -c $< -o $@
$(UNIT_BIN): $(patsubst %.c,$(O)/%.o,$(UNIT_SRCS) tests/lib/runner.c) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@
$(BPFTEST_BIN): $(patsubst %.c,$(O)/%.o,$(BPFTEST_SRCS) tests/lib/runner.c) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# libFuzzer harnesses: the userspace library rebuilt with clang and sanitizers.
$(O)/fuzz/obj/%.o: %.c $(SKELS) | deps
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@
$(O)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(LDLIBS) -o $@
fuzz-build: $(FUZZ_BINS)

run: all
	$(Q)scripts/run.sh $(BIN) $(IFACE)

test: deps-test all fuzz-build $(NODE_TEST_DEPS)
	$(Q)O=$(O) tests/run.sh

fuzz: fuzz-build
	$(Q)O=$(O) FUZZ_SECONDS=$${FUZZ_SECONDS:-300} tests/fuzz/run.sh long

BENCH_TOOLS := $(O)/bench/prog-cost $(O)/bench/xdp-gen
bench: deps-bench all $(BENCH_TOOLS)
	$(Q)O=$(O) scripts/bench/run.sh

$(O)/bench/prog-cost: scripts/bench/prog_cost.c $(SKELS) | deps
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(LDLIBS) -o $@
$(O)/bench/xdp-gen: scripts/bench/xdp_gen.c $(SKELS) | deps
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(LDLIBS) -o $@

clean:
	$(Q)rm -rf $(O) web/dist

-include $(shell find $(O) -name '*.d' 2>/dev/null)
