#!/usr/bin/env bash
# Makes the upgrade fixtures: for every schema version Pista shipped, a
# small SQLite database and a PostgreSQL dump filled by that version's own
# `pista demo` (or, before the demo existed, its own migrations). Run it
# from the repository root when a release adds a migration:
#   PG=postgres://postgres@127.0.0.1:5432/test?sslmode=disable internal/store/testdata/upgrade/make.sh
# The upgrade test (TestUpgradeFromEveryVersion) migrates each to today's schema.
set -euo pipefail
out="$(pwd)/internal/store/testdata/upgrade"
pg="${PG:?set PG to a PostgreSQL URL to dump from}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; git worktree prune' EXIT
# version → the last commit before the next migration was added
# a710c40 is the last commit at schema version 007, before this release's migrations.
for m in 002_external_id 003_imports 004_waterfall 005_webhooks 007_import_rows a710c40; do
  if [ "$m" = a710c40 ]; then commit=a710c40; else commit=$(git log --diff-filter=A --format=%H -- "internal/store/migrations/sqlite/$m.sql" | tail -1)^; fi
  src="$tmp/src"; rm -rf "$src"; git worktree add -q --detach "$src" "$commit"
  version=$(ls "$src/internal/store/migrations/sqlite" | sort | tail -1 | cut -d_ -f1)
  [ -f "$out/v$version.db" ] && { git worktree remove --force "$src"; continue; }
  (cd "$src" && go build -o "$tmp/pista" ./cmd/pista)
  db="$tmp/v$version.db"; rm -f "$db"*
  if (cd "$src" && grep -q '"demo"' cmd/pista/main.go); then
    "$tmp/pista" demo --db "$db" --leads 40 --seed 7 >/dev/null
    schema="fx_v$version"
    psql -q "$pg" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
    "$tmp/pista" demo --db "$pg&search_path=$schema" --leads 40 --seed 7 >/dev/null
    pg_dump --schema="$schema" --no-owner --no-privileges --inserts "$pg" | sed "s/$schema\./FIXTURE_SCHEMA./g" \
      | grep -v -e '^SET ' -e '^SELECT pg_catalog' -e "^CREATE SCHEMA" -e '^--' -e '^\\' | sed '/^$/N;/^\n$/D' > "$out/v$version.pg.sql"
    psql -q "$pg" -c "DROP SCHEMA $schema CASCADE"
  else
    "$tmp/pista" migrate --db "$db" >/dev/null
  fi
  sqlite3 "$db" "VACUUM INTO '$out/v$version.db'" 2>/dev/null || cp "$db" "$out/v$version.db"
  git worktree remove --force "$src"
done
ls -la "$out"
