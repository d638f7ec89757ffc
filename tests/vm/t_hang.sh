# t_hang.sh - harness self-test: a guest that hangs is killed by vmrun's -T
# timeout, which must exit 125. The log check proves the guest really got
# to the test before the timeout (not merely a slow boot).
# vm-args: -T 10
# vm-expect: 125
# vm-log: harness self-test: hanging
# shellcheck shell=bash

echo "harness self-test: hanging"
sleep 3600
exit 0
