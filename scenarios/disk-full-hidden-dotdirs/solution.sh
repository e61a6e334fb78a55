#!/bin/bash
df -h /srv/data
du -sh /srv/data/app/*            # the glob skips dot-directories: only ~12M of 32M
du -ah /srv/data | sort -rh | head  # without a glob, du sees everything
rm -rf /srv/data/.crash/core.loader.* /srv/data/app/.pre-migration-2025-10
df -h /srv/data
sleep 6; tail -3 /var/log/ingest/ingest.log
