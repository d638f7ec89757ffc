// SPDX-License-Identifier: GPL-2.0
/*
 * trunkline_probe - a trivial module that proves Trunkline's Kbuild and the
 * vm test tier work end to end: it builds against the Debian kernel headers,
 * loads in the QEMU guest, exposes state the guest test can check, and
 * unloads without leaving anything behind.
 *
 * On load it hashes its "seed" parameter (FNV-1a, 32 bit, over the four
 * little-endian bytes of the seed) and publishes the result in
 * /sys/kernel/trunkline_probe/digest and in one log line. The guest test
 * computes the same hash in the shell and compares.
 */

#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#define TL_FNV32_OFFSET	0x811c9dc5U
#define TL_FNV32_PRIME	0x01000193U

static unsigned int seed = 2024;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "value hashed into /sys/kernel/trunkline_probe/digest");

static struct kobject *tl_probe_kobj;
static u32 tl_probe_digest;

static u32 tl_probe_fnv1a(u32 v)
{
	u32 h = TL_FNV32_OFFSET;
	int i;

	for (i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= TL_FNV32_PRIME;
	}
	return h;
}

static ssize_t digest_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", tl_probe_digest);
}

static struct kobj_attribute tl_probe_digest_attr = __ATTR_RO(digest);

static struct attribute *tl_probe_attrs[] = {
	&tl_probe_digest_attr.attr,
	NULL,
};

static const struct attribute_group tl_probe_group = {
	.attrs = tl_probe_attrs,
};

static int __init tl_probe_init(void)
{
	int err;

	/* seed is read-only (0444), so the digest cannot go stale */
	tl_probe_digest = tl_probe_fnv1a(seed);

	tl_probe_kobj = kobject_create_and_add("trunkline_probe", kernel_kobj);
	if (!tl_probe_kobj)
		return -ENOMEM;

	err = sysfs_create_group(tl_probe_kobj, &tl_probe_group);
	if (err)
		goto err_put_kobj;

	pr_info("loaded: seed=%u digest=0x%08x\n", seed, tl_probe_digest);
	return 0;

err_put_kobj:
	kobject_put(tl_probe_kobj);
	return err;
}

static void __exit tl_probe_exit(void)
{
	sysfs_remove_group(tl_probe_kobj, &tl_probe_group);
	kobject_put(tl_probe_kobj);
	pr_info("unloaded\n");
}

module_init(tl_probe_init);
module_exit(tl_probe_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Trunkline developers");
MODULE_DESCRIPTION("Trunkline build and vm-tier probe module");
