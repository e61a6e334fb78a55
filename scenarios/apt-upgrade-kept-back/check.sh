#!/bin/bash
# Solved when invoicer 1.1.0 from the billing repository is installed, no longer held,
# apt would keep it (no pin forcing a downgrade), and the program reports 1.1.0.
no() { echo "$1"; echo NO; exit 0; }
BIN_SHA=8db1ece6ffdb2de71352c22c93f43d1c49ef84a127db21772fd1d2585c42891b

st=$(dpkg-query -W -f='${Status} ${Version}' invoicer 2>/dev/null)
case "$st" in
  "hold ok installed "*) no "invoicer is still on hold (apt-mark showhold)." ;;
  "install ok installed 1.1.0") ;;
  "install ok installed "*) no "invoicer is installed in version ${st##* }, not 1.1.0 (apt-cache policy invoicer)." ;;
  "") no "invoicer is not installed." ;;
  *) no "dpkg reports invoicer as '$st'." ;;
esac
apt-mark showhold 2>/dev/null | grep -qx invoicer && no "invoicer is still on hold (apt-mark showhold)."
[ "$(sha256sum < /usr/bin/invoicer | cut -d' ' -f1)" = "$BIN_SHA" ] \
  || no "/usr/bin/invoicer is not the program from the invoicer 1.1.0 package."
dpkg --verify invoicer >/dev/null 2>&1 && [ -z "$(dpkg --verify invoicer 2>&1)" ] \
  || no "dpkg --verify invoicer reports changed files."
v=$(runuser -u admin -- invoicer --version 2>&1)
[ "$v" = "invoicer 1.1.0 (templates: v2)" ] || no "'invoicer --version' says: $v"

# apt's view must agree: 1.1.0 is the candidate, and an upgrade would not take it back.
cand=$(apt-cache policy invoicer 2>/dev/null | awk '/Candidate:/ {print $2}')
[ "$cand" = 1.1.0 ] || no "apt-cache policy invoicer: apt's candidate is $cand, so the next 'apt-get upgrade' would change invoicer again (look at /etc/apt/preferences.d)."
# a pin that favours one version (even 1.1.0) would keep the next release back
prios=$(apt-cache policy invoicer 2>/dev/null | awk '/^ +(\*\*\* )?[0-9][^ ]* -?[0-9]+$/ {print $NF}' | sort -u)
[ "$(echo "$prios" | wc -l)" -eq 1 ] || no "apt-cache policy invoicer: the versions have different priorities ($(echo $prios)), so a pin still favours one version and would keep the next release back (look at /etc/apt/preferences.d)."
plan=$(apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | grep -E '^(Inst|Remv) invoicer')
[ -z "$plan" ] || no "'apt-get -s dist-upgrade' would change invoicer again: $plan"
echo OK
