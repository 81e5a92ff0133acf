#!/usr/bin/env bash
# The README's test command: installs what the specs need, then runs every spec (fast specs and
# integration specs against real tar, gpg, MariaDB and an S3 server, all started on 127.0.0.1 by
# the specs' fixtures). Prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet build Backup.slnx -c Release -nologo -clp:ErrorsOnly || exit 1
for project in tests/Backup.Tests tests/Backup.IntegrationTests; do
  name=$(basename "$project")
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" || status=1
done

# Sum the counters of every TRX file for the closing line CI reads.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || { status=1; continue; }
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { local v; v=$(printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"); echo "${v:-0}"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
