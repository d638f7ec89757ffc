# Trunkline top-level Makefile.
#
#   make            the daemon and CLI (build/trunkline, build/trunklinectl)
#   make run        install deps, build, run the gateway on config/demo.conf
#   make check      install deps, build, run every test tier
#   make check-unit | check-integration | check-netns | check-vm
#   make bench | fuzz | kmod | install | clean
#
# Every output goes to build/; nothing generated lands in the source tree.

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
SYSCONFDIR ?= /etc
CC       ?= cc
CLANG    ?= clang
Q        := $(if $(V),,@)

# pkg-config packages the daemon links (add a module's libraries here and
# its Debian -dev package to scripts/deps.sh)
PKGS     := libsrtp2 spandsp openssl sqlite3 libbpf libelf zlib liburing
PKG_CFLAGS := $(if $(PKGS),$(shell pkg-config --cflags $(PKGS)))
PKG_LIBS   := $(if $(PKGS),$(shell pkg-config --libs $(PKGS)))

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wpointer-arith -Wvla -Wundef \
	    -Wformat=2 -Wno-format-nonliteral -Wcast-align -Wwrite-strings \
	    -Wimplicit-fallthrough
BASEFLAGS := -std=c11 -D_GNU_SOURCE -g $(WARN) -MMD -MP $(PKG_CFLAGS)
# the XDP skeleton is generated into build/ebpf (never committed)
BASEFLAGS += -I$(BUILD)/ebpf
CFLAGS   ?= -O2
ALL_CFLAGS := $(BASEFLAGS) $(CFLAGS) -fstack-protector-strong \
	      -D_FORTIFY_SOURCE=2
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
SAN_CFLAGS := $(BASEFLAGS) -O1 $(SAN)
LDLIBS   := $(PKG_LIBS) -lpri -lm

