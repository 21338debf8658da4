// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "dmaoracle: " fmt
/*
 * dmaoracle: a kernel oracle for dmajournal. It binds to QEMU's educational PCI device
 * (`-device edu`, 1234:11e8, QEMU's docs/specs/edu.rst), whose DMA engine reads and writes
 * memory through the IOMMU, and runs a dmajournal op script that the host translated into
 * commands, with the real DMA API: dma_iova_try_alloc/link/sync/unlink/destroy/free,
 * dma_map_phys/dma_unmap_phys, dma_sync_single_for_cpu/device, dma_mapping_error, CPU
 * reads and writes, and edu's reads and writes through IOVAs.
 *
 * debugfs, /sys/kernel/debug/dmaoracle/:
 *   data      the bytes the script's writes put in memory, rendered by the host (append)
 *   commands  the command text (append), one command a line:
 *               dev D BDF BITS UNTRUSTED MINALIGN   configure the edu at BDF as script device D
 *                                            (DMA mask bits, pci_dev->untrusted, min_align_mask)
 *               mem E ram SIZE               extent E: SIZE bytes of ordinary RAM
 *               mem E hidden PHYS SIZE       extent E: RAM above mem= at PHYS (no struct page)
 *               swiotlb                      report the swiotlb pool
 *               LINE VERB ARGS...            one script op (ops.c)
 *   run       any write runs the commands, in order
 * Everything is reported with printk, "dmaoracle: S ..." for setup, "B LINE" and
 * "R LINE VERB ..." around each op, "E done" at the end; the host reads dmesg.
 *
 * Ops run with local interrupts off, from the first op to the last: no timer fires in
 * between, so no time passes between two ops unless the script says so ("wait", which
 * sleeps with interrupts on). That is the model's clock: the flush queue's 10 ms timer
 * fires only at a `flush` op. Boot the guest with nowatchdog and
 * rcupdate.rcu_cpu_stall_suppress=1: a long script keeps the CPU for many seconds.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "dmaoracle.h"

#define DO_MAX_INPUT	(64 << 20)

static struct pci_dev *bound[DO_MAX_DEVS];
static int nbound;
static struct do_ctx ctx;
static DEFINE_MUTEX(lock);
static struct dentry *dir;

struct pci_dev *bound_edu(const char *bdf)
{
	int i;

	for (i = 0; i < nbound; i++)
		if (!strcmp(pci_name(bound[i]), bdf))
			return bound[i];
	return NULL;
}

void irqs_restore_for_sleep(struct do_ctx *c)
{
	if (c->irqs_off)
		local_irq_restore(c->irqflags);
	c->irqs_off = false;
}

void irqs_disable_again(struct do_ctx *c)
{
	if (!c->irqs_off)
		local_irq_save(c->irqflags);
	c->irqs_off = true;
}

/* appends a user write to a growing buffer (busybox cat writes in pieces) */
static ssize_t append(u8 **buf, size_t *len, const char __user *ubuf, size_t n, loff_t *pos)
{
	u8 *grown;

	if (*pos != *len || n > DO_MAX_INPUT - *len)
		return -EFBIG;
	grown = kvrealloc(*buf, *len + n + 1, GFP_KERNEL);
	if (!grown)
		return -ENOMEM;
	*buf = grown;
	if (copy_from_user(*buf + *len, ubuf, n))
		return -EFAULT;
	*len += n;
	(*buf)[*len] = 0;
	*pos += n;
	return n;
}

static ssize_t data_write(struct file *f, const char __user *ubuf, size_t n, loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&lock);
	ret = append(&ctx.data, &ctx.data_len, ubuf, n, pos);
	mutex_unlock(&lock);
	return ret;
}

static ssize_t cmds_write(struct file *f, const char __user *ubuf, size_t n, loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&lock);
	ret = append((u8 **)&ctx.cmds, &ctx.cmds_len, ubuf, n, pos);
	mutex_unlock(&lock);
	return ret;
}

