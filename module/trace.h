/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints, for perf: racetrap:racetrap_sample (a sample taken),
 * racetrap:racetrap_watch (a window opened), racetrap:racetrap_hit (a
 * conflicting access reported).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM racetrap

#if !defined(_RACETRAP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _RACETRAP_TRACE_H

#include <linux/tracepoint.h>
#include <uapi/linux/racetrap.h>

TRACE_EVENT(racetrap_sample,
	TP_PROTO(u32 pid, u32 tid, unsigned long ip, unsigned long addr,
		 u16 trigger),
	TP_ARGS(pid, tid, ip, addr, trigger),
	TP_STRUCT__entry(
		__field(u32, pid)
		__field(u32, tid)
		__field(unsigned long, ip)
		__field(unsigned long, addr)
		__field(u16, trigger)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->tid = tid;
		__entry->ip = ip;
		__entry->addr = addr;
		__entry->trigger = trigger;
	),
	TP_printk("pid=%u tid=%u ip=0x%lx addr=0x%lx trigger=%s",
		  __entry->pid, __entry->tid, __entry->ip, __entry->addr,
		  __entry->trigger == RACETRAP_REC_TRIGGER_SITE ? "site" : "clock")
);

TRACE_EVENT(racetrap_watch,
	TP_PROTO(u32 pid, unsigned long addr, unsigned int len,
		 unsigned int nr_cpus),
	TP_ARGS(pid, addr, len, nr_cpus),
	TP_STRUCT__entry(
		__field(u32, pid)
		__field(unsigned long, addr)
		__field(unsigned int, len)
		__field(unsigned int, nr_cpus)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->addr = addr;
		__entry->len = len;
		__entry->nr_cpus = nr_cpus;
	),
	TP_printk("pid=%u addr=0x%lx len=%u cpus=%u", __entry->pid,
		  __entry->addr, __entry->len, __entry->nr_cpus)
);

TRACE_EVENT(racetrap_hit,
	TP_PROTO(const struct racetrap_record *rec),
	TP_ARGS(rec),
	TP_STRUCT__entry(
		__field(u32, pid)
		__field(u32, sampled_tid)
		__field(u64, sampled_ip)
		__field(u32, trapped_tid)
		__field(u64, trapped_ip)
		__field(u64, addr)
	),
	TP_fast_assign(
		__entry->pid = rec->pid;
		__entry->sampled_tid = rec->sampled.tid;
		__entry->sampled_ip = rec->sampled.ip;
		__entry->trapped_tid = rec->trapped.tid;
		__entry->trapped_ip = rec->trapped.ip;
		__entry->addr = rec->sampled.addr;
	),
	TP_printk("pid=%u addr=0x%llx sampled=%u@0x%llx trapped=%u@0x%llx",
		  __entry->pid, __entry->addr, __entry->sampled_tid,
		  __entry->sampled_ip, __entry->trapped_tid, __entry->trapped_ip)
);

#endif /* _RACETRAP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
