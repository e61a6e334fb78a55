#!/bin/bash
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get -s upgrade            # 0 upgraded: nothing to do? ask apt why
apt-cache policy invoicer     # candidate 1.0.3 at priority 1001: a pin
grep -r . /etc/apt/preferences.d/
rm /etc/apt/preferences.d/invoicer
apt-mark showhold             # and a hold on top
apt-mark unhold invoicer
apt-get install -y invoicer   # or: apt-get upgrade -y
invoicer --version