static int setup_line(struct do_ctx *c, char *line)
{
	char *p = line, *t[7];
	unsigned long long v[4];
	int i, n = 0, ret;

	while (n < 7 && (t[n] = strsep(&p, " ")))
		if (*t[n])
			n++;
	if (!strcmp(t[0], "swiotlb")) {
		report_swiotlb(c);
		return 0;
	}
	if (!strcmp(t[0], "dev") && n == 6) {
		if (kstrtoull(t[1], 0, &v[0]) || kstrtoull(t[3], 0, &v[1]) || kstrtoull(t[4], 0, &v[2]) ||
		    kstrtoull(t[5], 0, &v[3]))
			return -EINVAL;
		ret = dev_setup(c, v[0], t[2], v[1], v[2], v[3]);
		if (!ret && v[0] >= c->ndevs)
			c->ndevs = v[0] + 1;
		return ret;
	}
	if (!strcmp(t[0], "mem") && (n == 4 || n == 5)) {
		bool hidden = !strcmp(t[2], "hidden");

		for (i = 0; i < n - 3; i++)
			if (kstrtoull(t[3 + i], 0, &v[i]))
				return -EINVAL;
		if (kstrtoull(t[1], 0, &v[2]))
			return -EINVAL;
		ret = extent_setup(c, v[2], hidden, hidden ? v[0] : 0, hidden ? v[1] : v[0]);
		if (!ret)
			pr_info("S mem %llu kind=%s phys=%pa size=%#zx\n", v[2], hidden ? "hidden" : "ram",
				&c->ext[v[2]].phys, c->ext[v[2]].size);
		return ret;
	}
	return -EINVAL;
}

static bool is_setup(const char *line)
{
	return !strncmp(line, "dev ", 4) || !strncmp(line, "mem ", 4) || !strcmp(line, "swiotlb");
}

static void run_commands(struct do_ctx *c)
{
	char *p = c->cmds, *line;
	int ret;

	pr_info("S begin devices=%d vtd_faults=%d\n", nbound, faults_available());
	while (p && (line = strsep(&p, "\n"))) {
		if (!*line || *line == '#')
			continue;
		if (is_setup(line)) {
			if (c->irqs_off) {
				pr_info("S error setup after the first op: %s\n", line);
				break;
			}
			ret = setup_line(c, line);
			if (ret) {
				pr_info("S error %d: %s\n", ret, line);
				break;
			}
			continue;
		}
		if (!c->irqs_off) {
			faults_clear();
			irqs_disable_again(c);
		}
		ret = run_op(c, line);
		if (ret)
			pr_info("S error %d: bad command: %s\n", ret, line);
	}
	irqs_restore_for_sleep(c);
	pr_info("E done\n");
}

static ssize_t run_write(struct file *f, const char __user *ubuf, size_t n, loff_t *pos)
{
	mutex_lock(&lock);
	if (ctx.cmds)
		run_commands(&ctx);
	mutex_unlock(&lock);
	return n;
}

static const struct file_operations data_fops = {
	.owner = THIS_MODULE, .open = simple_open, .write = data_write, .llseek = noop_llseek,
};
static const struct file_operations cmds_fops = {
	.owner = THIS_MODULE, .open = simple_open, .write = cmds_write, .llseek = noop_llseek,
};
static const struct file_operations run_fops = {
	.owner = THIS_MODULE, .open = simple_open, .write = run_write, .llseek = noop_llseek,
};

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *bar;
	int ret;

	if (nbound >= DO_MAX_DEVS)
		return -ENOSPC;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	bar = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(bar))
		return PTR_ERR(bar);
	pci_set_master(pdev);
	writel(0x12345678, bar + EDU_REG_LIVE);
	pr_info("S bound %s id=%#x live=%#x\n", pci_name(pdev), readl(bar + EDU_REG_ID),
		readl(bar + EDU_REG_LIVE));
	pci_set_drvdata(pdev, (void __force *)bar);
	bound[nbound++] = pdev;
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init dmaoracle_init(void)
{
	int ret;

	ctx.states = vzalloc(sizeof(*ctx.states) * DO_MAX_STATES);
	ctx.maps = vzalloc(sizeof(*ctx.maps) * DO_MAX_MAPS);
	ctx.rdbuf = vmalloc(DO_RDBUF);
	if (!ctx.states || !ctx.maps || !ctx.rdbuf)
		return -ENOMEM;
	ret = faults_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&edu_driver);
	if (ret)
		return ret;
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("data", 0200, dir, NULL, &data_fops);
	debugfs_create_file("commands", 0200, dir, NULL, &cmds_fops);
	debugfs_create_file("run", 0200, dir, NULL, &run_fops);
	return 0;
}

static void __exit dmaoracle_exit(void)
{
	int i;

	debugfs_remove_recursive(dir);
	pci_unregister_driver(&edu_driver);
	for (i = 0; i < DO_MAX_DEVS; i++)
		dev_release(&ctx.devs[i]);
	extents_release(&ctx);
	faults_exit();
	kvfree(ctx.data);
	kvfree(ctx.cmds);
	vfree(ctx.states);
	vfree(ctx.maps);
	vfree(ctx.rdbuf);
}

module_init(dmaoracle_init);
module_exit(dmaoracle_exit);
MODULE_DESCRIPTION("dmajournal's kernel oracle: op scripts on QEMU's edu device");
MODULE_LICENSE("GPL");
