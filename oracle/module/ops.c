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

int run_op(struct do_ctx *c, char *line)
{
	struct args a = { .rest = line };
	struct do_fault faults[DO_MAX_FAULTS];
	char out[OUT_SZ];
	char *verb, *mem;
	u64 lineno;
	int n = 0, nf = 0, ret;

	mem = strstr(line, " +mem");
	if (mem)
		*mem = 0;
	lineno = num(&a);
	verb = tok(&a);
	if (a.err)
		return a.err;
	pr_info("B %llu %s\n", lineno, verb);
	out[0] = 0;

	if (!strcmp(verb, "alloc")) {
		int s = index_of(&a, DO_MAX_STATES);
		struct do_dev *d = dev_of(c, &a);
		u8 *va;
		phys_addr_t phys;
		u64 size;
		bool ok;

		phys = phys_of(c, &a, 0, &va);
		size = num(&a);
		if (!a.err) {
			c->states[s].dev = d - c->devs;
			c->states[s].used = true;
			ok = dma_iova_try_alloc(&d->pdev->dev, &c->states[s].st, phys, size);
			n = scnprintf(out, OUT_SZ, " ret=%d addr=%#llx size=%#llx", ok,
				      (u64)c->states[s].st.addr, c->states[s].st.__size);
		}
	} else if (!strcmp(verb, "link")) {
		int s = index_of(&a, DO_MAX_STATES);
		u64 off = num(&a), len;
		phys_addr_t phys;
		u8 *va;
		int dir;
		unsigned long attrs;

		phys = phys_of(c, &a, 0, &va);
		len = num(&a);
		dir = num(&a);
		attrs = num(&a);
		if (!a.err) {
			ret = dma_iova_link(&c->devs[c->states[s].dev].pdev->dev, &c->states[s].st,
					    phys, off, len, dir, attrs);
			n = scnprintf(out, OUT_SZ, " ret=%d size=%#llx", ret, c->states[s].st.__size);
		}
	} else if (!strcmp(verb, "sync")) {
		int s = index_of(&a, DO_MAX_STATES);
		u64 off = num(&a), len = num(&a);

		if (!a.err) {
			ret = dma_iova_sync(&c->devs[c->states[s].dev].pdev->dev, &c->states[s].st,
					    off, len);
			n = scnprintf(out, OUT_SZ, " ret=%d", ret);
		}
	} else if (!strcmp(verb, "unlink")) {
		int s = index_of(&a, DO_MAX_STATES);
		u64 off = num(&a), len = num(&a);
		int dir = num(&a);
		unsigned long attrs = num(&a);

		if (!a.err) {
			dma_iova_unlink(&c->devs[c->states[s].dev].pdev->dev, &c->states[s].st,
					off, len, dir, attrs);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else if (!strcmp(verb, "destroy")) {
		int s = index_of(&a, DO_MAX_STATES);
		u64 mapped = num(&a);
		int dir = num(&a);
		unsigned long attrs = num(&a);

		if (!a.err) {
			dma_iova_destroy(&c->devs[c->states[s].dev].pdev->dev, &c->states[s].st,
					 mapped, dir, attrs);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else if (!strcmp(verb, "free")) {
		int s = index_of(&a, DO_MAX_STATES);

		if (!a.err) {
			dma_iova_free(&c->devs[c->states[s].dev].pdev->dev, &c->states[s].st);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else if (!strcmp(verb, "map")) {
		int m = index_of(&a, DO_MAX_MAPS);
		struct do_dev *d = dev_of(c, &a);
		phys_addr_t phys;
		u8 *va;
		u64 len;
		int dir;
		unsigned long attrs;

		phys = phys_of(c, &a, 0, &va);
		len = num(&a);
		dir = num(&a);
		attrs = num(&a);
		if (!a.err) {
			dma_addr_t addr = dma_map_phys(&d->pdev->dev, phys, len, dir, attrs);

			c->maps[m].addr = addr;
			c->maps[m].dev = d - c->devs;
			c->maps[m].used = true;
			n = scnprintf(out, OUT_SZ, " addr=%#llx err=%d", (u64)addr,
				      dma_mapping_error(&d->pdev->dev, addr));
		}
	} else if (!strcmp(verb, "unmap")) {
		int m = index_of(&a, DO_MAX_MAPS);
		u64 len = num(&a);
		int dir = num(&a);
		unsigned long attrs = num(&a);

		if (!a.err) {
			dma_unmap_phys(&c->devs[c->maps[m].dev].pdev->dev, c->maps[m].addr, len, dir,
				       attrs);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else if (!strcmp(verb, "synccpu") || !strcmp(verb, "syncdev")) {
		int m = index_of(&a, DO_MAX_MAPS);
		u64 off = num(&a), len = num(&a);
		int dir = num(&a);

		if (!a.err) {
			struct device *dev = &c->devs[c->maps[m].dev].pdev->dev;

			if (verb[4] == 'c')
				dma_sync_single_for_cpu(dev, c->maps[m].addr + off, len, dir);
			else
				dma_sync_single_for_device(dev, c->maps[m].addr + off, len, dir);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else if (!strcmp(verb, "maperr")) {
		int m = index_of(&a, DO_MAX_MAPS);

		if (!a.err)
			n = scnprintf(out, OUT_SZ, " ret=%d",
				      dma_mapping_error(&c->devs[c->maps[m].dev].pdev->dev,
							c->maps[m].addr));
	} else if (!strcmp(verb, "cpuw")) {
		u8 *va = NULL;
		phys_addr_t phys = 0;
		char *ptok = tok(&a);	/* PHYS: resolved once LEN is known */
		u64 len = num(&a);
		const u8 *src = data_of(c, &a, len);

		if (!a.err && resolve_phys(c, ptok, len, &phys, &va))
			a.err = -ERANGE;
		if (!a.err && va) {
			memcpy(va, src, len);
			n = scnprintf(out, OUT_SZ, " ret=void");
		} else if (!a.err) {
			a.err = -EFAULT;
		}
	} else if (!strcmp(verb, "cpur")) {
		u8 *va = NULL;
		phys_addr_t phys = 0;
		char *ptok = tok(&a);
		u64 len = num(&a);

		if (!a.err && resolve_phys(c, ptok, len, &phys, &va))
			a.err = -ERANGE;
		if (!a.err && va)
			n = scnprintf(out, OUT_SZ, " digest=%#llx", xxh64(va, len, 0));
		else if (!a.err)
			a.err = -EFAULT;
	} else if (!strcmp(verb, "devw")) {
		struct do_dev *d = dev_of(c, &a);
		u64 addr = addr_of(c, &a), len = num(&a);
		const u8 *src = data_of(c, &a, len);

		if (!a.err) {
			ret = edu_device_write(c, d, addr, src, len, faults, &nf);
			n = scnprintf(out, OUT_SZ, " addr=%#llx xfer=%d", addr, ret);
			n += put_faults(out + n, OUT_SZ - n, faults, nf);
		}
	} else if (!strcmp(verb, "devr")) {
		struct do_dev *d = dev_of(c, &a);
		u64 addr = addr_of(c, &a), len = num(&a);

		if (!a.err && len > PAGE_SIZE * 256)
			a.err = -E2BIG;
		if (!a.err) {
			ret = edu_device_read(c, d, addr, c->rdbuf, len, faults, &nf);
			n = scnprintf(out, OUT_SZ, " addr=%#llx xfer=%d digest=%#llx", addr, ret,
				      xxh64(c->rdbuf, len, 0));
			n += put_faults(out + n, OUT_SZ - n, faults, nf);
		}
	} else if (!strcmp(verb, "memsum")) {
		mem = verb;	/* what memory holds now: the extents' digests */
	} else if (!strcmp(verb, "wait")) {
		u64 ms = num(&a);

		if (!a.err) {
			/* time passes: the flush queue's timer (10 ms) and softirqs run */
			irqs_restore_for_sleep(c);
			msleep(ms);
			irqs_disable_again(c);
			n = scnprintf(out, OUT_SZ, " ret=void");
		}
	} else {
		a.err = -EOPNOTSUPP;
	}

	if (a.err) {
		pr_info("R %llu %s error=%d\n", lineno, verb, a.err);
		return 0;
	}
	if (mem)
		n += put_memory(c, out + n, OUT_SZ - n);
	pr_info("R %llu %s%s\n", lineno, verb, out);
	return 0;
}
