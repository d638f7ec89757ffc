#!/bin/bash
# vmrun.sh - run a test script inside a throwaway QEMU (TCG) VM that boots
# the newest installed Debian kernel, and exit with the test's exit status.
#
# usage: scripts/vmrun.sh [options] TEST_SCRIPT
#   -b BIN        copy host binary BIN (path, or name in $PATH) to /usr/bin,
#                 with the shared libraries ldd lists (not dlopen'ed ones)
#   -m MODNAME    copy host kernel module MODNAME (e.g. veth) and its deps
#   -k FILE.ko    copy an out-of-tree module to /lib/modules/$KVER/extra
#                 (depmod'ed: modprobe NAME works)
#   -f SRC:DST    copy host file or directory SRC to DST in the guest
#   -H            host-root mode: guest root = host / over 9p (read-only)
#                 under a tmpfs overlay, so every host binary/lib is usable
#   -M MEM        guest RAM (default 512M)
#   -T SECS       wall-clock timeout for QEMU (default 120)
#   -S SMP        guest vCPUs (default 1)
#   -A "ARGS"     extra kernel command line
#   -O DIR        share host DIR read-write with the guest at /out (9p)
#   -K            keep the staging dir and initrd (prints the path)
#   -h            this help
# env: KVER         guest kernel (default: newest /boot/vmlinuz-V that has
#                   /lib/modules/V/kernel; never the host's uname -r)
#      VMRUN_LOG    file that gets a copy of the console output
#      VMRUN_CACHE  where the extracted vmlinux is kept
#                   (default $HOME/.cache/trunkline-vm)
#
# The test runs under bash as root in the guest; its console output (with
# kernel messages) streams to stdout, vmrun's own messages go to stderr.
# Exit status: the test's exit status; 125 = no result (kernel panic or oops
# - the guest runs with oops=panic - or -T timeout); 126 = bootstrap failure
# (bad usage, staging the initramfs failed, or host-root mounts failed in
# the guest). Tests should therefore not exit 125 or 126 themselves.
set -Eeuo pipefail

die() {
	echo "vmrun: $*" >&2
	exit 126
}
trap 'echo "vmrun: bootstrap failed at line $LINENO: $BASH_COMMAND" >&2
	exit 126' ERR

usage() {
	sed -n '2,/^set -E/{/^set -E/d;s/^# \{0,1\}//;p}' "$0"
}

MEM=512M TMO=120 SMP=1 EXTRA="" KEEP=0 HOSTROOT=0 OUTDIR=""
BINS=() MODS=() KOS=() FILES=()
while getopts "b:m:k:f:HM:T:S:A:O:Kh" o; do
	case $o in
	b) BINS+=("$OPTARG") ;;
	m) MODS+=("$OPTARG") ;;
	k) KOS+=("$OPTARG") ;;
	f) FILES+=("$OPTARG") ;;
	H) HOSTROOT=1 ;;
	M) MEM=$OPTARG ;;
	T) TMO=$OPTARG ;;
	S) SMP=$OPTARG ;;
	A) EXTRA=$OPTARG ;;
	O) OUTDIR=$OPTARG ;;
	K) KEEP=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 126 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { usage >&2; die "exactly one TEST_SCRIPT expected"; }
TEST=$1
[ -f "$TEST" ] || die "no test script $TEST"
for k in "${KOS[@]}"; do
	[ -f "$k" ] || die "no module file $k"
done
for f in "${FILES[@]}"; do
	case $f in
	?*:/?*) [ -e "${f%%:*}" ] || die "-f $f: no such file ${f%%:*}" ;;
	*) die "-f $f: expected SRC:/ABSOLUTE/DST" ;;
	esac
done
[[ $TMO =~ ^[0-9]+$ ]] || die "-T $TMO: seconds expected"
[[ $SMP =~ ^[0-9]+$ ]] || die "-S $SMP: vCPU count expected"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing"
[ -x /bin/busybox ] || die "/bin/busybox missing (busybox-static)"

