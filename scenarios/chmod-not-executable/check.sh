#!/bin/bash
# Solved when /bin/chmod is the original binary, executable by everyone and working, and
# /home/admin/deploy.sh is unchanged, executable and runs successfully as admin.
verdict() { [ -n "$1" ] && echo "$1"; echo "$2"; exit 0; }
STATE=/var/lib/breakfix-state

chmod_path=$(readlink -f /bin/chmod)
[ -f "$chmod_path" ] && [ ! -L /usr/bin/chmod ] || verdict "/bin/chmod is missing or not a regular file any more." NO
want=$(cut -d' ' -f1 "$STATE/chmod.sha256" 2>/dev/null)
have=$(sha256sum "$chmod_path" | cut -d' ' -f1)
dpkg_md5=$(awk '$2 == "bin/chmod" || $2 == "usr/bin/chmod" {print $1; exit}' /var/lib/dpkg/info/coreutils.md5sums 2>/dev/null)
have_md5=$(md5sum "$chmod_path" | cut -d' ' -f1)
[ -n "$want" ] && [ "$have" = "$want" ] && [ -n "$dpkg_md5" ] && [ "$have_md5" = "$dpkg_md5" ] \
  || verdict "/bin/chmod is not the original coreutils binary any more (compare: dpkg --verify coreutils)." NO
[ -x "$chmod_path" ] || verdict "/bin/chmod is still not executable." NO
[ "$(stat -c '%a %U %G' "$chmod_path")" = "755 root root" ] \
  || verdict "/bin/chmod should be mode 755, owned by root:root, like the rest of /usr/bin (it is $(stat -c '%a %U:%G' "$chmod_path"))." NO
tf=$(mktemp)
/bin/chmod 0604 "$tf" 2>/dev/null; mode=$(stat -c %a "$tf"); rm -f "$tf"
[ "$mode" = 604 ] || verdict "/bin/chmod still does not work." NO

D=/home/admin/deploy.sh
[ -f "$D" ] || verdict "/home/admin/deploy.sh is missing." NO
want=$(cut -d' ' -f1 "$STATE/deploy.sha256" 2>/dev/null)
[ -n "$want" ] && [ "$(sha256sum "$D" | cut -d' ' -f1)" = "$want" ] \
  || verdict "/home/admin/deploy.sh has been modified: only its permissions needed fixing." NO
su -s /bin/bash admin -c "test -x $D" || verdict "/home/admin/deploy.sh is still not executable for admin." NO
out=$(cd /home/admin && timeout 6 su -s /bin/bash admin -c "cd /home/admin && ./deploy.sh" 2>&1)
grep -q '^deploy: SUCCESS' <<<"$out" || verdict "./deploy.sh does not succeed yet: $(tail -n1 <<<"$out")" NO
verdict "" OK
