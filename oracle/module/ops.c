// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * One script op, as a command line "LINE VERB ARGS...", carried out with the real DMA API
 * and logged as "R LINE VERB key=value ..." (after "B LINE", so the host can give every
 * kernel message between the two to that line). Arguments:
 *   PHYS  "E:OFF" (extent E + OFF) or an absolute "0x..." physical address
 *   ADDR  "s:S:OFF" (state S's addr + OFF), "m:M:OFF" (mapping M's DMA address + OFF),
 *         "e:E:OFF" (extent E's physical address + OFF) or an absolute "0x..."
 *   DIR   enum dma_data_direction (0 BIDIRECTIONAL, 1 TO_DEVICE, 2 FROM_DEVICE, 3 NONE)
 *   ATTRS the DMA_ATTR_* bits
 *   DOFF  offset of the bytes to write in the data the host sent
 * A trailing "+mem" adds the XXH64 of every extent after the op (what memory then holds);
 * "memsum" reports only that (a `checkpoint` or `verify`).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/xxhash.h>

#include "dmaoracle.h"

struct args {
	char *rest;
	int err;
};

static char *tok(struct args *a)
{
	char *t;

	do {
		t = strsep(&a->rest, " ");
	} while (t && !*t);
	if (!t)
		a->err = -EINVAL;
	return t ? t : "";
}

static u64 num(struct args *a)
{
	unsigned long long v = 0;

	if (kstrtoull(tok(a), 0, &v))
		a->err = -EINVAL;
	return v;
}

static int index_of(struct args *a, int max)
{
	u64 v = num(a);

	if (v >= max)
		a->err = -ERANGE;
	return v < max ? (int)v : 0;
}

static struct do_dev *dev_of(struct do_ctx *c, struct args *a)
{
	int i = index_of(a, DO_MAX_DEVS);

	if (!c->devs[i].configured)
		a->err = -ENODEV;
	return &c->devs[i];
}

static phys_addr_t phys_of(struct do_ctx *c, struct args *a, size_t len, u8 **va)
{
	phys_addr_t phys = 0;
	int ret = resolve_phys(c, tok(a), len, &phys, va);

	if (ret)
		a->err = ret;
	return phys;
}

static u64 addr_of(struct do_ctx *c, struct args *a)
{
	char *t = tok(a), *p;
	unsigned long long off = 0;
	unsigned int idx;
	char kind = t[0];

	if (kind != 's' && kind != 'm' && kind != 'e') {
		if (kstrtoull(t, 0, &off))
			a->err = -EINVAL;
		return off;
	}
	p = strchr(t + 2, ':');
	if (t[1] != ':' || !p) {
		a->err = -EINVAL;
		return 0;
	}
	*p = 0;
	if (kstrtouint(t + 2, 0, &idx) || kstrtoull(p + 1, 0, &off)) {
		a->err = -EINVAL;
		return 0;
	}
	if (kind == 's' && idx < DO_MAX_STATES)
		return c->states[idx].st.addr + off;
	if (kind == 'm' && idx < DO_MAX_MAPS)
		return c->maps[idx].addr + off;
	if (kind == 'e' && idx < DO_MAX_EXTENTS && c->ext[idx].size)
		return c->ext[idx].phys + off;
	a->err = -ERANGE;
	return 0;
}

static const u8 *data_of(struct do_ctx *c, struct args *a, size_t len)
{
	u64 off = num(a);

	if (off > c->data_len || len > c->data_len - off) {
		a->err = -ERANGE;
		return NULL;
	}
	return c->data + off;
}

/* appends "faults=..." for one device access */
static int put_faults(char *buf, size_t sz, struct do_fault *f, int n)
{
	int i, len;

	if (!faults_available())
		return scnprintf(buf, sz, " faults=unknown");
	if (!n)
		return scnprintf(buf, sz, " faults=none");
	len = scnprintf(buf, sz, " faults=");
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, sz - len, "%s%c@%#llx:%#x", i ? "," : "",
				 f[i].read ? 'r' : 'w', f[i].addr, f[i].reason);
	return len;
}

static int put_memory(struct do_ctx *c, char *buf, size_t sz)
{
	int i, len = scnprintf(buf, sz, " mem=");
	bool first = true;

	for (i = 0; i < DO_MAX_EXTENTS; i++) {
		if (!c->ext[i].size)
			continue;
		len += scnprintf(buf + len, sz - len, "%s%d:%#llx", first ? "" : ",", i,
				 extent_digest(&c->ext[i]));
		first = false;
	}
	return len;
}

#define OUT_SZ 512

static struct device *state_dev(struct do_ctx *c, int s)
{
	return &c->devs[c->states[s].dev].pdev->dev;
}

