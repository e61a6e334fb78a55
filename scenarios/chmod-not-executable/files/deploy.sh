#!/bin/bash
# deploy.sh - install the current build of the shop into ~/shop/releases/<timestamp>,
# fix its permissions and switch ~/shop/current over to it.
set -euo pipefail

APP=/home/admin/shop
VERSION=$(cat "$APP/build/VERSION")
REL="$APP/releases/$(date +%Y%m%d-%H%M%S)-$$"

echo "deploy: installing shop $VERSION into $REL"
mkdir -p "$REL"
cp -r "$APP/build/." "$REL/"

# the build artefacts come out of CI without modes; set them explicitly
chmod 0755 "$REL"/bin/*
chmod 0600 "$REL"/config/secrets.env
chmod 0644 "$REL"/config/app.env

"$REL/bin/healthcheck"
ln -sfn "$REL" "$APP/current"

# keep the three newest releases
ls -1dt "$APP"/releases/*/ | tail -n +4 | xargs -r rm -rf 2>/dev/null || true

echo "deploy: SUCCESS, shop $VERSION is live ($APP/current -> $REL)"
