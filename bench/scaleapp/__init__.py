"""A company app of bench/migrate.py's only: its second migration adds a column and an index
to a busy table (the points ledger) in every company schema. Which migrations exist is chosen
by BENCH_MIGRATION_STATE (bench/migrate_settings.py): "before" has the first, "after" both."""