static struct device *map_dev(struct do_ctx *c, int m)
{
	return &c->devs[c->maps[m].dev].pdev->dev;
}

/* Each op: reads its arguments, calls the kernel, writes its result fields into out. */

static int op_alloc(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);
	struct do_dev *d = dev_of(c, a);
	u8 *va;
	phys_addr_t phys = phys_of(c, a, 0, &va);
	u64 size = num(a);
	bool ok;

	if (a->err)
		return 0;
	c->states[s].dev = d - c->devs;
	c->states[s].used = true;
	ok = dma_iova_try_alloc(&d->pdev->dev, &c->states[s].st, phys, size);
	return scnprintf(out, OUT_SZ, " ret=%d addr=%#llx size=%#llx", ok,
			 (u64)c->states[s].st.addr, c->states[s].st.__size);
}

static int op_link(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);
	u64 off = num(a);
	u8 *va;
	phys_addr_t phys = phys_of(c, a, 0, &va);
	u64 len = num(a);
	int dir = num(a);
	unsigned long attrs = num(a);
	int ret;

	if (a->err)
		return 0;
	ret = dma_iova_link(state_dev(c, s), &c->states[s].st, phys, off, len, dir, attrs);
	return scnprintf(out, OUT_SZ, " ret=%d size=%#llx", ret, c->states[s].st.__size);
}

static int op_sync(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);
	u64 off = num(a), len = num(a);

	if (a->err)
		return 0;
	return scnprintf(out, OUT_SZ, " ret=%d", dma_iova_sync(state_dev(c, s), &c->states[s].st, off, len));
}

