/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaoracle: runs a dmajournal op script, translated into commands, on a real kernel.
 * Shared declarations of the module's parts (see main.c for the command language).
 */
#ifndef DMAORACLE_H
#define DMAORACLE_H

#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/types.h>

#define DO_MAX_DEVS	8
#define DO_MAX_EXTENTS	64
#define DO_MAX_STATES	1024
#define DO_MAX_MAPS	1024
#define DO_MAX_FAULTS	8	/* fault records kept per device access */
#define DO_RDBUF	(1 << 20)	/* the most one device read gathers */

/* QEMU's edu device (hw/misc/edu.c): registers in BAR 0, a 4 KiB buffer at 0x40000 */
#define EDU_REG_ID	0x00
#define EDU_REG_LIVE	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x01
#define EDU_CMD_TO_PCI	0x02	/* 0: memory -> edu buffer; 1: edu buffer -> memory */
#define EDU_BUF		0x40000
/*
 * Bytes per edu transfer. QEMU up to 7.2 aborts the VM on a transfer that ends exactly
 * at the end of edu's 4 KiB buffer (QEMU issue 1254, fixed in 8.0), so a whole page is
 * never copied in one go; half a page keeps chunks inside one IOMMU page when the access
 * is page-aligned.
 */
#define EDU_CHUNK	2048

/* One edu device bound to the driver, as the script's device DEV index configured it. */
struct do_dev {
	struct pci_dev *pdev;
	void __iomem *bar;
	bool configured;
	/* where edu's own bounce page lives: every device access goes through it */
	void *scratch;
	phys_addr_t scratch_phys;
	dma_addr_t scratch_dma;
	struct iommu_domain *scratch_domain;	/* non-NULL when scratch_dma is iommu_map'ped */
};

/* A stretch of guest memory that stands for a stretch of a script region. */
struct do_extent {
	phys_addr_t phys;
	size_t size;
	u8 *va;
	bool hidden;		/* RAM above mem=: no struct page, memremap'ped */
	struct page *pages;	/* ordinary RAM: alloc_pages */
	unsigned int order;
};

struct do_state {
	struct dma_iova_state st;
	int dev;
	bool used;
};

struct do_map {
	dma_addr_t addr;
	int dev;
	bool used;
};

/* A fault the IOMMU recorded during one device access. */
struct do_fault {
	u64 addr;
	u8 reason;
	bool read;
};

struct do_ctx {
	struct do_dev devs[DO_MAX_DEVS];
	int ndevs;
	struct do_extent ext[DO_MAX_EXTENTS];
	struct do_state *states;	/* DO_MAX_STATES */
	struct do_map *maps;		/* DO_MAX_MAPS */
	u8 *data;			/* the fill bytes the host rendered */
	size_t data_len;
	char *cmds;			/* the command text */
	size_t cmds_len;
	u8 *rdbuf;			/* what a device read gathered */
	bool irqs_off;
	unsigned long irqflags;
};

/* edu.c */
int edu_transfer(struct do_dev *d, u64 src, u64 dst, u32 cnt, bool to_pci);
int edu_device_write(struct do_ctx *c, struct do_dev *d, u64 addr, const u8 *src, size_t len,
		     struct do_fault *faults, int *nfaults);
int edu_device_read(struct do_ctx *c, struct do_dev *d, u64 addr, u8 *dst, size_t len,
		    struct do_fault *faults, int *nfaults);

/* faults.c */
int faults_init(void);
void faults_exit(void);
bool faults_available(void);
int faults_collect(struct do_fault *out, int max);
void faults_clear(void);

/* memory.c */
int extent_setup(struct do_ctx *c, int idx, bool hidden, phys_addr_t phys, size_t size);
void extents_release(struct do_ctx *c);
int resolve_phys(struct do_ctx *c, const char *tok, size_t len, phys_addr_t *phys, u8 **va);
u64 extent_digest(struct do_extent *e);

/* setup.c */
int dev_setup(struct do_ctx *c, int idx, const char *bdf, int bits, bool untrusted,
	      unsigned int min_align_mask);
void dev_release(struct do_dev *d);
void report_swiotlb(struct do_ctx *c);

/* ops.c */
int run_op(struct do_ctx *c, char *line);

/* main.c */
struct pci_dev *bound_edu(const char *bdf);
void irqs_restore_for_sleep(struct do_ctx *c);
void irqs_disable_again(struct do_ctx *c);

#endif
