# t_exit3.sh - harness self-test: the guest test's exit status (here 3)
# must come back as vmrun's exit status.
# vm-expect: 3
# vm-log: harness self-test: exiting 3
# shellcheck shell=bash

echo "harness self-test: exiting 3"
exit 3
