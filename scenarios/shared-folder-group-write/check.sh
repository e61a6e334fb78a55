#!/bin/bash
# Solved when alice and bob (group analysts) can change each other's files in
# /srv/shared/reports, existing and new, created with umask 022, including new
# subdirectories; and carol (not in the group) gets no access at all.
no() { echo "$1"; echo NO; exit 0; }
R=/srv/shared/reports
[ -d "$R" ] || no "$R is missing."
for u in alice bob carol; do id "$u" >/dev/null 2>&1 || no "User $u is missing."; done
id -nG alice | tr ' ' '\n' | grep -qx analysts && id -nG bob | tr ' ' '\n' | grep -qx analysts \
  || no "alice and bob must stay in the group analysts."
id -nG carol | tr ' ' '\n' | grep -qx analysts && no "carol is not an analyst: keep her out of the group analysts."
for f in q2-summary.csv customers.csv drafts/notes.txt templates/summary-header.txt; do
  [ -f "$R/$f" ] || no "$R/$f is missing: keep the team's files."
done
ww=$(find /srv/shared -perm -o+w ! -type l 2>/dev/null | head -1)
[ -z "$ww" ] || no "$ww is writable by everyone: give the group access, not the world."

as() { local u=$1; shift; runuser -u "$u" -- bash -c "umask 022; $*" >/dev/null 2>&1; }
tok=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
cleanup() { rm -rf "$R/.chk-$tok"* "$R/drafts/.chk-$tok"* "$R/templates/.chk-$tok"*; }
trap cleanup EXIT

# existing files: each analyst edits the other's
as bob "echo >> $R/q2-summary.csv && sed -i '\$d' $R/q2-summary.csv" || no "bob cannot edit alice's existing $R/q2-summary.csv."
as alice "echo >> $R/customers.csv && sed -i '\$d' $R/customers.csv" || no "alice cannot edit bob's existing $R/customers.csv."
as alice "echo >> $R/drafts/notes.txt && sed -i '\$d' $R/drafts/notes.txt" || no "alice cannot edit bob's existing $R/drafts/notes.txt."
as alice "touch $R/drafts/.chk-$tok-a && rm $R/drafts/.chk-$tok-a" || no "alice cannot create files in bob's $R/drafts."
as bob "touch $R/templates/.chk-$tok-b && rm $R/templates/.chk-$tok-b" || no "bob cannot create files in alice's $R/templates."

# new files and folders, created with the usual umask 022
for pair in "alice bob" "bob alice"; do
  set -- $pair; a=$1; b=$2
  as "$a" "echo one > $R/.chk-$tok-$a.csv && mkdir $R/.chk-$tok-$a.d && echo one > $R/.chk-$tok-$a.d/f" \
    || no "$a cannot create files and folders in $R."
  as "$b" "echo two >> $R/.chk-$tok-$a.csv" \
    || no "A new file that $a creates (with umask 022) is not writable for $b: $(ls -l $R/.chk-$tok-$a.csv | cut -d' ' -f1,3,4)."
  as "$b" "echo two >> $R/.chk-$tok-$a.d/f && touch $R/.chk-$tok-$a.d/g" \
    || no "In a new folder that $a creates, $b cannot edit or add files."
  as carol "cat $R/.chk-$tok-$a.csv" && no "carol (not an analyst) can read the team's new files."
done
as carol "ls $R" && no "carol (not an analyst) can list $R."
as carol "cat $R/q2-summary.csv" && no "carol (not an analyst) can read $R/q2-summary.csv."
echo OK