# --- guest kernel ----------------------------------------------------------
# The newest installed Debian kernel with a module tree. The host's running
# kernel is irrelevant (it may have no module support at all).
if [ -z "${KVER:-}" ]; then
	KVER=
	for d in /lib/modules/*/; do
		v=$(basename "$d")
		[ -e "/boot/vmlinuz-$v" ] || continue
		[ -d "/lib/modules/$v/kernel" ] || continue
		if [ -z "$KVER" ] ||
		   [ "$(printf '%s\n%s\n' "$KVER" "$v" | sort -V | tail -n1)" = "$v" ]; then
			KVER=$v
		fi
	done
fi
[ -n "$KVER" ] || die "no /boot/vmlinuz-V with /lib/modules/V/kernel found"
VMLINUZ=/boot/vmlinuz-$KVER
MD=/lib/modules/$KVER
[ -r "$VMLINUZ" ] || die "$VMLINUZ missing or unreadable"
[ -d "$MD/kernel" ] || die "$MD/kernel missing"

# Boot the uncompressed ELF vmlinux (PVH entry point, CONFIG_PVH=y): under
# TCG the bzImage's own xz decompression costs ~2.5 s per boot. Extract it
# once per kernel and cache it; re-extract if the image is newer.
CACHE=${VMRUN_CACHE:-$HOME/.cache/trunkline-vm}
KERNEL=$CACHE/vmlinux-$KVER
if [ ! -s "$KERNEL" ] || [ "$VMLINUZ" -nt "$KERNEL" ]; then
	mkdir -p "$CACHE"
	tmp=$(mktemp "$KERNEL.XXXXXX")
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | head -n1 |
		cut -d: -f1 || true)
	# tail gets SIGPIPE when xz stops at the end of the stream: no pipefail
	if [ -n "$off" ] &&
	   (set +o pipefail; tail -c +$((off + 1)) "$VMLINUZ" |
		xz -dc --single-stream >"$tmp") &&
	   [ "$(head -c4 "$tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
		chmod 644 "$tmp"
		mv -f "$tmp" "$KERNEL"
	else
		rm -f "$tmp"
		echo "vmrun: cannot extract vmlinux, booting the bzImage" >&2
		KERNEL=$VMLINUZ
	fi
fi

# --- staging ---------------------------------------------------------------
W=$(mktemp -d "${TMPDIR:-/tmp}/vmrun.XXXXXX")
R=$W/root
if [ "$KEEP" = 1 ]; then
	echo "vmrun: keeping $W" >&2
else
	trap 'rm -rf "$W"' EXIT
fi
mkdir -p "$R"/{bin,sbin,dev,proc,sys,run,tmp,etc,root,var,usr/bin,usr/sbin}
mkdir -p "$R$MD/extra"
ln -s ../run "$R/var/run"

# busybox-static, applets as symlinks
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"
done

# copy_bin BIN [DIR]: host binary into the guest with its ldd libraries,
# which keep their host paths (ld.so's path is baked into the binary)
copy_bin() {
	local b=$1 dir=${2:-/usr/bin} p libs l

	p=$(command -v "$b" || true)
	[ -n "$p" ] || die "no binary $b"
	p=$(readlink -f "$p")
	cp -L "$p" "$R$dir/$(basename "$b")"
	libs=$(ldd "$p" 2>/dev/null | grep -o '/[^ ]*' || true)
	for l in $libs; do
		[ -e "$l" ] && [ ! -e "$R$l" ] && cp -L --parents "$l" "$R/"
	done
	return 0
}
# bash runs the test: busybox-static's ash is built with SH_STANDALONE, so
# its applets (ip, modprobe, ...) would shadow the host binaries in $PATH
copy_bin bash
for b in "${BINS[@]}"; do
	copy_bin "$b"
done

# kernel modules: -m NAME with everything modprobe would load first
# (including softdeps), -k files into extra/
[ "$HOSTROOT" = 1 ] && MODS+=(virtio_pci 9pnet_virtio 9p overlay)
[ -n "$OUTDIR" ] && MODS+=(virtio_pci 9pnet_virtio 9p)
for m in "${MODS[@]}"; do
	deps=$(modprobe -S "$KVER" --show-depends "$m") ||
		die "no module $m for $KVER"
	while read -r ko; do
		[ -e "$R$ko" ] || cp --parents "$ko" "$R/"
	done < <(awk '$1 == "insmod" { print $2 }' <<<"$deps")
done
if [ "$HOSTROOT" = 1 ] && [ ${#KOS[@]} -gt 0 ]; then
	# -k in host-root mode: depmod over 9p in the guest takes ~40 s under
	# TCG, so depmod here over a symlink farm of the host module tree plus
	# extra/, and ship extra/ and the fresh modules.* indexes
	DR=$W/depmod$MD
	mkdir -p "$DR/extra"
	for f in "$MD"/*; do
		case $f in
		*/modules.*) ;;
		*) ln -s "$f" "$DR/" ;;
		esac
	done
	cp "$MD"/modules.builtin* "$MD/modules.order" "$DR/"
	cp "${KOS[@]}" "$DR/extra/"
	depmod -b "$W/depmod" -F "/boot/System.map-$KVER" "$KVER"
	HMD=$R/files$(readlink -f "$MD")
	mkdir -p "$HMD"
	cp -r "$DR/extra" "$HMD/"
	find "$DR" -maxdepth 1 -type f -name 'modules.*' -exec cp {} "$HMD/" \;
