#!/bin/bash
runuser -u exporter -- /usr/local/bin/nightly-export          # initialisation failed
# 1. See what it tries to open, and which call fails:
strace -f -e trace=%file -u exporter /usr/local/bin/nightly-export 2>&1 | grep -E '= -1 E(ACCES|NOENT)' | tail -5
# openat(AT_FDCWD, "/etc/nightly-export/license.key", O_RDONLY) = -1 EACCES (Permission denied)
chgrp exporter /etc/nightly-export/license.key
chmod 640 /etc/nightly-export/license.key
# 2. Next failure: openat(..., "/var/spool/nightly-export/out/export-YYYYMMDD.csv", O_WRONLY|O_CREAT|O_TRUNC, 0640) = -1 ENOENT
strace -f -e trace=%file -u exporter /usr/local/bin/nightly-export 2>&1 | grep -E '= -1 E(ACCES|NOENT)' | tail -5
install -d -o exporter -g exporter -m 750 /var/spool/nightly-export/out
runuser -u exporter -- /usr/local/bin/nightly-export
