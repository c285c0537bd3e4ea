# SPDX-License-Identifier: GPL-2.0
#
# racetrap: `make` builds the module for one kernel and the userspace.
#   make modules KDIR=/lib/modules/<release>/build
#   make check    install what the tests need, build, run every test
#   make demo     boot a VM and show racetrap at work
#   make bench    overhead and detection numbers (not part of check)
#   make lint     checkpatch on the kernel code

# Default kernel tree: the running kernel's if it has one, else the newest.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /lib/modules/*/build))))

.PHONY: all modules userspace selftests deps check host-check vm-check \
	demo bench lint clean

all: modules userspace selftests

modules:
	@test -n "$(KDIR)" || { echo "racetrap: no kernel build tree: install linux-headers-$$(uname -r) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

userspace:
	$(MAKE) -C userspace

selftests: userspace
	$(MAKE) -C selftests

deps:
	tools/deps.sh

check: deps
	tools/check.sh

demo: deps
	tools/demo.sh

bench: deps
	tools/bench/run

lint:
	tools/lint.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	rm -rf build
