#!/bin/bash
pid=$(systemctl show -p MainPID --value gallery)
# the app hides the error; strace shows the failing system call
( timeout 3 strace -f -e trace=%file -p "$pid" 2>&1 | grep -E 'EACCES|EPERM' | head -3 ) &
sleep 0.5; curl -s -T /etc/hostname http://127.0.0.1:8080/upload/probe.jpg; wait
ls -ln /srv/gallery/uploads | head -3; id deploy; cat /etc/tmpfiles.d/gallery.conf
# restore the layout by path (uid 1001 is a different user on this box: don't chown by uid)
U=/srv/gallery/uploads
chown -R gallery:media "$U"
find "$U" -type d -exec chmod 2770 {} +      # including .incoming: rename() keeps the group
find "$U" -type f -exec chmod 0640 {} +
out=$(curl -s -T /etc/hostname http://127.0.0.1:8080/upload/after-fix.jpg); echo "$out"
rel=$(echo "$out" | sed -n 's/.*"stored": "\([^"]*\)".*/\1/p')
ls -l "$U/$rel"
rm -f "$U/$rel"
