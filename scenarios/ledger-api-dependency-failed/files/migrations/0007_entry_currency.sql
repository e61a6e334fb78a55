ALTER TABLE entries ADD COLUMN currency TEXT;
-- backfill: done in batches by migrate.py (see BACKFILL below)
-- BACKFILL entries currency 'EUR'
