#!/bin/bash
# Solved when the gallery service (unmodified, as gallery) stores a new upload that the
# thumbnailer (thumbs, group media) can read, serves the old photos, the tree belongs to
# gallery:media with setgid directories and nothing world-writable, no photo was lost or
# changed, and deploy's own files were left alone.
no() { echo "$1"; echo NO; exit 0; }
APP_SHA=929bed662bcd898ca8642730d1d71d1eeee855081608a5ac3c8be5a97fb9e9ed
U=/srv/gallery/uploads
S=/root/.breakfix/uploads.sha256
[ -s "$S" ] || no "The scenario's records are missing; restart the scenario."
[ "$(sha256sum < /opt/gallery/gallery.py | cut -d' ' -f1)" = "$APP_SHA" ] || no "/opt/gallery/gallery.py was modified; the code is fine."
systemctl is-active --quiet gallery || no "gallery is not running: 'systemctl status gallery'."
pid=$(systemctl show -p MainPID --value gallery)
tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q '/opt/gallery/gallery.py' || no "gallery.service no longer runs /opt/gallery/gallery.py."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = gallery ] || no "gallery must run as user gallery."
[ "$(stat -c %U /home/deploy/.profile 2>/dev/null)" = deploy ] || no "Files of the deploy user (uid 1001) were given away: /home/deploy is not part of the upload tree."

(cd $U && sha256sum --quiet -c "$S" >/dev/null 2>&1) || no "Some of the restored photos are missing or changed: they must all stay."
ww=$(find $U -perm -o+w 2>/dev/null | head -1)
[ -z "$ww" ] || no "$ww is world-writable: that is a security hole, not a fix. Use owner and group."
wrong=$(find $U \( ! -user gallery -o ! -group media \) -print 2>/dev/null | head -1)
[ -z "$wrong" ] || no "$wrong belongs to $(stat -c %U:%G "$wrong"); the upload tree should belong to gallery:media (see /etc/tmpfiles.d/gallery.conf)."
nosgid=$(find $U -type d ! -perm -g+s -print 2>/dev/null | head -1)
[ -z "$nosgid" ] || no "$nosgid is not setgid: files created in it will not get the group media."

# a real upload through the service
name=check-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n').jpg
tmp=$(mktemp); head -c 5000 /dev/urandom > "$tmp"
out=$(curl -s -m 3 -T "$tmp" "http://127.0.0.1:8080/upload/$name")
rel=$(echo "$out" | sed -n 's/.*"stored": "\([^"]*\)".*/\1/p')
if [ -z "$rel" ] || [ ! -f "$U/$rel" ]; then rm -f "$tmp"; no "Uploading through gallery still fails: ${out:-no answer}."; fi
f=$U/$rel
cleanup() { rm -f "$tmp" "$f"; }
g=$(stat -c %G "$f"); o=$(stat -c %U "$f")
[ "$o:$g" = gallery:media ] || { cleanup; no "A new upload is stored as $o:$g, not gallery:media: the thumbnailer can't read it."; }
if ! setpriv --reuid=thumbs --regid=thumbs --init-groups cat "$f" 2>/dev/null | cmp -s - "$tmp"; then
  m=$(stat -c '%A %U:%G' "$f"); cleanup; no "The thumbnailer (user thumbs, group media) cannot read a new upload ($m)."
fi
cleanup
# an old photo, served by gallery
old=$(shuf -n 1 "$S"); want=${old%% *}; path=${old#*  ./}
got=$(curl -s -m 3 "http://127.0.0.1:8080/files/$path" | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || no "gallery cannot serve the old photo $path."
echo OK
