// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * Device setup: the DMA mask and trust the script's device line asks for, the facts the
 * host needs to give the model the guest's topology (domain type, aperture, page sizes,
 * reserved regions, PCI host-bridge windows, the swiotlb pool), and edu's scratch page.
 *
 * The scratch page is how the module moves bytes in and out of edu's buffer. Mapped with
 * the DMA API it would take an IOVA from the allocator the script is testing and shift
 * every address after it; so on a paging domain it is iommu_map()'ped at an IOVA inside a
 * PCI host-bridge window. iova_reserve_pci_windows() (drivers/iommu/dma-iommu.c) reserved
 * every window in the IOVA allocator when the domain was made, so nothing the script does
 * can be given that IOVA, and the page table does not care. On an identity domain or with
 * no IOMMU the DMA address is the physical address (QEMU's edu is given a 64-bit mask).
 */
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/resource_ext.h>
#include <linux/swiotlb.h>

#include "dmaoracle.h"

static const char *domain_name(struct iommu_domain *dom)
{
	if (!dom)
		return "none";
	switch (dom->type) {
	case IOMMU_DOMAIN_IDENTITY: return "identity";
	case IOMMU_DOMAIN_DMA: return "DMA";
	case IOMMU_DOMAIN_DMA_FQ: return "DMA-FQ";
	case IOMMU_DOMAIN_BLOCKED: return "blocked";
	default: return "other";
	}
}

static const char *resv_name(enum iommu_resv_type t)
{
	switch (t) {
	case IOMMU_RESV_DIRECT: return "direct";
	case IOMMU_RESV_DIRECT_RELAXABLE: return "direct-relaxable";
	case IOMMU_RESV_RESERVED: return "reserved";
	case IOMMU_RESV_MSI: return "msi";
	case IOMMU_RESV_SW_MSI: return "sw-msi";
	default: return "other";
	}
}

/* the IOMMU's reserved regions and the bridge's memory windows: what the IOVA allocator skips */
static void report_reserved(int idx, struct pci_dev *pdev)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(pdev->bus);
	struct iommu_resv_region *r;
	struct resource_entry *w;
	LIST_HEAD(resv);

	iommu_get_resv_regions(&pdev->dev, &resv);
	list_for_each_entry(r, &resv, list)
		pr_info("S resv %d start=%#llx end=%#llx type=%s\n", idx, (u64)r->start,
			(u64)(r->start + r->length - 1), resv_name(r->type));
	iommu_put_resv_regions(&pdev->dev, &resv);
	resource_list_for_each_entry(w, &bridge->windows) {
		if (resource_type(w->res) != IORESOURCE_MEM)
			continue;
		pr_info("S window %d start=%#llx end=%#llx\n", idx,
			(u64)(w->res->start - w->offset), (u64)(w->res->end - w->offset));
	}
}

/* the last two pages of the highest bridge window that the domain's aperture covers */
static u64 scratch_iova(struct pci_dev *pdev, struct iommu_domain *dom)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(pdev->bus);
	struct resource_entry *w;
	u64 best = 0;

	resource_list_for_each_entry(w, &bridge->windows) {
		u64 lo, hi;

		if (resource_type(w->res) != IORESOURCE_MEM)
			continue;
		lo = w->res->start - w->offset;
		hi = w->res->end - w->offset;
		if (hi - lo < 4 * PAGE_SIZE || hi > dom->geometry.aperture_end)
			continue;
		if (((hi + 1) & PAGE_MASK) - 2 * PAGE_SIZE > best)
			best = ((hi + 1) & PAGE_MASK) - 2 * PAGE_SIZE;
	}
	return best;
}

int dev_setup(struct do_ctx *c, int idx, const char *bdf, int bits, bool untrusted,
	      unsigned int min_align_mask)
{
	struct do_dev *d;
	struct pci_dev *pdev;
	struct iommu_domain *dom;
	struct page *page;
	int ret;

	if (idx < 0 || idx >= DO_MAX_DEVS || bits < 1 || bits > 64)
		return -EINVAL;
	d = &c->devs[idx];
	if (d->configured)
		return -EEXIST;
	pdev = bound_edu(bdf);
	if (!pdev)
		return -ENODEV;
	d->pdev = pdev;
	d->bar = pci_get_drvdata(pdev);
	/* as if behind an external-facing port; the default domain was chosen without it */
	if (untrusted)
		pdev->untrusted = 1;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(bits));
	/* swiotlb keeps the address's bits under it in the bounce slot (NVMe: 0xfff) */
	if (!ret && min_align_mask)
		dma_set_min_align_mask(&pdev->dev, min_align_mask);
	dom = iommu_get_domain_for_dev(&pdev->dev);
	pr_info("S dev %d bdf=%s bits=%d mask_ret=%d untrusted=%d domain=%s aperture_start=%#llx aperture_end=%#llx pgsize=%#lx min_align_mask=%#x max_seg=%#x\n",
		idx, bdf, bits, ret, pdev->untrusted, domain_name(dom),
		dom ? (u64)dom->geometry.aperture_start : 0, dom ? (u64)dom->geometry.aperture_end : 0,
		dom ? dom->pgsize_bitmap : 0, dma_get_min_align_mask(&pdev->dev),
		dma_get_max_seg_size(&pdev->dev));
	if (ret)
		return ret;
	if (dom)	/* no IOMMU ops, no reserved regions (iommu_get_resv_regions() would oops) */
		report_reserved(idx, pdev);

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!page)
		return -ENOMEM;
	d->scratch = page_address(page);
	d->scratch_phys = page_to_phys(page);
	d->scratch_dma = d->scratch_phys;
	if (dom && (dom->type & __IOMMU_DOMAIN_PAGING)) {
		u64 iova = scratch_iova(pdev, dom);

		if (!iova)
			return -ENOSPC;
		ret = iommu_map(dom, iova, d->scratch_phys, 2 * PAGE_SIZE,
				IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
		if (ret)
			return ret;
		d->scratch_domain = dom;
		d->scratch_dma = iova;
	}
	d->configured = true;
	pr_info("S scratch %d phys=%pa dma=%pad via=%s\n", idx, &d->scratch_phys, &d->scratch_dma,
		d->scratch_domain ? "iommu_map" : "direct");
	return 0;
}

void dev_release(struct do_dev *d)
{
	if (d->scratch_domain)
		iommu_unmap(d->scratch_domain, d->scratch_dma, 2 * PAGE_SIZE);
	if (d->scratch)
		free_pages((unsigned long)d->scratch, 1);
	memset(d, 0, sizeof(*d));
}

void report_swiotlb(struct do_ctx *c)
{
	struct io_tlb_mem *mem;

	if (!c->ndevs || !c->devs[0].pdev)
		return;
	mem = c->devs[0].pdev->dev.dma_io_tlb_mem;
	pr_info("S swiotlb start=%#llx end=%#llx nslabs=%lu force_bounce=%d\n",
		mem ? (u64)mem->defpool.start : 0, mem ? (u64)mem->defpool.end : 0,
		mem ? mem->defpool.nslabs : 0, mem ? mem->force_bounce : 0);
}
