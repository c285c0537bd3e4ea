// SPDX-License-Identifier: GPL-2.0
/*
 * The device and the generic ioctl rules of uapi/linux/racetrap.h, checked
 * one rule at a time on RACETRAP_IOC_VERSION: size prefix, zero and
 * non-zero tails, the one-page cap, flags, reserved fields, bad pointers
 * (and a read-only struct, checked on CONFIG: it fails before acting),
 * unknown ioctls, and who may open the device.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "ktap.h"

#define UNPRIV_UID 1000

static int version(int fd, void *arg)
{
	return ioctl(fd, RACETRAP_IOC_VERSION, arg);
}

static void test_device_node(void)
{
	struct stat st;
	bool ok;

	ok = stat(RACETRAP_DEVICE, &st) == 0;
	EXPECT_TRUE(ok && S_ISCHR(st.st_mode), "device_is_char_device",
		    "%s missing or not a character device", RACETRAP_DEVICE);
	EXPECT_TRUE(ok && (st.st_mode & 07777) == 0600 && st.st_uid == 0,
		    "device_mode_0600_root", "mode %o uid %u",
		    ok ? st.st_mode & 07777 : 0, ok ? st.st_uid : 0);
}

static void test_version_answers(int fd)
{
	struct racetrap_version v = { .size = sizeof(v) };
	bool ok = version(fd, &v) == 0;

	EXPECT_TRUE(ok && v.abi_version == RACETRAP_ABI_VERSION,
		    "version_abi", "ret ok=%d abi %u want %u", ok,
		    v.abi_version, RACETRAP_ABI_VERSION);
	EXPECT_TRUE(ok && v.record_size == sizeof(struct racetrap_record),
		    "version_record_size", "record_size %u want %zu",
		    v.record_size, sizeof(struct racetrap_record));
	EXPECT_TRUE(ok && v.max_stack_depth == RACETRAP_MAX_STACK &&
		    v.max_sites == RACETRAP_MAX_SITES, "version_limits",
		    "max_stack_depth %u max_sites %u", v.max_stack_depth,
		    v.max_sites);
	EXPECT_TRUE(ok && (v.features & RACETRAP_FEAT_USER_DUMP),
		    "version_feature_user_dump", "features %#llx",
		    (unsigned long long)v.features);
	EXPECT_TRUE(v.size == sizeof(v), "version_size_untouched",
		    "size became %u", v.size);
}

static void test_sizes(int fd)
{
	struct {
		struct racetrap_version v;
		uint8_t tail[16];
	} big;
	struct racetrap_version v;

	memset(&v, 0, sizeof(v));
	v.size = RACETRAP_VERSION_SIZE_VER0 - 1;
	EXPECT_ERRNO(EINVAL, version(fd, &v), "size_one_byte_short_einval");

	memset(&v, 0, sizeof(v));
	EXPECT_ERRNO(EINVAL, version(fd, &v), "size_zero_einval");

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	EXPECT_TRUE(version(fd, &big) == 0 &&
		    big.v.abi_version == RACETRAP_ABI_VERSION,
		    "size_long_zero_tail_ok", "errno %d", errno);

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big.v) + 1;
	EXPECT_TRUE(version(fd, &big) == 0 && big.tail[0] == 0,
		    "size_one_extra_zero_byte_ok",
		    "errno %d or tail written", errno);

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big.v) + 1;
	big.tail[0] = 1;
	EXPECT_ERRNO(E2BIG, version(fd, &big), "size_nonzero_tail_e2big");

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	big.tail[sizeof(big.tail) - 1] = 0xff;
	EXPECT_ERRNO(E2BIG, version(fd, &big), "size_nonzero_last_byte_e2big");

	/* A caller that knows only VER0 gets exactly VER0 bytes back. */
	memset(&big, 0xaa, sizeof(big));
	memset(&big.v, 0, RACETRAP_VERSION_SIZE_VER0);
	big.v.size = RACETRAP_VERSION_SIZE_VER0;
	EXPECT_TRUE(version(fd, &big) == 0 &&
		    ((uint8_t *)&big)[RACETRAP_VERSION_SIZE_VER0] == 0xaa,
		    "size_ver0_no_overwrite", "wrote past the caller's size");
}

/*
 * A size past a page is E2BIG before the tail is scanned: a zero tail of
 * exactly a page is still fine, one byte more is not, nor is 4 GiB.
 */
