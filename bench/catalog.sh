#!/usr/bin/env bash
# Catalog benchmark: a series of 10,000 artifacts of one item in s3rver (one real directory artifact,
# copied to 10,000 back-dated keys with their manifests, as 10,000 hourly runs would leave them), then
# the time and peak RSS of what must not grow with history (restore --at latest, verify --latest) beside
# what reads every manifest (list, prune --dry-run, prune). Shared, noisy machine: compare rows of one run.
#
# usage: bench/catalog.sh [ARTIFACTS] [ROUNDS]      defaults 10000 and 2
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
rounds=${2:-2}

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup backup-catalog

mkdir -p "$work/data" && cp -r /usr/share/doc/bash "$work/data/" 2>/dev/null || echo "some text" > "$work/data/file.txt"
cat > "$work/catalog.yaml" <<YAML
sources:
  directories:
    docs:
      path: $work/data
      compress: gzip
      destination: s3
      retention: { keep_daily: 7, keep_weekly: 4, keep_monthly: 12, timezone: UTC }
      prune: false
$(store_and_key_yaml)
YAML
config=$work/catalog.yaml
"$backup" run --config "$config" --json > "$work/run.json"
key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["artifacts"][0]["key"])' "$work/run.json")
aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp "s3://bench/tool/$key" "$work/artifact" --quiet
aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp "s3://bench/tool/$key.manifest.json" "$work/manifest.json" --quiet

# 10,000 hourly copies before the real one, each with its own manifest (key and time rewritten).
python3 - "$work" "$key" "$count" <<'PY'
import json, os, shutil, sys, datetime
work, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
manifest = json.load(open(os.path.join(work, "manifest.json")))
folder, name = key.rsplit("/", 1)
item = folder.split("/")[1]
ext = name[name.index(".tar"):]
newest = datetime.datetime.fromisoformat(manifest["created"].replace("Z", "+00:00"))
os.makedirs(os.path.join(work, "seed", folder))
for i in range(1, count + 1):
    created = newest - datetime.timedelta(hours=i)
    stamp = created.strftime("%Y%m%dT%H%M%S.") + f"{created.microsecond // 1000:03d}Z"
    copy = f"{folder}/{item}-{stamp}{ext}"
    shutil.copyfile(os.path.join(work, "artifact"), os.path.join(work, "seed", copy))
    manifest.update(key=copy, created=created.isoformat().replace("+00:00", "Z"))
    with open(os.path.join(work, "seed", copy + ".manifest.json"), "w") as f:
        json.dump(manifest, f)
PY
echo "seeding $count artifacts ($((2 * count)) objects) into s3rver..." >&2
aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --recursive "$work/seed/" s3://bench/tool/ --quiet

row() { # label measure-output
  printf '%-38s %8s s %8s MB\n' "$1" "${2%% *}" "$(( ${2##* } / 1024 ))"
}
echo "series of $((count + 1)) artifacts of one item in s3rver; best of $rounds"
row "restore --at latest (1 manifest read)" "$(measure "$backup" restore docs --to "$work/restored" --force --config "$config")"
row "verify --latest (1 manifest read)" "$(measure "$backup" verify --latest --config "$config")"
row "list (every manifest read)" "$(measure "$backup" list --config "$config")"
row "prune --dry-run (every manifest read)" "$(measure "$backup" prune --dry-run --config "$config")"
rounds=1
row "prune (deletes all but what is kept)" "$(measure "$backup" prune --config "$config")"
kept=$("$backup" list --config "$config" 2>/dev/null | tail -n +2 | wc -l)
echo "kept after prune: $kept"
row "restore --at latest after prune" "$(measure "$backup" restore docs --to "$work/restored" --force --config "$config")"
