#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [GROUP...]: install the Debian packages racetrap's builds and tests
# need, and nothing when they are all present already (so `make check` can
# call it every time).  Groups:
#   check  (default) build the module for both kernels, userspace, VM tests,
#          and the .debs (debhelper, dh-dkms, lintian; dkms for dkms-test)
#   lint   kernel source for checkpatch.pl
#   debug  what building the debug kernel of `make check-debug` needs
#   bench  plots, valgrind, hyperfine and the two servers (with their load
#          generators: memcaslap, redis-benchmark) for tools/bench
set -euo pipefail

prog=${0##*/}

group_packages() {
	case $1 in
	check)
		echo qemu-system-x86 busybox-static \
			linux-image-cloud-amd64 linux-headers-cloud-amd64 \
			linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64 \
			cpio kmod build-essential gcc make pkg-config \
			libcapstone-dev libdw-dev libelf-dev elfutils libsystemd-dev \
			golang-go linux-perf binutils file python3 g++ libtsan2 rustc \
			linux-source-6.12 libiberty-dev \
			debhelper dh-dkms dkms lintian dpkg-dev fakeroot
		;;
	lint)
		echo linux-source-6.12
		;;
	debug)
		echo linux-source-6.12 xz-utils flex bison bc gcc make \
			libelf-dev libssl-dev
		;;
	bench)
		echo gnuplot-nox valgrind hyperfine \
			memcached libmemcached-tools redis-server redis-tools
		;;
	*)
		return 1
		;;
	esac
}

[ $# -gt 0 ] || set -- check

wanted=()
for group in "$@"; do
	case $group in
	-h | --help)
		sed -n '4,10s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	esac
	if ! list=$(group_packages "$group"); then
		echo "$prog: unknown group '$group' (groups: check lint debug bench)" >&2
		exit 2
	fi
	read -r -a pkgs <<<"$list"
	wanted+=("${pkgs[@]}")
done

missing=()
for pkg in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done

[ ${#missing[@]} -gt 0 ] || exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "$prog: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "$prog: installing ${missing[*]}"
if ! "${sudo[@]}" apt-get update -q; then
	echo "$prog: apt-get update failed; cannot install ${missing[*]}" >&2
	exit 1
fi
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "$prog: apt-get install failed for: ${missing[*]}" >&2
	exit 1
fi
