#!/usr/bin/env bash
# Benchmark harness: backs up one real directory tree with `backup` and with the reference shell
# pipelines (../shared/bench/reference-pipelines.sh), side by side in the same run, against the same
# local S3 server and gpg key, and prints time and peak-RSS ratios. Machines here are shared and noisy:
# only the ratios within one run mean something, so each pair runs back to back, best of N.
#
# usage: bench/run.sh [DIR] [ROUNDS]        DIR defaults to the .NET SDK folder, ROUNDS to 2
#        bench/run.sh --memory [GIB...]     peak RSS of backup on a growing stream (default 1 5 GiB)
# Needs: what scripts/install-test-deps.sh installs, plus pigz and the AWS CLI for the references.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shared/ sits beside the main checkout; a worktree under wt/ is one level deeper.
reference=${REFERENCE_PIPELINES:-}
for candidate in "$root/../shared/bench/reference-pipelines.sh" "$root/../../shared/bench/reference-pipelines.sh"; do
  [ -z "$reference" ] && [ -f "$candidate" ] && reference=$candidate
done
[ -f "${reference:-}" ] || { echo "reference-pipelines.sh not found: set REFERENCE_PIPELINES" >&2; exit 2; }

scripts/install-test-deps.sh >/dev/null
# The reference pipelines also need pigz, the AWS CLI and GNU time (for peak RSS).
missing=()
command -v pigz >/dev/null || missing+=(pigz)
command -v aws >/dev/null || missing+=(awscli)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
dotnet build src/Backup.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
backup=$root/src/Backup.Cli/bin/Release/net10.0/backup

work=$(mktemp -d /tmp/backup-bench.XXXXXX)
cleanup() {
  [ -n "${s3pid:-}" ] && kill "$s3pid" 2>/dev/null || true
  gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A local S3 server (the same one the integration specs use) and a throwaway keyring.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/s3" "$work/gnupg" && chmod 700 "$work/gnupg"
node node_modules/s3rver/bin/s3rver.js --address 127.0.0.1 --port "$port" --directory "$work/s3" --silent >/dev/null &
s3pid=$!
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$port GNUPGHOME=$work/gnupg
for _ in $(seq 50); do aws --endpoint-url "$AWS_ENDPOINT_URL" s3 mb s3://bench >/dev/null 2>&1 && break; sleep 0.2; done
gpg --batch --passphrase '' --quick-gen-key 'Bench <bench@example.com>' future-default default never 2>/dev/null
rcpt=bench@example.com

config() { # compress source-dir
  cat > "$work/$1.yaml" <<YAML
sources:
  directories:
    bench-$1:
      path: $2
      compress: $1
      encryption: key
      destination: s3
destinations:
  s3:
    method: s3
    S3_BUCKET: bench
    prefix: tool
    endpoint: $AWS_ENDPOINT_URL
encryptions:
  key:
    method: gpg
    recipient: $rcpt
    gnupg_home: $work/gnupg
YAML
  echo "$work/$1.yaml"
}

# measure NAME COMMAND... → prints "seconds maxrss_kb" of the best (fastest) of $rounds runs
measure() {
  local best="" line
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "failed: $*" >&2; exit 1; }
    line=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  echo "$best"
}

if [ "${1:-}" = "--memory" ]; then
  shift
  rounds=1
  printf '%-28s %10s %12s\n' "stream (zstd+gpg+s3)" "seconds" "peak RSS MB"
  for gib in "${@:-1 5}"; do
    for g in $gib; do
      mkdir -p "$work/mem$g" && truncate -s "${g}G" "$work/mem$g/zeros"   # sparse: tar reads g GiB
      read -r s kb < <(measure "$backup" run --config "$(config zstd "$work/mem$g")")
      printf '%-28s %10s %12d\n' "${g} GiB" "$s" $((kb / 1024))
    done
  done
  exit 0
fi

dir=${1:-/usr/share/dotnet}
rounds=${2:-2}
size=$(du -sb "$dir" | cut -f1)
echo "dataset: $dir ($((size / 1048576)) MiB), best of $rounds, $(nproc) cores"
printf '%-34s %9s %12s %12s %10s\n' pipeline seconds "peak RSS MB" "vs ref time" "target"
row() { printf '%-34s %9s %12d %12s %10s\n' "$1" "$2" $(($3 / 1024)) "$4" "$5"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }

for pair in "gzip shell-gzip 0.40x" "zstd shell-zstd 1.00x"; do
  set -- $pair
  read -r rs rkb < <(measure bash "$reference" "$2" "$dir" s3://bench/ref "$rcpt")
  read -r ts tkb < <(measure "$backup" run --config "$(config "$1" "$dir")")
  row "reference $2" "$rs" "$rkb" "1.00x" ""
  row "backup $1+gpg+s3" "$ts" "$tkb" "$(ratio "$ts" "$rs")" "<= $3"
  if [ "$1" = gzip ]; then gzs=$ts gzkb=$tkb; fi
done
read -r ss skb < <(measure bash "$reference" seed-style "$dir" s3://bench/ref "$rcpt")
row "reference seed-style" "$ss" "$skb" "1.00x" ""
row "backup gzip+gpg+s3 vs seed-style" "$gzs" "$gzkb" "$(ratio "$gzs" "$ss")" ""