# Library: every module under gateway/*/ and tdm/; the programs' mains are
# the .c files directly in gateway/.
LIB_SRC  := $(sort $(wildcard gateway/*/*.c gateway/offload/xdp/*.c) \
		$(wildcard tdm/*.c tdm/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
LIB      := $(BUILD)/libtrunkline.a
SAN_LIB  := $(BUILD)/libtrunkline-san.a

UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c tests/unit/xdp/check_*.c))
UNIT_SUITES := $(patsubst check_%.c,%,$(notdir $(UNIT_SRC)))
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

TOOL_SRC := $(wildcard tests/tools/*.c)
TOOLS    := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
TOOLS    += $(BUILD)/tools/fwd_drv

BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCHES  := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS  := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_TIME ?= 60

.PHONY: all daemon deps run check check-unit check-integration check-netns \
	check-vm unit-bins tools bench fuzz fuzz-bins kmod install uninstall \
	clean
.DEFAULT_GOAL := all

all: daemon

daemon: $(BUILD)/trunkline $(BUILD)/trunklinectl

deps:
	$(Q)scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SAN_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SAN_LIB): $(SAN_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/trunkline: $(BUILD)/obj/gateway/trunkline.o $(LIB)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/trunklinectl: $(BUILD)/obj/gateway/trunklinectl.o $(LIB)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# --- BPF objects and the skeleton the offload layer includes ------------------
$(BUILD)/ebpf/tl_xdp.skel.h: $(wildcard ebpf/*.c ebpf/*.h) \
		kmod/uapi/trunkline_flow.h scripts/build-bpf.sh
	$(Q)scripts/build-bpf.sh $(BUILD)/ebpf

$(LIB_OBJ) $(SAN_OBJ): $(BUILD)/ebpf/tl_xdp.skel.h

# --- unit tests: one Check runner, built plain and with ASan+UBSan --------
# rewritten only when the set of suites changes (a removed file too)
$(BUILD)/unit/suites.h: FORCE
	@mkdir -p $(dir $@)
	$(Q)for s in $(UNIT_SUITES); do echo "SUITE($$s)"; done > $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

FORCE:

UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/unit/runner.o
UNIT_SAN_OBJ := $(UNIT_SRC:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/tests/unit/runner.o

$(UNIT_OBJ) $(UNIT_SAN_OBJ): $(BUILD)/ebpf/tl_xdp.skel.h

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c $(BUILD)/unit/suites.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -I$(BUILD)/unit -c $< -o $@

$(BUILD)/san/tests/unit/%.o: tests/unit/%.c $(BUILD)/unit/suites.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SAN_CFLAGS) $(CHECK_CFLAGS) -I$(BUILD)/unit -c $< -o $@

$(BUILD)/unit/runner: $(UNIT_OBJ) $(LIB)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/unit/runner-san: $(UNIT_SAN_OBJ) $(SAN_LIB)
	$(Q)$(CC) $(SAN_CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

unit-bins: $(BUILD)/unit/runner $(BUILD)/unit/runner-san

# --- small test programs ----------------------------------------------------
# A test program or benchmark that needs more libraries names their
# pkg-config packages in a file beside it: tests/tools/NAME.pkgs.
extra_pkgs = $(if $(wildcard $(1)),$(shell pkg-config --cflags --libs $$(cat $(1))))

# A tool that drives the gateway's own code (tests/tools/NAME.lib exists)
# is built like the daemon and linked with build/libtrunkline.a.
lib_tool = $(wildcard tests/tools/$(1).lib)

.SECONDEXPANSION:
$(BUILD)/tools/%: tests/tools/%.c $$(wildcard tests/tools/$$*.pkgs) \
		$$(if $$(call lib_tool,$$*),$(LIB))
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(if $(call lib_tool,$*),$(ALL_CFLAGS),-std=c11 -D_GNU_SOURCE \
		-O2 -g -Wall -Wextra -Werror) -o $@ $< \
		$(if $(call lib_tool,$*),$(LIB) $(LDLIBS)) \
		$(call extra_pkgs,tests/tools/$*.pkgs)

# the netns forwarding driver links the library
$(BUILD)/tools/fwd_drv: tests/netns/fwd_drv.c $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

tools: $(TOOLS)

# --- the kernel module (Kbuild, against the newest Debian headers) --------
kmod:
	$(Q)scripts/build-kmod.sh $(BUILD)/kmod

# --- test tiers -----------------------------------------------------------
check:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory all unit-bins tools
	$(Q)tests/check.sh unit integration netns vm

check-unit: all unit-bins
	$(Q)tests/check.sh unit

check-integration: all tools
	$(Q)tests/check.sh integration

check-netns: all tools
	$(Q)tests/check.sh netns

check-vm: all tools
	$(Q)tests/check.sh vm

# --- run the demo gateway ---------------------------------------------------
run:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/trunkline -f -c config/demo.conf

# --- benchmarks -------------------------------------------------------------
$(BUILD)/bench/%: tests/bench/%.c $(LIB) $$(wildcard tests/bench/$$*.pkgs)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS) \
		$(call extra_pkgs,tests/bench/$*.pkgs)

bench:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory all tools $(BENCHES)
	$(Q)tests/bench/run.sh

# --- fuzzing (clang libFuzzer + ASan + UBSan) ------------------------------
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined $(PKG_CFLAGS) -I$(BUILD)/ebpf

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(BUILD)/ebpf/tl_xdp.skel.h
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

fuzz-bins: $(FUZZERS)

fuzz:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory fuzz-bins
	$(Q)tests/fuzz/run.sh $(FUZZ_TIME)

# --- install ------------------------------------------------------------------
install: all
	install -D -m 0755 $(BUILD)/trunkline $(DESTDIR)$(PREFIX)/sbin/trunkline
	install -D -m 0755 $(BUILD)/trunklinectl \
		$(DESTDIR)$(PREFIX)/bin/trunklinectl
	install -D -m 0644 config/trunkline.conf \
		$(DESTDIR)$(SYSCONFDIR)/trunkline/trunkline.conf.example
	@if [ ! -e $(DESTDIR)$(SYSCONFDIR)/trunkline/trunkline.conf ]; then \
		install -m 0640 config/trunkline.conf \
			$(DESTDIR)$(SYSCONFDIR)/trunkline/trunkline.conf; fi
	install -D -m 0644 README.md \
		$(DESTDIR)$(PREFIX)/share/doc/trunkline/README.md

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/trunkline \
		$(DESTDIR)$(PREFIX)/bin/trunklinectl \
		$(DESTDIR)$(SYSCONFDIR)/trunkline/trunkline.conf.example
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/trunkline

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
