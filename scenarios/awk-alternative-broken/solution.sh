#!/bin/bash
runuser -u reports -- /usr/local/bin/traffic-report /var/log/edge/traffic.log   # function asort never defined: not gawk
ls -l /usr/bin/awk                     # a regular file, a copy of mawk
update-alternatives --display awk      # manual mode, mawk; gawk not even listed
dpkg --verify gawk | grep bin/         # /usr/bin/gawk missing
# 1. Restore gawk's files from its package (offline: the .deb is still in apt's cache).
dpkg -i /var/cache/apt/archives/gawk_*.deb
# 2. Remove the hand-made copy so update-alternatives may put its symlink back,
# 3. and return the group to auto mode (gawk has the higher priority).
rm -f /usr/bin/awk
update-alternatives --auto awk
ls -l /usr/bin/awk /etc/alternatives/awk /usr/bin/nawk
runuser -u reports -- /usr/local/bin/traffic-report /var/log/edge/traffic.log