static int op_unlink(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);
	u64 off = num(a), len = num(a);
	int dir = num(a);
	unsigned long attrs = num(a);

	if (a->err)
		return 0;
	dma_iova_unlink(state_dev(c, s), &c->states[s].st, off, len, dir, attrs);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_destroy(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);
	u64 mapped = num(a);
	int dir = num(a);
	unsigned long attrs = num(a);

	if (a->err)
		return 0;
	dma_iova_destroy(state_dev(c, s), &c->states[s].st, mapped, dir, attrs);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_free(struct do_ctx *c, struct args *a, char *out)
{
	int s = index_of(a, DO_MAX_STATES);

	if (a->err)
		return 0;
	dma_iova_free(state_dev(c, s), &c->states[s].st);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_map(struct do_ctx *c, struct args *a, char *out)
{
	int m = index_of(a, DO_MAX_MAPS);
	struct do_dev *d = dev_of(c, a);
	u8 *va;
	phys_addr_t phys = phys_of(c, a, 0, &va);
	u64 len = num(a);
	int dir = num(a);
	unsigned long attrs = num(a);
	dma_addr_t addr;

	if (a->err)
		return 0;
	addr = dma_map_phys(&d->pdev->dev, phys, len, dir, attrs);
	c->maps[m].addr = addr;
	c->maps[m].dev = d - c->devs;
	c->maps[m].used = true;
	return scnprintf(out, OUT_SZ, " addr=%#llx err=%d", (u64)addr, dma_mapping_error(&d->pdev->dev, addr));
}

static int op_unmap(struct do_ctx *c, struct args *a, char *out)
{
	int m = index_of(a, DO_MAX_MAPS);
	u64 len = num(a);
	int dir = num(a);
	unsigned long attrs = num(a);

	if (a->err)
		return 0;
	dma_unmap_phys(map_dev(c, m), c->maps[m].addr, len, dir, attrs);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_sync_single(struct do_ctx *c, struct args *a, char *out, bool for_cpu)
{
	int m = index_of(a, DO_MAX_MAPS);
	u64 off = num(a), len = num(a);
	int dir = num(a);

	if (a->err)
		return 0;
	if (for_cpu)
		dma_sync_single_for_cpu(map_dev(c, m), c->maps[m].addr + off, len, dir);
	else
		dma_sync_single_for_device(map_dev(c, m), c->maps[m].addr + off, len, dir);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_synccpu(struct do_ctx *c, struct args *a, char *out)
{
	return op_sync_single(c, a, out, true);
}

static int op_syncdev(struct do_ctx *c, struct args *a, char *out)
{
	return op_sync_single(c, a, out, false);
}

static int op_maperr(struct do_ctx *c, struct args *a, char *out)
{
	int m = index_of(a, DO_MAX_MAPS);

	if (a->err)
		return 0;
	return scnprintf(out, OUT_SZ, " ret=%d", dma_mapping_error(map_dev(c, m), c->maps[m].addr));
}

/* PHYS LEN: the CPU view of a backed range, resolved once LEN is known */
static u8 *cpu_range(struct do_ctx *c, struct args *a, u64 *len)
{
	char *ptok = tok(a);
	phys_addr_t phys = 0;
	u8 *va = NULL;

	*len = num(a);
	if (!a->err && resolve_phys(c, ptok, *len, &phys, &va))
		a->err = -ERANGE;
	if (!a->err && !va)
		a->err = -EFAULT;
	return va;
}

static int op_cpuw(struct do_ctx *c, struct args *a, char *out)
{
	u64 len;
	u8 *va = cpu_range(c, a, &len);
	const u8 *src = data_of(c, a, len);

	if (a->err)
		return 0;
	memcpy(va, src, len);
	return scnprintf(out, OUT_SZ, " ret=void");
}

static int op_cpur(struct do_ctx *c, struct args *a, char *out)
{
	u64 len;
	u8 *va = cpu_range(c, a, &len);

	if (a->err)
		return 0;
	return scnprintf(out, OUT_SZ, " digest=%#llx", xxh64(va, len, 0));
}

static int op_devw(struct do_ctx *c, struct args *a, char *out)
{
	struct do_fault faults[DO_MAX_FAULTS];
	struct do_dev *d = dev_of(c, a);
	u64 addr = addr_of(c, a), len = num(a);
	const u8 *src = data_of(c, a, len);
	int n, nf = 0, ret;

	if (a->err)
		return 0;
	ret = edu_device_write(c, d, addr, src, len, faults, &nf);
	n = scnprintf(out, OUT_SZ, " addr=%#llx xfer=%d", addr, ret);
	return n + put_faults(out + n, OUT_SZ - n, faults, nf);
}

static int op_devr(struct do_ctx *c, struct args *a, char *out)
{
	struct do_fault faults[DO_MAX_FAULTS];
	struct do_dev *d = dev_of(c, a);
	u64 addr = addr_of(c, a), len = num(a);
	int n, nf = 0, ret;

	if (!a->err && len > DO_RDBUF)
		a->err = -E2BIG;
	if (a->err)
		return 0;
	ret = edu_device_read(c, d, addr, c->rdbuf, len, faults, &nf);
	n = scnprintf(out, OUT_SZ, " addr=%#llx xfer=%d digest=%#llx", addr, ret, xxh64(c->rdbuf, len, 0));
	return n + put_faults(out + n, OUT_SZ - n, faults, nf);
}

/* time passes: the flush queue's timer (10 ms) and softirqs run */
static int op_wait(struct do_ctx *c, struct args *a, char *out)
{
	u64 ms = num(a);

	if (a->err)
		return 0;
	irqs_restore_for_sleep(c);
	msleep(ms);
	irqs_disable_again(c);
	return scnprintf(out, OUT_SZ, " ret=void");
}

/* what memory holds now (a `checkpoint` or `verify`): only the digests, added below */
static int op_memsum(struct do_ctx *c, struct args *a, char *out)
{
	return 0;
}

static const struct {
	const char *verb;
	int (*run)(struct do_ctx *c, struct args *a, char *out);
} op_table[] = {
	{ "alloc", op_alloc }, { "link", op_link }, { "sync", op_sync }, { "unlink", op_unlink },
	{ "destroy", op_destroy }, { "free", op_free }, { "map", op_map }, { "unmap", op_unmap },
	{ "synccpu", op_synccpu }, { "syncdev", op_syncdev }, { "maperr", op_maperr },
	{ "cpuw", op_cpuw }, { "cpur", op_cpur }, { "devw", op_devw }, { "devr", op_devr },
	{ "wait", op_wait }, { "memsum", op_memsum },
};

int run_op(struct do_ctx *c, char *line)
{
	struct args a = { .rest = line };
	char out[OUT_SZ];
	char *verb, *mem;
	u64 lineno;
	int i, n = -1;

	mem = strstr(line, " +mem");
	if (mem)
		*mem = 0;
	lineno = num(&a);
	verb = tok(&a);
	if (a.err)
		return a.err;
	pr_info("B %llu %s\n", lineno, verb);
	out[0] = 0;
	for (i = 0; i < ARRAY_SIZE(op_table); i++)
		if (!strcmp(verb, op_table[i].verb))
			n = op_table[i].run(c, &a, out);
	if (n < 0)
		a.err = -EOPNOTSUPP;
	if (a.err) {
		pr_info("R %llu %s error=%d\n", lineno, verb, a.err);
		return 0;
	}
	if (mem || !strcmp(verb, "memsum"))
		n += put_memory(c, out + n, OUT_SZ - n);
	pr_info("R %llu %s%s\n", lineno, verb, out);
	return 0;
}