static void test_size_cap(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct racetrap_version *v = calloc(1, 2 * page);

	if (!v) {
		ktap_skip("size_page_zero_tail_ok", "out of memory");
		ktap_skip("size_page_plus_one_e2big", "out of memory");
		ktap_skip("size_4g_e2big", "out of memory");
		return;
	}
	v->size = page;
	EXPECT_TRUE(version(fd, v) == 0 && v->abi_version == RACETRAP_ABI_VERSION,
		    "size_page_zero_tail_ok", "errno %d", errno);
	memset(v, 0, 2 * page);
	v->size = page + 1;
	EXPECT_ERRNO(E2BIG, version(fd, v), "size_page_plus_one_e2big");
	v->size = UINT32_MAX;
	EXPECT_ERRNO(E2BIG, version(fd, v), "size_4g_e2big");
	free(v);
}

static void test_flags_reserved(int fd)
{
	struct racetrap_version v = { .size = sizeof(v), .flags = 1 };

	EXPECT_ERRNO(EOPNOTSUPP, version(fd, &v), "unknown_flag_eopnotsupp");
	v.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, version(fd, &v), "high_flag_eopnotsupp");
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.__reserved = 1;
	EXPECT_ERRNO(EINVAL, version(fd, &v), "reserved_set_einval");
}

static void test_pointers(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *map;

	EXPECT_ERRNO(EFAULT, version(fd, NULL), "null_pointer_efault");

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		ktap_skip("unmapped_pointer_efault", "mmap failed");
		ktap_skip("struct_crossing_into_unmapped_efault", "mmap failed");
		return;
	}
	munmap(map + page, page);
	EXPECT_ERRNO(EFAULT, version(fd, map + page), "unmapped_pointer_efault");

	/* The size is readable but the struct runs into the hole. */
	*(uint32_t *)(map + page - 8) = sizeof(struct racetrap_version);
	memset(map + page - 4, 0, 4);
	EXPECT_ERRNO(EFAULT, version(fd, map + page - 8),
		     "struct_crossing_into_unmapped_efault");
	munmap(map, page);
}

/*
 * A struct the kernel cannot write its answer into fails before the
 * ioctl acts: a CONFIG SET in a read-only page is EFAULT and leaves the
 * configuration as it was.
 */
static void test_readonly_struct(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct racetrap_config get = { .size = sizeof(get) };
	struct racetrap_config *set;
	int ret, err;

	set = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (set == MAP_FAILED) {
		ktap_skip("readonly_config_set_efault_unchanged", "mmap failed");
		return;
	}
	set->size = sizeof(*set);
	set->flags = RACETRAP_CONFIG_F_SET;
	set->window_us = 777;
	mprotect(set, page, PROT_READ);
	ret = ioctl(fd, RACETRAP_IOC_CONFIG, set);
	err = errno;
	EXPECT_TRUE(ret == -1 && err == EFAULT &&
		    ioctl(fd, RACETRAP_IOC_CONFIG, &get) == 0 &&
		    get.window_us != 777, "readonly_config_set_efault_unchanged",
		    "ret %d errno %d, window_us now %u", ret, err, get.window_us);
	munmap(set, page);
}

static void test_unknown_ioctls(int fd)
{
	struct racetrap_version v = { .size = sizeof(v) };

	EXPECT_ERRNO(ENOTTY, ioctl(fd, _IO(RACETRAP_TYPE, 0x7f), &v),
		     "unknown_nr_enotty");
	EXPECT_ERRNO(ENOTTY, ioctl(fd, _IO(RACETRAP_TYPE, __RACETRAP_CMD_LAST + 8), &v),
		     "past_last_cmd_enotty");
	EXPECT_ERRNO(ENOTTY, ioctl(fd, _IO(RACETRAP_TYPE + 1, 0), &v),
		     "wrong_type_enotty");
	EXPECT_ERRNO(ENOTTY, ioctl(fd, _IOWR(RACETRAP_TYPE, RACETRAP_CMD_VERSION,
					     struct racetrap_version), &v),
		     "wrong_direction_bits_enotty");
}

/* An unprivileged user must not open a 0600 root device. */
static void test_unprivileged_open(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (setgid(UNPRIV_UID) || setuid(UNPRIV_UID))
			_exit(3);
		if (open(RACETRAP_DEVICE, O_RDWR) >= 0)
			_exit(1);
		_exit(errno == EACCES ? 0 : 2);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		ktap_result(false, "unprivileged_open_eacces");
		return;
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "unprivileged_open_eacces",
		    "child status %d (1 = opened, 2 = other errno, 3 = setuid)",
		    status);
}

int main(void)
{
	int fd;

	ktap_start(29);
	test_device_node();
	fd = open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ktap_diag("open %s: %s", RACETRAP_DEVICE, strerror(errno));
		return 1;
	}
	test_version_answers(fd);
	test_sizes(fd);
	test_size_cap(fd);
	test_flags_reserved(fd);
	test_pointers(fd);
	test_readonly_struct(fd);
	test_unknown_ioctls(fd);
	close(fd);
	test_unprivileged_open();
	return ktap_finish();
}
