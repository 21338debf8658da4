// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * IOMMU faults, read from the VT-d fault recording registers after each edu transfer.
 *
 * The kernel's handler (dmar_fault(), drivers/iommu/intel/dmar.c) runs from the fault
 * interrupt and prints under one ratelimit (10 per 5 s, two per fault), and with a ratelimited
 * record it does not even read the reason or address. The module runs the script with local
 * interrupts off (main.c), so the interrupt waits; it reads each pending record itself, as
 * dmar_fault() would, and clears it (write 1 to F, then to FSTS.PFO/PPF), so every fault of
 * every transfer is seen and the kernel's later interrupt finds nothing to do. QEMU keeps one
 * recording register and folds further faults of the same requester into a pending one
 * (vtd_try_collapse_fault), so one transfer reports the first page that failed.
 *
 * The register block is found in the ACPI DMAR table (the first DRHD), and mapped a second
 * time: the intel-iommu driver's own mapping is private.
 */
#include <linux/acpi.h>
#include <linux/io.h>

#include "dmaoracle.h"

#define VTD_CAP_REG	0x08
#define VTD_FSTS_REG	0x34
#define VTD_FSTS_PFO	(1u << 0)
#define VTD_FSTS_PPF	(1u << 1)
#define VTD_FSTS_PRO	(1u << 7)
#define VTD_FRCD_F	(1u << 31)

static void __iomem *vtd_regs;
static u32 frcd_offset, frcd_count;

int faults_init(void)
{
	struct acpi_table_header *hdr;
	struct acpi_dmar_header *sub;
	u8 *p, *end;
	u64 base = 0, cap;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_DMAR, 0, &hdr)))
		return 0;	/* no VT-d: virtio-iommu or no IOMMU */
	p = (u8 *)hdr + sizeof(struct acpi_table_dmar);
	end = (u8 *)hdr + hdr->length;
	while (p + sizeof(*sub) <= end) {
		sub = (struct acpi_dmar_header *)p;
		if (sub->length < sizeof(*sub))
			break;
		if (sub->type == ACPI_DMAR_TYPE_HARDWARE_UNIT) {
			base = ((struct acpi_dmar_hardware_unit *)sub)->address;
			break;
		}
		p += sub->length;
	}
	acpi_put_table(hdr);
	if (!base)
		return 0;
	vtd_regs = ioremap(base, PAGE_SIZE);
	if (!vtd_regs)
		return -ENOMEM;
	cap = readq(vtd_regs + VTD_CAP_REG);
	frcd_offset = ((cap >> 24) & 0x3ff) * 16;	/* cap_fault_reg_offset() */
	frcd_count = ((cap >> 40) & 0xff) + 1;		/* cap_num_fault_regs() */
	pr_info("S faults vtd=%#llx cap=%#llx frcd_offset=%#x frcd_count=%u\n",
		base, cap, frcd_offset, frcd_count);
	return 0;
}

void faults_exit(void)
{
	if (vtd_regs)
		iounmap(vtd_regs);
	vtd_regs = NULL;
}

bool faults_available(void)
{
	return vtd_regs != NULL;
}

/* Reads and clears the pending fault records; returns how many were kept in out. */
int faults_collect(struct do_fault *out, int max)
{
	u32 fsts, hi, i, idx;
	int n = 0;

	if (!vtd_regs)
		return 0;
	fsts = readl(vtd_regs + VTD_FSTS_REG);
	if (!(fsts & VTD_FSTS_PPF))
		goto clear;
	idx = (fsts >> 8) & 0xff;	/* dma_fsts_fault_record_index() */
	for (i = 0; i < frcd_count; i++, idx = (idx + 1) % frcd_count) {
		void __iomem *rec = vtd_regs + frcd_offset + idx * 16;

		hi = readl(rec + 12);
		if (!(hi & VTD_FRCD_F))
			continue;
		if (n < max) {
			out[n].reason = hi & 0xff;		/* dma_frcd_fault_reason() */
			out[n].read = (hi >> 30) & 1;		/* dma_frcd_type(): 1 = read */
			out[n].addr = readq(rec) & PAGE_MASK;	/* dma_frcd_page_addr() */
			n++;
		}
		writel(VTD_FRCD_F, rec + 12);
	}
clear:
	if (fsts & (VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_PRO))
		writel(VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_PRO, vtd_regs + VTD_FSTS_REG);
	return n;
}

void faults_clear(void)
{
	struct do_fault none[DO_MAX_FAULTS];

	faults_collect(none, DO_MAX_FAULTS);
}
