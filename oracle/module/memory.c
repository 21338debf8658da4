// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * Extents: the guest memory that stands for the parts of the script's regions its ops
 * touch. The host gives each extent a size and a kind; the module backs it with
 *   - ordinary RAM (a `ram` region): alloc_pages(), physically contiguous, zeroed;
 *   - RAM the kernel does not own (a `shared` region, no struct page): a physical range
 *     above mem= that the host chose, memremap(MEMREMAP_WB)'ped and zeroed. It refuses a
 *     range the kernel owns (pfn_valid, or System RAM in /proc/iomem).
 * Extents start page-aligned and the host keeps each address's offset inside its page, so
 * every IOVA the kernel computes from a physical address (iova_offset()) is the script's.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/xxhash.h>

#include "dmaoracle.h"

int extent_setup(struct do_ctx *c, int idx, bool hidden, phys_addr_t phys, size_t size)
{
	struct do_extent *e;

	if (idx < 0 || idx >= DO_MAX_EXTENTS || !size || !PAGE_ALIGNED(size))
		return -EINVAL;
	e = &c->ext[idx];
	if (e->size)
		return -EEXIST;
	if (hidden) {
		if (!PAGE_ALIGNED(phys) || pfn_valid(PHYS_PFN(phys)) ||
		    pfn_valid(PHYS_PFN(phys + size - 1)) ||
		    region_intersects(phys, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
		    REGION_DISJOINT)
			return -EADDRINUSE;
		e->va = memremap(phys, size, MEMREMAP_WB);
		if (!e->va)
			return -ENOMEM;
		e->phys = phys;
	} else {
		e->order = get_order(size);
		if (e->order > MAX_PAGE_ORDER)
			return -E2BIG;
		e->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, e->order);
		if (!e->pages)
			return -ENOMEM;
		e->phys = page_to_phys(e->pages);
		e->va = page_address(e->pages);
	}
	e->hidden = hidden;
	e->size = size;
	memset(e->va, 0, size);
	return 0;
}

void extents_release(struct do_ctx *c)
{
	int i;

	for (i = 0; i < DO_MAX_EXTENTS; i++) {
		struct do_extent *e = &c->ext[i];

		if (!e->size)
			continue;
		if (e->hidden)
			memunmap(e->va);
		else
			__free_pages(e->pages, e->order);
		memset(e, 0, sizeof(*e));
	}
}

/*
 * "E:OFF" -> the extent's physical address + OFF (and its CPU view);
 * "0xADDR" -> that physical address, no CPU view.
 */
int resolve_phys(struct do_ctx *c, const char *tok, size_t len, phys_addr_t *phys, u8 **va)
{
	unsigned int idx;
	unsigned long long off;
	char buf[48];
	char *colon;

	if (strlen(tok) >= sizeof(buf))
		return -EINVAL;
	strscpy(buf, tok, sizeof(buf));
	colon = strchr(buf, ':');
	if (!colon) {
		if (kstrtoull(buf, 0, &off))
			return -EINVAL;
		*phys = off;
		*va = NULL;
		return 0;
	}
	*colon = 0;
	if (kstrtouint(buf, 0, &idx) || kstrtoull(colon + 1, 0, &off))
		return -EINVAL;
	if (idx >= DO_MAX_EXTENTS || !c->ext[idx].size)
		return -ENOENT;
	/* the host keeps every op's range inside one extent */
	if (off > c->ext[idx].size || len > c->ext[idx].size - off)
		return -ERANGE;
	*phys = c->ext[idx].phys + off;
	*va = c->ext[idx].va + off;
	return 0;
}

u64 extent_digest(struct do_extent *e)
{
	return xxh64(e->va, e->size, 0);
}
