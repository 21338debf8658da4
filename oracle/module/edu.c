// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * edu's DMA engine as the script's "device": dev-read and dev-write.
 *
 * edu copies between memory (through its IOMMU, at a DMA address) and a 4 KiB buffer of
 * its own; its registers cannot read that buffer. So a device write is two transfers
 * (the bytes to write: scratch page -> edu buffer, then edu buffer -> the address under
 * test) and a device read two the other way (address -> edu buffer -> scratch page). The
 * scratch page is reached through a translation the module installed itself (setup.c),
 * outside the IOVA allocator, so it never moves the IOVAs the script sees.
 *
 * edu starts a transfer on a QEMU virtual-clock timer ~100 ms after the command. The
 * module polls with local interrupts off (main.c): no guest timer, softirq or flush-queue
 * work can run between two script ops, as if the device acted at once. QEMU's timer runs
 * regardless.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "dmaoracle.h"

int edu_transfer(struct do_dev *d, u64 src, u64 dst, u32 cnt, bool to_pci)
{
	u64 t0;

	writeq(src, d->bar + EDU_DMA_SRC);
	writeq(dst, d->bar + EDU_DMA_DST);
	writeq(cnt, d->bar + EDU_DMA_CNT);
	writeq(EDU_CMD_RUN | (to_pci ? EDU_CMD_TO_PCI : 0), d->bar + EDU_DMA_CMD);
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 5ULL * NSEC_PER_SEC) {
		if (!(readq(d->bar + EDU_DMA_CMD) & EDU_CMD_RUN))
			return 0;
		udelay(50);
	}
	return -ETIMEDOUT;
}

/* keeps the faults of one transfer (the IOMMU records the first page that failed) */
static void note_faults(struct do_fault *faults, int *nfaults)
{
	*nfaults += faults_collect(faults + *nfaults, DO_MAX_FAULTS - *nfaults);
}

/*
 * An access that runs past the top of the 64-bit space (DMA_MAPPING_ERROR is ~0) would not
 * stop there: QEMU's DMA continues at physical address 0. Hardware does not wrap.
 */
static bool wraps(u64 addr, size_t len)
{
	return len && addr + len - 1 < addr;
}

int edu_device_write(struct do_ctx *c, struct do_dev *d, u64 addr, const u8 *src, size_t len,
		     struct do_fault *faults, int *nfaults)
{
	struct do_fault own[DO_MAX_FAULTS];
	size_t off, n;
	int ret, nown;

	*nfaults = 0;
	if (wraps(addr, len))
		return -EOVERFLOW;
	faults_clear();
	for (off = 0; off < len; off += n) {
		n = min_t(size_t, EDU_CHUNK, len - off);
		memcpy(d->scratch, src + off, n);
		ret = edu_transfer(d, d->scratch_dma, EDU_BUF, n, false);
		if (ret)
			return ret;
		nown = faults_collect(own, DO_MAX_FAULTS);
		if (nown)	/* the scratch translation itself failed: the harness is broken */
			return -EFAULT;
		ret = edu_transfer(d, EDU_BUF, addr + off, n, true);
		if (ret)
			return ret;
		note_faults(faults, nfaults);
	}
	return 0;
}

int edu_device_read(struct do_ctx *c, struct do_dev *d, u64 addr, u8 *dst, size_t len,
		    struct do_fault *faults, int *nfaults)
{
	struct do_fault own[DO_MAX_FAULTS];
	size_t off, n;
	int ret;

	*nfaults = 0;
	if (wraps(addr, len))
		return -EOVERFLOW;
	faults_clear();
	for (off = 0; off < len; off += n) {
		n = min_t(size_t, EDU_CHUNK, len - off);
		ret = edu_transfer(d, addr + off, EDU_BUF, n, false);
		if (ret)
			return ret;
		note_faults(faults, nfaults);
		ret = edu_transfer(d, EDU_BUF, d->scratch_dma, n, true);
		if (ret)
			return ret;
		if (faults_collect(own, DO_MAX_FAULTS))
			return -EFAULT;
		memcpy(dst + off, d->scratch, n);
	}
	return 0;
}
