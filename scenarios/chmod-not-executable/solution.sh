#!/bin/bash
# chmod cannot give itself its exec bit back, but the dynamic loader can run a binary
# that lacks the exec bit: it only needs to read (mmap) it.
set -u
loader=$(ls /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1 /lib/ld-linux-armhf.so.3 2>/dev/null | head -n1)
if [ ! -x /bin/chmod ]; then
  "$loader" /bin/chmod 0755 /bin/chmod
fi
ls -l "$(readlink -f /bin/chmod)"
chmod 0755 /home/admin/deploy.sh
su - admin -c 'cd /home/admin && ./deploy.sh'