elif [ ${#KOS[@]} -gt 0 ]; then
	cp "${KOS[@]}" "$R$MD/extra/"
fi
if [ ${#MODS[@]} -gt 0 ] || [ ${#KOS[@]} -gt 0 ]; then
	cp "$MD"/modules.builtin* "$MD/modules.order" "$R$MD/"
	depmod -b "$R" -F "/boot/System.map-$KVER" "$KVER"
	# kmod's modprobe, unlike busybox's, honours softdeps
	copy_bin kmod
	for t in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sf ../bin/kmod "$R/usr/sbin/$t"
	done
fi

# extra files; in host-root mode they are staged in /files and copied into
# the overlay by /init. Destination dirs are resolved against the host's
# symlinks there (merged /usr: /lib -> usr/lib), or copying /files/lib/...
# would replace the overlay's /lib symlink with a directory.
FD=$R
[ "$HOSTROOT" = 1 ] && FD=$R/files
for f in "${FILES[@]}"; do
	src=${f%%:*} dst=${f#*:}
	dd=$(dirname "$dst")
	[ "$HOSTROOT" = 1 ] && dd=$(readlink -m "$dd")
	mkdir -p "$FD$dd"
	cp -a "$src" "$FD$dd/$(basename "$dst")"
done
cp "$TEST" "$R/test.sh"
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
echo "root:x:0:" >"$R/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$R/etc/hosts"

# --- /init: mount, run the test, report on ttyS1, power off ------------------
cat >"$R/init" <<'EOF'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
report() {
	echo "=== vmtest: end $(cut -d' ' -f1 /proc/uptime)s, RESULT=$1"
	echo "RESULT=$1" >/dev/ttyS1
	sync
	poweroff -f
}
ROOT=
if grep -q vmtest_hostroot /proc/cmdline; then
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		/usr/sbin/modprobe $m || report 126
	done
	mkdir -p /lower /upper /newroot
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose \
		hostroot /lower || report 126
	mount -t tmpfs tmpfs /upper
	mkdir -p /upper/u /upper/w
	mount -t overlay overlay \
		-o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot ||
		report 126
	ROOT=/newroot
	mount -t proc proc $ROOT/proc
	mount -t sysfs sys $ROOT/sys
	mount -t devtmpfs dev $ROOT/dev
	# module autoload (request_module) runs in PID 1's root: hop into
	# the overlay, where the host's module tree and modprobe are
	printf '#!/bin/sh\nexec /bin/chroot /newroot /sbin/modprobe "$@"\n' \
		>/sbin/vmtest-modprobe
	chmod +x /sbin/vmtest-modprobe
	echo /sbin/vmtest-modprobe >/proc/sys/kernel/modprobe
elif [ -x /usr/bin/kmod ]; then
	echo /usr/sbin/modprobe >/proc/sys/kernel/modprobe
fi
mkdir -p $ROOT/dev/pts $ROOT/dev/shm
mount -t devpts devpts $ROOT/dev/pts
mount -t tmpfs tmpfs $ROOT/run
# initramfs: a fresh /tmp; host-root: /tmp stays the overlay's view of the
# host's /tmp (writes go to the tmpfs upper layer)
[ -z "$ROOT" ] && mount -t tmpfs tmpfs /tmp
[ -d /files ] && cp -a /files/. $ROOT/
if grep -q vmtest_out /proc/cmdline; then
	for m in virtio_pci 9pnet_virtio 9p; do
		/usr/sbin/modprobe $m || report 126
	done
	mkdir -p $ROOT/out
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out $ROOT/out ||
		report 126
fi
cp /test.sh $ROOT/tmp/.vmtest.sh
chroot ${ROOT:-/} /bin/sh -c 'ip link set lo up 2>/dev/null ||
	ifconfig lo 127.0.0.1 up'
echo "=== vmtest: start $(cut -d' ' -f1 /proc/uptime)s"
chroot ${ROOT:-/} env -i PATH=$PATH HOME=/root TERM=dumb VMTEST=1 \
	/usr/bin/bash -c 'cd /root 2>/dev/null || cd /; exec bash /tmp/.vmtest.sh'
report $?
EOF
chmod +x "$R/init"

# uncompressed: the kernel would gunzip it under TCG, slower than QEMU
# loading a few more MB
(cd "$R" && find . | cpio -o -H newc -R 0:0 --quiet) >"$W/initrd.cpio"
echo "vmrun: $KVER, initrd $(du -h "$W/initrd.cpio" | cut -f1)" >&2

# --- boot ------------------------------------------------------------------
QARGS=()
if [ -n "$OUTDIR" ]; then
	mkdir -p "$OUTDIR"
	OUTDIR=$(cd "$OUTDIR" && pwd)
	QARGS+=(-virtfs "local,path=$OUTDIR,mount_tag=out,security_model=none")
	EXTRA="vmtest_out $EXTRA"
fi
if [ "$HOSTROOT" = 1 ]; then
	QARGS+=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none")
	QARGS[-1]+=",readonly=on,multidevs=remap"
	EXTRA="vmtest_hostroot $EXTRA"
fi
: >"$W/result"

CMDLINE="console=ttyS0 quiet loglevel=4 panic=-1 oops=panic"
CMDLINE+=" cryptomgr.notests rdinit=/init"

trap - ERR
set +e
t0=$EPOCHREALTIME
# No NIC (-nodefaults): guest traffic can never leave the VM. ttyS0 is the
# console, ttyS1 only carries RESULT=N, never mixed with kernel messages.
# panic=-1 + -no-reboot: a panic (and, with oops=panic, an oops) ends QEMU.
# cryptomgr.notests skips the crypto self-tests (~0.5 s of TCG boot time).
timeout --foreground -k 5 "$TMO" qemu-system-x86_64 \
	-nodefaults -no-user-config -display none -no-reboot \
	-machine q35 -cpu max -smp "$SMP" -m "$MEM" \
	-kernel "$KERNEL" -initrd "$W/initrd.cpio" \
	-append "$CMDLINE $EXTRA" \
	"${QARGS[@]}" -serial stdio -serial "file:$W/result" </dev/null |
	tee "${VMRUN_LOG:-/dev/null}"
qrc=${PIPESTATUS[0]}
t1=$EPOCHREALTIME
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')

res=$(sed -n 's/^RESULT=\([0-9][0-9]*\).*/\1/p' "$W/result" | head -n1)
if [ -z "$res" ]; then
	why="qemu rc=$qrc"
	[ "$qrc" = 124 ] && why="timeout after ${TMO}s"
	echo "vmrun: no RESULT from guest ($why): panic, oops or hang" >&2
	echo "vmrun: boot-to-result - (no result, qemu ran ${secs}s)" >&2
	exit 125
fi
echo "vmrun: RESULT=$res, boot-to-result ${secs}s (qemu start to exit)" >&2
exit "$res"
