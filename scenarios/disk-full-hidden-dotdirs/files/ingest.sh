#!/bin/bash
# ingest: every few seconds, store a new batch of records on the data filesystem.
data=/srv/data/app
while true; do
  batch=$(date +%Y%m%d-%H%M%S)
  if head -c 262144 /dev/urandom > "$data/incoming/.batch-$batch.tmp" 2>>/var/log/ingest/ingest.log \
     && mv "$data/incoming/.batch-$batch.tmp" "$data/incoming/batch-$batch.dat"; then
    echo "$(date -Is) stored batch-$batch.dat" >> /var/log/ingest/ingest.log
    # keep the last 8 batches in incoming/, older ones are picked up by the loader
    ls -1t "$data"/incoming/batch-*.dat 2>/dev/null | tail -n +9 | xargs -r rm -f
  else
    rm -f "$data/incoming/.batch-$batch.tmp"
    echo "$(date -Is) ERROR batch-$batch failed: cannot write to $data/incoming" >> /var/log/ingest/ingest.log
  fi
  sleep 5
done
