// SPDX-License-Identifier: GPL-2.0
/*
 * vethcfg - set one offload feature of an interface, what
 * "ethtool -K IFNAME gro|tso on|off" does (ethtool itself is not among
 * the project's packages).
 *
 *   vethcfg IFNAME gro|tso on|off
 *
 * The relay benchmark turns GRO on for the veths that receive, which
 * gives them a NAPI instance that can run threaded (and be pinned to a
 * CPU and timed), and TSO off on the sender's veth, without which a veth
 * hands its frames to the peer's backlog instead of that NAPI.
 * Exit 0, 2 usage, 3 system error.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct ethtool_value ev = { 0 };
	struct ifreq ifr = { 0 };
	int fd;

	if (argc != 4 || (strcmp(argv[3], "on") && strcmp(argv[3], "off")))
		goto usage;
	if (!strcmp(argv[2], "gro"))
		ev.cmd = ETHTOOL_SGRO;
	else if (!strcmp(argv[2], "tso"))
		ev.cmd = ETHTOOL_STSO;
	else
		goto usage;
	ev.data = !strcmp(argv[3], "on");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	ifr.ifr_data = (char *)&ev;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr)) {
		perror("vethcfg");
		return 3;
	}
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: vethcfg IFNAME gro|tso on|off\n");
	return 2;
}
