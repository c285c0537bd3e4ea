# SPDX-License-Identifier: GPL-2.0
#
# racetrap: `make` builds the module for one kernel and the two programs
# (racetrap, racetrapd); it needs no Go: test programs build under check.
#   make modules KDIR=/lib/modules/<release>/build
#   make install  programs, man pages, unit, example config and the module
#                 source for DKMS into $(DESTDIR)$(PREFIX) (PREFIX=/usr/local)
#   make deb      build/deb/racetrap_*.deb and racetrap-dkms_*.deb
#   make check    install what the tests need, build, run every test
#   make check-debug  every VM test under a KASAN/lockdep/kmemleak/UBSAN
#                 kernel built from linux-source-6.12 (an hour or more;
#                 not part of check)
#   make demo     boot a VM and show racetrap at work
#   make bench    overhead and detection numbers (not part of check)
#   make lint     checkpatch on the kernel code

# Default kernel tree: the running kernel's if it has one, else the newest.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /lib/modules/*/build))))

.PHONY: all modules bin userspace selftests deps check check-debug \
	host-check vm-check soak demo bench lint clean install deb dkms-test

all: modules bin

VERSION := $(shell tools/version.sh)
PREFIX ?= /usr/local
# The module source as DKMS wants it: $(DKMSDIR)/racetrap-$(VERSION).
DKMSDIR ?= $(PREFIX)/src

modules:
	@test -n "$(KDIR)" || { echo "racetrap: no kernel build tree: install linux-headers-$$(uname -r) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

bin:
	$(MAKE) -C userspace bin

# The programs and the host tests with their data (Go, g++).
userspace:
	$(MAKE) -C userspace

selftests: userspace
	$(MAKE) -C selftests

deps:
	tools/deps.sh

check: deps
	tools/check.sh

# Not part of check: builds a kernel (cached in build/debug-kernel/).
check-debug:
	tools/check-debug.sh

demo: deps
	tools/demo.sh

bench: deps
	tools/bench/run

# The churn soak, SOAK_CHURN_RUNS (default 100) runs of each race-free
# churn program under both triggers, then attachments begun and ended
# every way for SOAK_MINUTES (default 30), in the 6.12 guest
# (SOAK_KERNEL=6.1 for the other); see Documentation/testing.rst, "Soak".
SOAK_MINUTES ?= 30
SOAK_CHURN_RUNS ?= 100
SOAK_KERNEL ?= 6.12
soak: deps all selftests
	tools/vm/run --kernel $(SOAK_KERNEL) --tcg-threads single \
		--timeout $$(( $(SOAK_MINUTES) * 60 + $(SOAK_CHURN_RUNS) * 60 + 600 )) \
		-- sh -c 'CHURN_RUNS=$(SOAK_CHURN_RUNS) /selftests/churn/test_churn.sh; \
			c=$$?; /selftests/soak/soak.sh $(SOAK_MINUTES) && exit $$c'

lint:
	tools/lint.sh

install:
	$(MAKE) -C userspace install PREFIX=$(PREFIX)
	tools/deb/dkms-tree.sh $(DESTDIR)$(DKMSDIR)/racetrap-$(VERSION)

deb:
	tools/deb/build.sh

# Install both .debs into a scratch DKMS tree and build racetrap.ko for
# every kernel with headers (tools/deb/dkms-test.sh).
dkms-test: deb
	tools/deb/dkms-test.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	rm -rf build
