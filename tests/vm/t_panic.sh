# t_panic.sh - harness self-test: a guest whose kernel panics never reports
# a result, so vmrun must exit 125 (and fast: panic=-1 ends QEMU at once).
# vm-expect: 125
# vm-log: harness self-test: crashing the kernel
# vm-log: Kernel panic - not syncing
# shellcheck shell=bash

echo "harness self-test: crashing the kernel"
echo c >/proc/sysrq-trigger
# not reached; if it were, 0 would make the runner report FAIL
sleep 5
exit 0
