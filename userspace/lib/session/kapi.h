/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thin wrapper over the /dev/racetrap ioctls (uapi/linux/racetrap.h)
 * that turns every errno into a message naming the problem and the fix.
 * Functions return 0 or a negative errno and write the message to @err.
 */
#ifndef RT_KAPI_H
#define RT_KAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

struct rt_kapi {
	int fd;
	struct racetrap_version version;
	uint32_t dump_max;	/* largest stack_dump ever configured */
	unsigned char *buf;	/* read() buffer, for records with dumps */
	size_t buf_size;
};

/*
 * One record as read: its fixed part in this build's layout (a shorter
 * kernel record zero-extended, a longer one cut), and its stack dumps
 * by RACETRAP_DUMP_SAMPLED / _TRAPPED, NULL when absent or malformed.
 * The dumps point into the rt_kapi's buffer: valid until the next read.
 */
struct rt_record {
	struct racetrap_record rec;
	const struct racetrap_user_dump *dump[2];
};

/* Whether @d (in @len bytes) is a well-formed dump. */
bool rt_dump_valid(const struct racetrap_user_dump *d, size_t len);

/*
 * Decode one record of @len bytes at @raw (8-byte aligned) whose fixed
 * part is @fixed bytes (racetrap_version.record_size) into @out.
 */
void rt_record_decode(struct rt_record *out, const void *raw, size_t len,
		      size_t fixed);

/* Open the device (non-blocking reads) and check the ABI version. */
int rt_kapi_open(struct rt_kapi *k, char *err, size_t errlen);
void rt_kapi_close(struct rt_kapi *k);

int rt_kapi_attach(struct rt_kapi *k, pid_t pid, char *err, size_t errlen);
int rt_kapi_detach(struct rt_kapi *k);

int rt_kapi_add_sites(struct rt_kapi *k, int file_fd,
		      const struct racetrap_site *sites, size_t nr_sites,
		      uint32_t *table_id, char *err, size_t errlen);

/* Apply @cfg (zero fields mean defaults); on success @cfg holds the values
 * in force.  A module without RACETRAP_FEAT_USER_DUMP gets no stack_dump,
 * one without RACETRAP_FEAT_CTX_WORDS no nr_ctx and ctx_off. */
int rt_kapi_set_config(struct rt_kapi *k, struct racetrap_config *cfg,
		       char *err, size_t errlen);

int rt_kapi_stats(struct rt_kapi *k, struct racetrap_stats *stats);

/*
 * Read up to @max queued records without blocking.  Returns how many (0
 * when none is queued), or -EPIPE once the attachment has ended and the
 * ring is empty, or another negative errno.
 */
int rt_kapi_read(struct rt_kapi *k, struct rt_record *recs, size_t max);

/* "samples_site" for RACETRAP_STAT_SAMPLES_SITE..., NULL past the end. */
const char *rt_kapi_stat_name(unsigned int stat);

#endif /* RT_KAPI_H */
